"""Test helpers: owners' decisions in a given state, and a rule with published versions."""

import datetime

from django.utils import timezone

from tongxin.bylaws import services
from tongxin.voting.models import Decision


def decision(world, place="compound", *, state="closed", passed=True, title="修订小区议事规则"):
    """An owners' decision as voting leaves it (its counting is voting's, tested there)."""
    where = world.places[place]
    return Decision.objects.create(place=where, place_path=where.path, title=title, item=1, state=state,
                                   passed=passed if state == "closed" else None,
                                   closed_at=timezone.now() if state == "closed" else None)


def rule_with_versions(world, count, *, place="compound", title="测试小区议事规则"):
    staff = world.users["staff"]
    bylaw = services.create_bylaw(staff, world.places[place], kind="rules_of_procedure", title=title)
    for number in range(1, count + 1):
        text = "\n".join(f"第{n}条 第{number}版的规定。" for n in range(1, number + 2))
        version = services.draft(staff, bylaw, text=text, effective_on=datetime.date(2020, 1, 1)
                                 + datetime.timedelta(days=number), basis=f"第{number}次居民会议通过")
        services.publish(staff, version)
    return bylaw

"""A demo cold-weather distribution at 东苑社区: quilts, rice and oil for the households with
a member on the subsistence allowance or an elderly person living alone; the list fixed,
half of it handed over (signed on the phone), the list published. Idempotent: nothing is
added when the distribution exists."""

from __future__ import annotations

from tongxin.core import once
from tongxin.core.models import Place, RoleAssignment
from tongxin.relief import selectors, services
from tongxin.relief.models import Distribution, Entitlement

COMMUNITY = "jz-dongyuan"
TITLE = "2026年冬季御寒物资发放"
ITEMS = (("棉被", "床", 1), ("大米", "袋", 1), ("食用油", "桶", 1))
#: A 1×1 white PNG: the demo's stand-in for a signature drawn on the phone.
SIGNED = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/"
          "PchI7wAAAABJRU5ErkJggg==")


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    staff = (RoleAssignment.objects.filter(role="community_staff", place=community, person__user__isnull=False)
             .select_related("person__user").order_by("pk").first()) if community else None
    if staff is None:
        stdout.write("  relief: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    if Distribution.objects.filter(place=community, title=TITLE).exists():
        stdout.write("  relief: already loaded\n")
        return
    user = staff.person.user
    distribution = services.create(user, community, title=TITLE, kind="cold_weather",
                                   rule_tags=["low_income", "elderly_alone"])
    eligible = selectors.eligible_households(distribution).count()
    for name, unit, per in ITEMS:
        services.add_item(user, distribution, name=name, unit=unit, stock=eligible + 10, per_household=per)
    services.open_distribution(user, distribution)
    listed = list(Entitlement.objects.filter(distribution=distribution).order_by("id"))
    for entitlement in listed[: len(listed) // 2]:
        services.hand_over(user, entitlement, signature=SIGNED, form_key=once.new_key())
    services.publish(user, distribution)
    stdout.write(f"  relief: {TITLE} at {community.name}, {len(listed)} households listed, {len(listed) // 2} "
                 "handed over, list published (login 13900000003: 物资发放)\n")

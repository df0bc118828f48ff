"""Helpers for deliberation's tests: a resident with a login, a matter taken to a given step."""

import datetime

from tongxin.core.models import Person
from tongxin.core.services.roles import create_login
from tongxin.deliberation import rules, services

DAY = datetime.date(2026, 3, 2)


def resident_login(world, building="b1", phone="13800001111"):
    """A resident of ``building`` (no role, no care record) with a login."""
    entrance = world.places[f"{building}u1"]
    person = (Person.objects.filter(home_path__startswith=entrance.path, care__isnull=True, user__isnull=True)
              .order_by("pk").first())
    return create_login(person, phone=phone, password="test-pass-2026")


def propose(world, user=None, **fields):
    data = {"title": "加装电梯", "description": "老旧小区加装电梯的方案", "resolving_body": rules.RESIDENTS_MEETING,
            "actor": "社区党委", "held_on": DAY}
    data.update(fields)
    return services.propose(user or world.users["staff"], world.places["community"], **data)


def meet(matter, step, user, *, present=9, entitled=9, votes_for=9, outcome=rules.PROCEED, note="", **extra):
    return services.record_step(user, matter, step=step, actor="会议", held_on=DAY, outcome=outcome, note=note,
                                present=present, entitled=entitled, votes_for=votes_for, **extra)


def to_resolved(world, user=None):
    user = user or world.users["staff"]
    matter = propose(world, user)
    meet(matter, rules.DISCUSS, user)
    meet(matter, rules.REVIEW, user, present=30, entitled=40, votes_for=28)
    meet(matter, rules.RESOLVE, user, present=40, entitled=60, votes_for=30, against=8, abstain=2,
         note="同意加装电梯，费用按楼层分摊。")
    matter.refresh_from_db()
    return matter

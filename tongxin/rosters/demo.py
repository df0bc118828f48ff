"""Demo duty and patrols (seeds 000, 001, 003): the nightly patrol of 沙市花园's main roads with
four QR checkpoints and last week's rounds (one skipped, one with a checkpoint missed, one
incident raised as a demand), and this week's duty office roster of 东苑社区. Idempotent:
nothing is added when the route exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, RoleAssignment
from tongxin.rosters import rules, services
from tongxin.rosters.apps import TAKERS
from tongxin.rosters.models import CheckIn, RosterKind, Round, Route

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
ROUTE = "夜间主干道巡逻"
CHECKPOINTS = ("东大门岗亭", "3栋与5栋之间主路", "地下车库入口", "西侧围墙小门")


def _users(place, roles, limit):
    found = (RoleAssignment.objects.filter(role__in=roles, place__path__startswith=place.path,
                                           person__user__isnull=False)
             .select_related("person__user").order_by("pk"))
    users = []
    for assignment in found:
        if assignment.person.user not in users:
            users.append(assignment.person.user)
        if len(users) == limit:
            break
    return users


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    compound = Place.objects.filter(code=COMPOUND).first()
    staff = _users(community, ("community_staff",), 1) if community else []
    if not staff or compound is None:
        stdout.write("  rosters: the demo community 东苑社区 or 沙市花园 is missing; nothing loaded\n")
        return
    if Route.objects.filter(place=compound, name=ROUTE).exists():
        stdout.write("  rosters: already loaded\n")
        return
    manager = staff[0]
    walkers = _users(compound, TAKERS, 3) or [manager]
    route = services.create_route(manager, compound, name=ROUTE)
    points = [services.add_checkpoint(manager, route, name=name) for name in CHECKPOINTS]
    today = timezone.localdate()
    last_monday = rules.week_start(today) - datetime.timedelta(days=7)
    zone = timezone.get_current_timezone()
    services.plan_rounds(manager, route, [last_monday + datetime.timedelta(days=n) for n in range(7)])
    for number, patrol in enumerate(Round.objects.filter(route=route).order_by("planned_for")):
        if number == 3:
            continue  # a night of heavy rain: the round was not walked
        walker = walkers[number % len(walkers)]
        started = datetime.datetime.combine(patrol.planned_for, datetime.time(22), tzinfo=zone)
        patrol.walker, patrol.started_at = walker, started
        patrol.finished_at = started + datetime.timedelta(minutes=50)
        patrol.save(update_fields=["walker", "started_at", "finished_at"])
        skipped = 2 if number == 5 else None  # the garage was locked that night
        CheckIn.objects.bulk_create([
            CheckIn(round=patrol, checkpoint=point, at=started + datetime.timedelta(minutes=10 * (i + 1)))
            for i, point in enumerate(points) if i != skipped])
        if number == 1:
            from tongxin.demands.models import Category

            category = Category.objects.filter(active=True, sensitive=False).order_by("order", "id").first()
            services.log_incident(walker, patrol, text="西侧围墙小门的锁坏了，夜间无法关闭", category=category)
    roster = services.create_roster(manager, community, name="社区值班室", kind=RosterKind.DUTY_OFFICE)
    monday = rules.week_start(today)
    day_takers = _users(community, ("community_staff", "grid_worker", "grid_chief"), 4) or [manager]
    for n in range(7):
        date = monday + datetime.timedelta(days=n)
        day, night = datetime.time(8, 30), datetime.time(17, 30)
        for start, end in ((day, night), (night, day)):
            shift = services.add_shift(manager, roster, date=date, start=start, end=end, needed=1)
            holder = day_takers[(2 * n + (start.hour > 12)) % len(day_takers)]
            if shift.ends_at > timezone.now():
                try:
                    services.sign_up(holder, shift)
                except RefusedError:  # a holder busy elsewhere leaves the seat free
                    pass
    stdout.write(f"  rosters: patrol route {ROUTE} at {compound.name} ({len(points)} checkpoints, last week's rounds), "
                 f"duty office roster at {community.name} this week (login 13900000003: 值班巡逻)\n")

"""Every write of rosters, one transaction each (``docs/rosters.md``)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, once, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.rosters import rules, selectors
from tongxin.rosters.apps import MANAGE
from tongxin.rosters.models import (
    CheckIn,
    Checkpoint,
    Incident,
    Roster,
    RosterKind,
    Round,
    Route,
    Shift,
    ShiftAssignment,
)


def _manage(user, path: str, zh: str = "您不能管理这里的值班巡逻", en: str = "You may not manage duty here"):
    if not access.can_see_path(user, MANAGE, path):
        raise RefusedError("not_allowed", zh, en)


def _name(name: str) -> str:
    name = (name or "").strip()[:60]
    if not name:
        raise RefusedError("name_missing", "请填写名称", "Give it a name")
    return name


def create_roster(user, place: Place, *, name: str, kind: str = RosterKind.DUTY_OFFICE) -> Roster:
    _manage(user, place.path)
    name = _name(name)
    if kind not in RosterKind.values:
        raise RefusedError("roster_kind", "请选择值班类型", "Choose the kind of roster")
    try:
        with transaction.atomic():
            return Roster.objects.create(place=place, place_path=place.path, name=name, kind=kind)
    except IntegrityError:
        raise RefusedError("roster_exists", "这里已有同名排班", "There is already a roster of that name here") from None


def add_shift(user, roster: Roster, *, date: datetime.date, start: datetime.time, end: datetime.time,
              needed: int = 1) -> Shift:
    _manage(user, roster.place_path)
    starts_at, ends_at = rules.shift_times(date, start, end, timezone.get_current_timezone())
    return Shift.objects.create(roster=roster, place_path=roster.place_path, starts_at=starts_at, ends_at=ends_at,
                                needed=rules.check_needed(needed))


def _lock_person(user) -> None:
    """Serialises one person's sign-ups and takes (PostgreSQL): the overlap check below then
    sees every shift they hold, even one taken a moment ago in another request."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _refuse_overlap(user, shift: Shift) -> None:
    held = ShiftAssignment.objects.filter(user=user, shift__starts_at__lt=shift.ends_at,
                                          shift__ends_at__gt=shift.starts_at).exclude(shift=shift)
    for other in held.select_related("shift"):
        if rules.overlaps(shift.starts_at, shift.ends_at, other.shift.starts_at, other.shift.ends_at):
            at = timezone.localtime(other.shift.starts_at)
            raise RefusedError("shift_overlap", f"您在 {at:%m-%d %H:%M} 已有一个时间重叠的班次",
                               f"You already hold an overlapping shift at {at:%m-%d %H:%M}")


def _may_take_part(user, shift: Shift) -> None:
    if not selectors.can_take_part(user, shift.roster):
        raise RefusedError("not_allowed", "您不在这个排班的范围内", "You are not among this roster's people")
    if shift.ends_at <= timezone.now():
        raise RefusedError("shift_over", "这个班次已经结束了", "This shift is over")


def sign_up(user, shift: Shift) -> ShiftAssignment:
    """Take a free seat of ``shift``. A full shift, a second seat, or an overlapping shift is
    refused; two people for the last seat at once: the seat's unique constraint keeps one."""
    shift = Shift.objects.select_related("roster").get(pk=shift.pk)
    _may_take_part(user, shift)
    with transaction.atomic():
        _lock_person(user)
        if ShiftAssignment.objects.filter(shift=shift, user=user).exists():
            raise RefusedError("shift_held", "您已在这个班次上", "You already hold this shift")
        _refuse_overlap(user, shift)
        seat = rules.free_seat(set(ShiftAssignment.objects.filter(shift=shift).values_list("seat", flat=True)),
                               shift.needed)
        if seat is None:
            raise RefusedError("shift_full", "这个班次人已满", "This shift is full")
        try:
            with transaction.atomic():
                return ShiftAssignment.objects.create(shift=shift, user=user, seat=seat)
        except IntegrityError:
            raise RefusedError("shift_full", "这个班次刚被别人报满了", "Someone else just took that place") from None


def _holding(user, shift: Shift) -> ShiftAssignment:
    found = ShiftAssignment.objects.filter(shift=shift, user=user).first()
    if found is None:
        raise RefusedError("shift_not_held", "您不在这个班次上", "You do not hold this shift")
    return found


def offer(user, shift: Shift, *, offered: bool = True) -> ShiftAssignment:
    """The holder offers their seat (or takes the offer back); it stays theirs until taken."""
    if shift.starts_at <= timezone.now():
        raise RefusedError("shift_started", "已开始的班次不能再换班", "A shift that has started cannot be swapped")
    with transaction.atomic():
        held = _holding(user, shift)
        ShiftAssignment.objects.filter(pk=held.pk).update(offered=offered)
        held.offered = offered
    return held


def take(user, shift: Shift, assignment: ShiftAssignment) -> ShiftAssignment:
    """Take a seat someone offered: a conditional UPDATE (still offered, still theirs), so of
    two takers at once exactly one gets it and the other is refused."""
    shift = Shift.objects.select_related("roster").get(pk=shift.pk)
    if assignment.shift_id != shift.pk:
        raise RefusedError("not_offered", "这个班次没有人让出", "Nobody offered this shift")
    _may_take_part(user, shift)
    if shift.starts_at <= timezone.now():
        raise RefusedError("shift_started", "已开始的班次不能再换班", "A shift that has started cannot be swapped")
    if assignment.user_id == user.pk:
        raise RefusedError("own_shift", "这是您自己的班次", "This is your own shift")
    with transaction.atomic():
        _lock_person(user)
        if ShiftAssignment.objects.filter(shift=shift, user=user).exists():
            raise RefusedError("shift_held", "您已在这个班次上", "You already hold this shift")
        _refuse_overlap(user, shift)
        giver = assignment.user
        try:
            with transaction.atomic():
                changed = ShiftAssignment.objects.filter(pk=assignment.pk, user_id=giver.pk, offered=True).update(
                    user=user, offered=False)
        except IntegrityError:
            changed = 0
        if changed != 1:
            raise RefusedError("not_offered", "这个班次已被别人接走或已取消让出",
                               "Someone else took this shift, or it is no longer offered")
        at = timezone.localtime(shift.starts_at)
        outbox.notify("rosters_shift_taken", f"rosters-shift:{shift.pk}:seat{assignment.seat}:taken-from:{giver.pk}",
                      users=[giver], place=shift.roster.place, webhooks=False, url=reverse("rosters-mine"),
                      subject=f"{shift.roster.name} {at:%m-%d %H:%M} 的班次已由他人接班")
    assignment.refresh_from_db()
    return assignment


def send_reminders() -> int:
    """Tell each holder of a shift starting within two hours, once: the event names the shift
    and the holder, and the outbox keeps one message per event and recipient."""
    now = timezone.now()
    due = (ShiftAssignment.objects.filter(shift__starts_at__gt=now, shift__starts_at__lte=now + rules.REMIND_BEFORE)
           .select_related("shift__roster__place", "user"))
    notices = []
    for held in due:
        shift = held.shift
        if not rules.reminder_due(shift.starts_at, now):
            continue
        at = timezone.localtime(shift.starts_at)
        notices.append(outbox.Notice(
            f"rosters-shift:{shift.pk}:remind:{held.user_id}", f"值班提醒：{shift.roster.name} {at:%m-%d %H:%M} 开始",
            [held.user], "", reverse("rosters-mine"), shift.roster.place, None, False))
    return outbox.notify_all("rosters_shift_reminder", notices) if notices else 0


# Patrols.

def create_route(user, place: Place, *, name: str) -> Route:
    _manage(user, place.path)
    name = _name(name)
    try:
        with transaction.atomic():
            return Route.objects.create(place=place, place_path=place.path, name=name)
    except IntegrityError:
        raise RefusedError("route_exists", "这里已有同名巡逻路线",
                           "There is already a route of that name here") from None


def add_checkpoint(user, route: Route, *, name: str) -> Checkpoint:
    _manage(user, route.place_path)
    name = _name(name)
    with transaction.atomic():
        Route.objects.select_for_update().filter(pk=route.pk).first()
        last = route.checkpoints.order_by("-order").values_list("order", flat=True).first() or 0
        return Checkpoint.objects.create(route=route, order=last + 1, name=name)


def plan_rounds(user, route: Route, days: list[datetime.date]) -> int:
    """Plan one round on each of ``days`` (a week of nightly patrols)."""
    _manage(user, route.place_path)
    Round.objects.bulk_create([Round(route=route, place_path=route.place_path, planned_for=day) for day in days])
    return len(days)


def start_round(user, route: Route) -> Round:
    """The walker's open round of ``route``: the one already open, else today's planned round
    nobody started (a conditional UPDATE: two walkers, two rounds), else a new unplanned one."""
    if not selectors.can_walk(user, route):
        raise RefusedError("not_allowed", "您不能巡逻这条路线", "You may not walk this route")
    now = timezone.now()
    with transaction.atomic():
        _lock_person(user)
        if (open_round := selectors.open_round(user, route)) is not None:
            return open_round
        today = timezone.localdate()
        for candidate in Round.objects.filter(route=route, planned_for=today, walker__isnull=True,
                                              started_at__isnull=True).values_list("pk", flat=True)[:5]:
            if Round.objects.filter(pk=candidate, walker__isnull=True).update(walker=user, started_at=now):
                return Round.objects.get(pk=candidate)
        return Round.objects.create(route=route, place_path=route.place_path, planned_for=today, planned=False,
                                    walker=user, started_at=now)


def check_in(user, checkpoint: Checkpoint) -> CheckIn:
    """Record the scan of ``checkpoint`` for the walker's open round of its route (starting one
    if none is open); a second scan of the same point in a round keeps the first time."""
    route = checkpoint.route
    patrol = start_round(user, route)
    with transaction.atomic():
        found, _created = CheckIn.objects.get_or_create(round=patrol, checkpoint=checkpoint,
                                                        defaults={"at": timezone.now()})
    return found


def finish_round(user, patrol: Round) -> Round:
    with transaction.atomic():
        if not Round.objects.filter(pk=patrol.pk, walker=user, finished_at__isnull=True,
                                    started_at__isnull=False).update(finished_at=timezone.now()):
            raise RefusedError("round_not_open", "这一轮巡逻不是您正在进行的", "This is not a round you are walking")
    patrol.refresh_from_db()
    return patrol


def log_incident(user, patrol: Round, *, text: str, category=None, form_key: str = "") -> Incident:
    """An incident seen on the round; with a category it also files a demand at the route's
    place through the demands app (as care's visits do), recorded by the walker."""
    text = (text or "").strip()[:500]
    if not text:
        raise RefusedError("incident_text", "请写下发现的情况", "Say what you found")
    if patrol.walker_id != user.pk and not access.can_see_path(user, MANAGE, patrol.place_path):
        raise RefusedError("not_allowed", "只有巡逻人可以记录情况", "Only the walker may log incidents")
    with transaction.atomic():
        if form_key:
            once.claim(form_key, user)
        incident = Incident.objects.create(round=patrol, text=text, recorded_by=user)
        if category is not None:
            raise_demand(user, incident, category)
    return incident


def raise_demand(user, incident: Incident, category):
    from tongxin.demands import services as demand_services
    from tongxin.demands.models import Source

    patrol = incident.round
    if patrol.walker_id != user.pk and not access.can_see_path(user, MANAGE, patrol.place_path):
        raise RefusedError("not_allowed", "只有巡逻人可以上报诉求", "Only the walker may raise a demand")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().select_related("round__route__place").get(pk=incident.pk)
        if incident.demand_id:
            return incident
        route = incident.round.route
        demand = demand_services.report(
            route.place, category=category, description=f"【巡逻发现·{route.name}】{incident.text}",
            name=user.name, key=f"rosters-incident:{incident.pk}",
            source=Source.VISIT, recorded_by=user)
        incident.demand_id = demand.pk
        incident.save(update_fields=["demand_id"])
    return incident

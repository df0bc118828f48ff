"""Writing activities: the plan and its sessions, sign-ups with a waiting list, check-in and
check-out at the venue, and the organiser's adjustments. One transaction per write.

**Sessions are made ahead.** Each activity's sessions exist as rows for the coming
``activity_rules.HORIZON_DAYS`` (about three months: thirteen weekly dates, three monthly
ones), so people can sign up for a date and a session row can be locked. They are made when
the activity is created, and then every night by the recurring job
``volunteering-sessions-ahead`` (:func:`make_sessions_ahead`), which moves the horizon on.
Making them is idempotent (a unique key on activity and date), so a run repeated by two
workers, or a page calling :func:`ensure_sessions`, adds nothing twice.

**Capacity holds under concurrency.** Signing up and withdrawing lock the session's row
(``select_for_update``) and keep ``Session.booked`` under that lock: two people taking the
last place at once are served one after the other, and the second goes on the waiting list.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OrganisationKind, Place, User
from tongxin.core.outbox import notify
from tongxin.volunteering import activity_rules as rules
from tongxin.volunteering.models import Activity, Attendance, Recurrence, Session, SignUp, SignUpState
from tongxin.volunteering.services.ledger import record_attendance


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A local date and time (Beijing time) as an aware moment."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def ensure_sessions(activity: Activity, *, today: datetime.date | None = None) -> int:
    """Make the sessions of the coming horizon that do not exist yet; how many were made."""
    if activity.cancelled:
        return 0
    today = today or timezone.localdate()
    dates = rules.session_dates(activity.recurrence, activity.first_date, activity.last_date, today,
                                today + datetime.timedelta(days=rules.HORIZON_DAYS))
    if not dates:
        return 0
    existing = set(Session.objects.filter(activity=activity, date__in=dates).values_list("date", flat=True))
    new = [Session(activity=activity, date=day, starts_at=_aware(day, activity.start_time),
                   ends_at=_aware(day, activity.end_time)) for day in dates if day not in existing]
    Session.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def make_sessions_ahead() -> int:
    """The nightly job: move every running activity's horizon on."""
    today = timezone.localdate()
    running = Activity.objects.filter(cancelled=False).exclude(last_date__lt=today).exclude(
        recurrence=Recurrence.ONCE, first_date__lt=today)
    return sum(ensure_sessions(activity, today=today) for activity in running.iterator())


def _refuse(code: str, zh: str, en: str):
    raise RefusedError(code, zh, en)


@transaction.atomic
def create_activity(*, community: Place, organiser, title: str, venue: str, recurrence: str,
                    first_date: datetime.date, start_time: datetime.time, end_time: datetime.time,
                    last_date: datetime.date | None = None, description: str = "", team: Organisation | None = None,
                    post=None, capacity: int | None = None) -> Activity:
    if end_time <= start_time:
        _refuse("times_disordered", "结束时间应晚于开始时间", "The end must come after the start")
    if last_date and last_date < first_date:
        _refuse("dates_disordered", "结束日期不能早于首次日期", "The last date cannot come before the first")
    if recurrence == Recurrence.ONCE:
        last_date = first_date
    if team is not None and (team.kind != OrganisationKind.VOLUNTEER_TEAM or not team.place_id
                             or not team.place.path.startswith(community.path)):
        _refuse("team_elsewhere", "只能选择本社区的志愿服务队", "Choose a volunteer team of this community")
    if post is not None and post.community_id != community.pk:
        _refuse("post_elsewhere", "只能选择本社区的服务岗位", "Choose a service post of this community")
    activity = Activity.objects.create(
        community=community, community_path=community.path, organiser=organiser, title=title.strip(),
        description=description.strip(), venue=venue.strip(), recurrence=recurrence, first_date=first_date,
        last_date=last_date, start_time=start_time, end_time=end_time, capacity=capacity, team=team, post=post,
    )
    ensure_sessions(activity)
    return activity


def _users_of(person_ids) -> list:
    return list(User.objects.filter(person_id__in=list(person_ids), is_active=True))


def _activity_url(activity: Activity) -> str:
    return reverse("volunteering-activity", kwargs={"pk": activity.pk})


@transaction.atomic
def cancel_session(session: Session, *, by=None) -> Session:
    """Cancel one date: the people signed up (booked or waiting) are told."""
    session = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
    if session.cancelled:
        return session
    session.cancelled = True
    session.save(update_fields=["cancelled"])
    people = SignUp.objects.filter(session=session).exclude(state=SignUpState.CANCELLED).values_list(
        "person_id", flat=True)
    activity = session.activity
    notify("activity_cancelled", f"session:{session.pk}:cancelled", users=_users_of(people),
           subject=f"活动取消：{activity.title}（{session.date:%Y-%m-%d}）", url=_activity_url(activity),
           place=activity.community)
    return session


@transaction.atomic
def cancel_activity(activity: Activity, *, by=None) -> Activity:
    """Cancel the whole plan: every coming session, and everyone signed up for one is told."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.cancelled:
        return activity
    activity.cancelled = True
    activity.save(update_fields=["cancelled"])
    coming = Session.objects.filter(activity=activity, cancelled=False, ends_at__gt=timezone.now())
    people = set(SignUp.objects.filter(session__in=coming).exclude(state=SignUpState.CANCELLED).values_list(
        "person_id", flat=True))
    coming.update(cancelled=True)
    notify("activity_cancelled", f"activity:{activity.pk}:cancelled", users=_users_of(people),
           subject=f"活动取消：{activity.title}", url=_activity_url(activity), place=activity.community)
    return activity


def _open_session(session_id: int) -> Session:
    """The session, locked, or a refusal if it can no longer be signed up for."""
    session = Session.objects.select_for_update(of=("self",)).select_related("activity").filter(pk=session_id).first()
    if session is None:
        _refuse("session_missing", "找不到这场活动", "This session does not exist")
    if session.cancelled or session.activity.cancelled:
        _refuse("session_cancelled", "这场活动已取消", "This session was cancelled")
    return session


@transaction.atomic
def sign_up(session_id: int, *, person, enrolment=None) -> SignUp:
    """Book a place while places last, else join the waiting list (in order of signing up).
    Signing up again while already in is a no-op."""
    session = _open_session(session_id)
    if session.ends_at <= timezone.now():
        _refuse("session_over", "这场活动已经结束", "This session is over")
    live = SignUp.objects.filter(session=session, person=person).exclude(state=SignUpState.CANCELLED).first()
    if live is not None:
        return live
    capacity = session.activity.capacity
    if capacity is None or session.booked < capacity:
        state = SignUpState.BOOKED
        Session.objects.filter(pk=session.pk).update(booked=F("booked") + 1)
    else:
        state = SignUpState.WAITING
    return SignUp.objects.create(session=session, person=person, enrolment=enrolment, state=state)


@transaction.atomic
def withdraw(session_id: int, *, person) -> SignUp | None:
    """Cancel one's sign-up; a booked place freed goes to the first person waiting, who is told."""
    session = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session_id)
    mine = SignUp.objects.filter(session=session, person=person).exclude(state=SignUpState.CANCELLED).first()
    if mine is None:
        return None
    was_booked = mine.state == SignUpState.BOOKED
    mine.state = SignUpState.CANCELLED
    mine.save(update_fields=["state"])
    if was_booked:
        Session.objects.filter(pk=session.pk).update(booked=F("booked") - 1)
        if not session.cancelled and session.ends_at > timezone.now():
            _promote(session)
    return mine


def _promote(session: Session) -> SignUp | None:
    """Under the session's lock: give free places to those waiting, first come first served."""
    session.refresh_from_db(fields=["booked"])
    capacity = session.activity.capacity
    promoted = None
    while capacity is None or session.booked < capacity:
        first = SignUp.objects.filter(session=session, state=SignUpState.WAITING).order_by("signed_at", "pk").first()
        if first is None:
            break
        first.state = SignUpState.BOOKED
        first.save(update_fields=["state"])
        session.booked += 1
        Session.objects.filter(pk=session.pk).update(booked=session.booked)
        activity = session.activity
        notify("activity_place_freed", f"signup:{first.pk}:booked", users=_users_of([first.person_id]),
               subject=f"候补成功：{activity.title}（{session.date:%Y-%m-%d}）已为您保留名额",
               url=_activity_url(activity), place=activity.community)
        promoted = first
    return promoted


def today_session(activity: Activity, *, today: datetime.date | None = None) -> Session | None:
    return Session.objects.filter(activity=activity, date=today or timezone.localdate(), cancelled=False).first()


@transaction.atomic
def check_in(session: Session, *, person, enrolment=None, now: datetime.datetime | None = None) -> Attendance:
    """Check in at the venue; checking in again returns the attendance already there."""
    now = now or timezone.now()
    if session.cancelled:
        _refuse("session_cancelled", "这场活动已取消", "This session was cancelled")
    found = Attendance.objects.filter(session=session, person=person).first()
    if found is not None:
        return found
    if not rules.can_check_in(now, session.starts_at, session.ends_at):
        _refuse("not_now", "现在不在签到时间内（开始前一小时至结束）",
                "Check-in is open from an hour before the start until the end")
    try:
        with transaction.atomic():
            return Attendance.objects.create(session=session, person=person, enrolment=enrolment, checked_in_at=now)
    except IntegrityError:  # a double scan at the same moment
        return Attendance.objects.get(session=session, person=person)


def session_minutes(session: Session) -> int:
    return int((session.ends_at - session.starts_at).total_seconds() // 60)


@transaction.atomic
def check_out(session: Session, *, person, now: datetime.datetime | None = None) -> Attendance:
    """Check out: the minutes served (capped, ``activity_rules.counted_minutes``) go in the ledger."""
    now = now or timezone.now()
    attendance = Attendance.objects.select_for_update().filter(session=session, person=person).first()
    if attendance is None:
        _refuse("not_checked_in", "您还没有签到", "You have not checked in")
    if attendance.checked_out_at is not None:
        return attendance
    attendance.checked_out_at = now
    attendance.minutes = rules.counted_minutes(attendance.checked_in_at, now, session_minutes(session))
    attendance.save(update_fields=["checked_out_at", "minutes"])
    attendance.session = session
    record_attendance(attendance)
    return attendance


@transaction.atomic
def adjust(attendance: Attendance, *, minutes: int, reason: str, by) -> Attendance:
    """The organiser corrects the minutes, with a reason kept on the attendance; the ledger row follows."""
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason_missing", "调整时长必须填写原因", "Give a reason for the adjustment")
    if minutes < 0 or minutes > 24 * 60:
        _refuse("minutes_out_of_range", "时长应在 0 到 1440 分钟之间", "Minutes must be between 0 and 1440")
    locked = Attendance.objects.select_for_update(of=("self",))  # the enrolment is an outer join
    attendance = locked.select_related("session__activity", "enrolment").get(pk=attendance.pk)
    attendance.adjusted_minutes = minutes
    attendance.adjust_reason = reason[:200]
    attendance.adjusted_by = by
    attendance.save(update_fields=["adjusted_minutes", "adjust_reason", "adjusted_by"])
    record_attendance(attendance)
    return attendance

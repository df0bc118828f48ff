"""Series and meetings: set up, make the next meeting, agenda, attendance, minutes, decisions,
publication. One transaction per write.

Holders of ``meetings.manage`` at the meeting's place write. A series' next meeting is made
by a daily job (:func:`make_next_all`) and after a meeting is held; the unique
``(series, starts_at)`` makes a race between the two leave one meeting.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OrganisationMember, Place
from tongxin.meetings import rules
from tongxin.meetings.apps import MANAGE
from tongxin.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingState,
    MinutesFile,
)

MAX_FILES = 6
MAX_PDF_BYTES = 10 * 1024 * 1024
PLACE_KINDS = ("community", "village", "compound", "villager_group", "building", "grid", "area", "street")


def can_manage(user, place_path: str) -> bool:
    return access.can_see_path(user, MANAGE, place_path)


def _require_manage(user, place_path: str) -> None:
    if not can_manage(user, place_path):
        raise RefusedError("not_allowed", "您不负责这个地方的会议", "You do not hold meetings for this place")


def current_members(organisation_ids, on: datetime.date | None = None):
    """Person ids of the organisations' current members."""
    on = on or timezone.localdate()
    members = OrganisationMember.objects.filter(organisation_id__in=list(organisation_ids), valid_from__lte=on)
    return members.exclude(valid_to__lte=on).values_list("person_id", flat=True).distinct()


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if len(title) < 2:
        raise RefusedError("title_missing", "请填写会议名称", "Please give the meeting a title")
    return title[:120]


def _check_kind(kind: str) -> None:
    if kind not in MeetingKind.values:
        raise RefusedError("kind_invalid", "请选择会议类型", "Choose the kind of meeting")


# --- series --------------------------------------------------------------------------------------


@transaction.atomic
def create_series(user, *, title: str, kind: str, place: Place, frequency: str, starts_on: datetime.date,
                  time: datetime.time, day: int | None = None, weekday: int | None = None, week: int | None = None,
                  location: str = "", organisations=(), invitees=None, today: datetime.date | None = None
                  ) -> MeetingSeries:
    """A series at ``place``; invited: ``invitees`` (person ids), or else the current members of
    the participating organisations. Its first meeting is made at once."""
    _require_manage(user, place.path)
    title = _clean_title(title)
    _check_kind(kind)
    if frequency not in rules.STEP_MONTHS:
        raise RefusedError("frequency_invalid", "请选择开会的频次", "Choose how often the meeting is held")
    if weekday is None and not (day and 1 <= day <= 31):
        raise RefusedError("day_invalid", "请填写每月几号开会（1–31）", "Give the day of the month (1–31)")
    if weekday is not None and not (0 <= weekday <= 6 and week in (1, 2, 3, 4, rules.LAST)):
        raise RefusedError("weekday_invalid", "请选择第几周的星期几", "Choose the week and the weekday")
    organisations = list(organisations)
    series = MeetingSeries.objects.create(
        title=title, kind=kind, place=place, place_path=place.path, frequency=frequency, starts_on=starts_on,
        day=None if weekday is not None else day, weekday=weekday, week=week if weekday is not None else None,
        time=time, location=(location or "").strip()[:120], convener=user,
    )
    series.organisations.set(organisations)
    people = list(invitees) if invitees is not None else list(current_members([o.pk for o in organisations]))
    series.invitees.set(people)
    make_next(series, today=today)
    return series


def next_start(series: MeetingSeries, on_or_after: datetime.date) -> datetime.datetime:
    day = rules.occurrences(series.frequency, series.starts_on, on_or_after=on_or_after, day=series.day,
                            weekday=series.weekday, week=series.week)[0]
    return timezone.make_aware(datetime.datetime.combine(day, series.time))


def make_next(series: MeetingSeries, today: datetime.date | None = None) -> Meeting | None:
    """Make the series' next meeting unless one is already scheduled ahead; returns the new one."""
    today = today or timezone.localdate()
    if series.ended_on and series.ended_on <= today:
        return None
    now = timezone.now()
    latest = series.meetings.order_by("-starts_at").first()
    if latest is not None and latest.starts_at >= now and latest.state == MeetingState.SCHEDULED:
        return None
    after = today
    if latest is not None:
        after = max(after, timezone.localdate(latest.starts_at) + datetime.timedelta(days=1))
    starts_at = next_start(series, after)
    if series.ended_on and starts_at.date() >= series.ended_on:
        return None
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                series=series, title=series.title, kind=series.kind, place_id=series.place_id,
                place_path=series.place_path, starts_at=starts_at, location=series.location,
                convener_id=series.convener_id,
            )
            meeting.organisations.set(list(series.organisations.values_list("pk", flat=True)))
            Invitation.objects.bulk_create([Invitation(meeting=meeting, person_id=pk)
                                            for pk in series.invitees.values_list("pk", flat=True)])
    except IntegrityError:
        return None  # the other maker won
    return meeting


def make_next_all(today: datetime.date | None = None) -> int:
    """The daily job: every running series has its next meeting made. Returns how many were made."""
    today = today or timezone.localdate()
    made = 0
    for series in MeetingSeries.objects.exclude(ended_on__lte=today).order_by("pk").iterator():
        made += make_next(series, today) is not None
    return made


@transaction.atomic
def create_meeting(user, *, title: str, kind: str, place: Place, starts_at: datetime.datetime, location: str = "",
                   organisations=(), invitees=None) -> Meeting:
    """A one-off meeting (no series)."""
    _require_manage(user, place.path)
    title = _clean_title(title)
    _check_kind(kind)
    organisations = list(organisations)
    meeting = Meeting.objects.create(title=title, kind=kind, place=place, place_path=place.path,
                                     starts_at=starts_at, location=(location or "").strip()[:120], convener=user)
    meeting.organisations.set(organisations)
    people = list(invitees) if invitees is not None else list(current_members([o.pk for o in organisations]))
    Invitation.objects.bulk_create([Invitation(meeting=meeting, person_id=pk) for pk in people])
    return meeting


# --- the meeting --------------------------------------------------------------------------------


def _locked(user, meeting: Meeting) -> Meeting:
    _require_manage(user, meeting.place_path)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == MeetingState.CANCELLED:
        raise RefusedError("cancelled", "会议已取消", "The meeting was cancelled")
    return meeting


@transaction.atomic
def add_agenda_item(user, meeting: Meeting, *, title: str, source: str = "") -> AgendaItem:
    meeting = _locked(user, meeting)
    title = (title or "").strip()
    if len(title) < 2:
        raise RefusedError("agenda_missing", "请填写议题", "Please write the agenda item")
    order = meeting.agenda.count() + 1
    return AgendaItem.objects.create(meeting=meeting, order=order, title=title[:200], source=(source or "")[:120])


def _held(meeting: Meeting) -> None:
    if meeting.starts_at > timezone.now() + datetime.timedelta(hours=1):
        raise RefusedError("not_yet", "会议还没有开始，不能记录出席和纪要",
                           "The meeting has not started yet; attendance and minutes come after")
    if meeting.state != MeetingState.HELD:
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
        if meeting.series_id:
            transaction.on_commit(lambda: make_next(meeting.series))


@transaction.atomic
def record_attendance(user, meeting: Meeting, marks: dict[int, str], head_count: int | None = None) -> Meeting:
    """``marks``: invitation id -> present / absent / excused; ``head_count`` for an open meeting."""
    meeting = _locked(user, meeting)
    if any(value not in (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED) for value in marks.values()):
        raise RefusedError("attendance_invalid", "出席情况只能是出席、缺席或请假",
                           "Attendance is present, absent or excused")
    if head_count is not None and not 0 <= head_count <= 100000:
        raise RefusedError("head_count_invalid", "到会人数不对", "The number of people present is not valid")
    _held(meeting)
    by_value: dict[str, list[int]] = {}
    for invitation_id, value in marks.items():
        by_value.setdefault(value, []).append(invitation_id)
    for value, ids in by_value.items():  # one statement per value, not per person
        Invitation.objects.filter(meeting=meeting, pk__in=ids).update(attendance=value)
    if head_count is not None:
        meeting.head_count = head_count
        meeting.save(update_fields=["head_count"])
    return meeting


def _clean_file(upload) -> tuple[object, str, str]:
    from django.core.files.base import ContentFile

    from tongxin.demands.photos import clean as clean_photo

    head = upload.read(5)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "file")[-120:]
    if head == b"%PDF-":
        if upload.size > MAX_PDF_BYTES:
            raise RefusedError("file_too_big", "文件太大了（超过10 MB）", "The file is over 10 MB")
        return ContentFile(upload.read(), name="minutes.pdf"), name, "application/pdf"
    return clean_photo(upload), name, "image/jpeg"


@transaction.atomic
def save_minutes(user, meeting: Meeting, *, text: str, files=()) -> Meeting:
    """The minutes' text (replaced) and files (added): photos re-encoded, PDFs kept."""
    meeting = _locked(user, meeting)
    if len(files) + meeting.files.count() > MAX_FILES:
        raise RefusedError("too_many_files", "每次会议最多上传6个文件", "At most 6 files per meeting")
    cleaned = [_clean_file(upload) for upload in files]  # refused before anything is written
    _held(meeting)
    meeting.minutes = (text or "").strip()[:20000]
    meeting.save(update_fields=["minutes"])
    for content, name, content_type in cleaned:
        MinutesFile.objects.create(meeting=meeting, file=content, name=name, content_type=content_type,
                                   uploaded_by=user)
    return meeting


@transaction.atomic
def add_decision(user, meeting: Meeting, *, text: str, actions=()) -> Decision:
    """A decision and its action items (``actions``: dicts for :func:`actions.add`)."""
    from tongxin.meetings.services import actions as action_services

    meeting = _locked(user, meeting)
    text = (text or "").strip()
    if len(text) < 2:
        raise RefusedError("decision_missing", "请写下会议的决定", "Please write the decision")
    _held(meeting)
    decision = Decision.objects.create(meeting=meeting, order=meeting.decisions.count() + 1, text=text[:2000])
    for action in actions:
        action_services.add(user, decision, **action)
    return decision


@transaction.atomic
def cancel(user, meeting: Meeting) -> Meeting:
    meeting = _locked(user, meeting)
    if meeting.state != MeetingState.SCHEDULED:
        raise RefusedError("already_held", "会议已经召开，不能取消", "The meeting was already held")
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])
    if meeting.series_id:
        transaction.on_commit(lambda: make_next(meeting.series))
    return meeting


@transaction.atomic
def publish(user, meeting: Meeting):
    """Put the meeting's decisions on its place's notice board, linking to the public page
    (decisions only: no attendance, no names)."""
    from tongxin.core import place_notices

    meeting = _locked(user, meeting)
    if meeting.published_at:
        raise RefusedError("already_published", "会议决定已经公示过了", "The decisions were already published")
    decisions = list(meeting.decisions.values_list("text", flat=True))
    if not decisions:
        raise RefusedError("no_decisions", "还没有记录会议决定，无法公示", "There are no decisions to publish yet")
    place = Place.objects.get(pk=meeting.place_id)
    if not place_notices.can_publish(user, place):
        raise RefusedError("not_allowed", "您不能在这里发布公告", "You cannot post notices here")
    day = timezone.localtime(meeting.starts_at)
    body = "\n".join(f"{number}. {text}" for number, text in enumerate(decisions, start=1))
    notice = place_notices.create(
        user, place, title=f"会议决定公示：{meeting.title}（{day:%Y-%m-%d}）",
        body=body, link=reverse("meetings-public", args=[meeting.public_token]),
        expires_at=timezone.now() + datetime.timedelta(days=30))
    meeting.published_at, meeting.notice = timezone.now(), notice
    meeting.save(update_fields=["published_at", "notice"])
    return notice


def organisations_for(place: Place):
    """Organisations that can take part in a meeting at ``place``: those linked to it or to a
    place under or above it, and those based there."""
    from django.db.models import Q

    from tongxin.core.tree import lineage

    today = timezone.localdate()
    linked = Q(place_links__place__path__gte=place.path, place_links__place__path__lt=place.path_end,
               place_links__valid_to__isnull=True)
    above = Q(place_links__place__path__in=lineage(place.path), place_links__valid_to__isnull=True)
    based = Q(place__path__gte=place.path, place__path__lt=place.path_end)
    return (Organisation.objects.filter(linked | above | based).exclude(ended_on__lte=today)
            .distinct().order_by("kind", "name"))

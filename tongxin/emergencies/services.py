"""Every write of emergency notices, one transaction each (``docs/emergencies.md``)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, once, outbox, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, HouseholdMember, Place, PlaceCount, Tenure
from tongxin.core.outbox import Notice
from tongxin.core.tree import lineage, path_end
from tongxin.emergencies import links, rules
from tongxin.emergencies.apps import RAISE, REACH
from tongxin.emergencies.models import EmergencyNotice, NoticeKind, Reach

#: Households per batch of the fan-out: one query for their members, one INSERT of notices.
FAN_OUT_BATCH = 2000


def _refuse(code: str, zh: str, en: str):
    raise RefusedError(code, zh, en)


def occupied_households(place: Place):
    """The households a notice for ``place`` must reach: open and not vacant, under it."""
    return Household.objects.filter(place_path__gte=place.path, place_path__lt=path_end(place.path),
                                    closed_on__isnull=True).exclude(tenure=Tenure.VACANT)


def target_of(place: Place) -> int:
    counted = dict(PlaceCount.objects.filter(place=place, metric__in=("households", "vacant"))
                   .values_list("metric", "value"))
    return max(counted.get("households", 0) - counted.get("vacant", 0), 0)


def raise_notice(user, place: Place, *, kind: str, title: str, body: str, form_key: str | None = None):
    if not access.can_see_path(user, RAISE, place.path):
        _refuse("not_allowed", "您不能为这里发布紧急通知", "You may not raise an emergency notice here")
    if place.kind not in rules.NOTICE_PLACE_KINDS:
        _refuse("notice_place", "请选择街道、社区、村、小区、村民小组或楼栋",
                "Choose a street, community, village, compound, villager group or building")
    if kind not in NoticeKind.values:
        _refuse("notice_kind", "请选择通知类型", "Choose the kind of emergency")
    title, body = title.strip(), body.strip()
    if not title or not body:
        _refuse("notice_text", "请填写标题和居民需要做什么", "Give a title and what residents must do")
    with transaction.atomic():
        if form_key is not None:
            once.claim(form_key, user)
        notice = EmergencyNotice.objects.create(place=place, place_path=place.path, kind=kind, title=title[:100],
                                                body=body[:2000], raised_by=user, target=target_of(place))
        place_notices.create_by_rule(place, by=user, title=f"【紧急】{notice.title}"[:120], body=notice.body)
        transaction.on_commit(lambda: _queue_fan_out(notice.pk))
    return notice


def _queue_fan_out(notice_id: int) -> None:
    from tongxin.emergencies.tasks import fan_out_notice

    fan_out_notice.enqueue(notice_id)


def fan_out(notice_id: int) -> int:
    """Every household's notice into the outbox, in batches; safe to run again (each notice's
    event names the household, and the outbox keeps one message per event and recipient).
    Returns the households covered."""
    notice = EmergencyNotice.objects.select_related("place").get(pk=notice_id)
    site = settings.TONGXIN_SITE_URL.rstrip("/")
    subject = f"【紧急通知】{notice.title}"[:200]
    households = occupied_households(notice.place).order_by("pk").values_list("pk", "unit_number")
    after, covered = 0, 0
    while True:
        batch = list(households.filter(pk__gt=after)[:FAN_OUT_BATCH])
        if not batch:
            break
        after = batch[-1][0]
        members: dict[int, list] = {}
        heads: dict[int, str] = {}
        for member in (HouseholdMember.objects.filter(household_id__in=[pk for pk, _u in batch],
                                                      valid_to__isnull=True, lives_here=True)
                       .select_related("person__user").order_by("-is_head", "pk")):
            user = getattr(member.person, "user", None)
            if user is not None:
                members.setdefault(member.household_id, []).append(user)
            if member.person.phone and member.household_id not in heads:
                heads[member.household_id] = member.person.phone
        to_homes, to_gateway = [], []
        for pk, unit in batch:
            url = links.path(notice.pk, pk)
            if members.get(pk):
                to_homes.append(Notice(f"emergency:{notice.pk}:{pk}", subject, members[pk], notice.body, url,
                                       notice.place, webhooks=False))
            if pk in heads:
                to_gateway.append(Notice(f"emergency-sms:{notice.pk}:{pk}", subject, (), notice.body, url,
                                         notice.place, payload={"phone": heads[pk], "link": site + url,
                                                                "unit": unit, "text": notice.body}))
        with transaction.atomic():
            if to_homes:
                outbox.notify_all("emergency_notice", to_homes)
            if to_gateway:
                outbox.notify_all("emergency_sms", to_gateway)
        covered += len(batch)
    _alert_helpers(notice)
    EmergencyNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return covered


#: A notice not fanned out this long after raising is fanned out again by the sweep.
RESEND_AFTER = datetime.timedelta(minutes=2)


def fan_out_unsent() -> int:
    """The sweep (every minute, ``recurring``): a notice whose fan-out task was lost with a
    worker goes out again; the outbox drops what was already sent."""
    due = list(EmergencyNotice.objects.filter(sent_at__isnull=True, closed_at__isnull=True,
                                              raised_at__lt=timezone.now() - RESEND_AFTER).values_list("pk", flat=True))
    for pk in due:
        fan_out(pk)
    return len(due)


def _alert_helpers(notice: EmergencyNotice) -> int:
    """The live paired helpers of vulnerable residents under the place (the care register,
    where it is installed) are told to check on them."""
    if not apps.is_installed("tongxin.care"):
        return 0
    from tongxin.care.models import Pairing

    pairings = (Pairing.objects.filter(valid_to__isnull=True, subject__closed_on__isnull=True,
                                       subject__home_path__gte=notice.place_path,
                                       subject__home_path__lt=path_end(notice.place_path),
                                       helper__user__isnull=False)
                .select_related("helper__user", "subject__person"))
    # The helper knows whom they care for (``care.person_grants``): the name is not masked.
    notices = [Notice(f"emergency-helper:{notice.pk}:{p.pk}",
                      f"【紧急】请立即联系您结对的{p.subject.person.name}"[:200], [p.helper.user],
                      f"{notice.title}\n{notice.body}",
                      reverse("care-my-subjects"), notice.place, webhooks=False)
               for p in pairings]
    return outbox.notify_all("emergency_helper", notices) if notices else 0


def _block_of(household: Household):
    return (Place.objects.filter(path__in=lineage(household.place_path), kind__in=rules.BLOCK_KINDS)
            .order_by("-path").first())


def _reach(notice: EmergencyNotice, household: Household, *, way: str, by, needs_help: bool, note: str) -> Reach:
    if notice.closed_at is not None:
        _refuse("notice_closed", "这条紧急通知已经结束", "This emergency notice has ended")
    if not (notice.place_path <= household.place_path < path_end(notice.place_path)):
        _refuse("household_outside", "这户不在通知范围内", "This household is outside the notice's area")
    now = timezone.now()
    try:
        with transaction.atomic():
            reach = Reach.objects.create(notice=notice, household=household, block=_block_of(household),
                                         place_path=household.place_path, way=way, at=now, by=by,
                                         needs_help=needs_help, note=note.strip()[:200])
    except IntegrityError:
        # Already reached (a worker's tick and the resident's own tap): keep the first; a
        # later call for help is still heard.
        reach = Reach.objects.get(notice=notice, household=household)
        if needs_help and not reach.needs_help:
            Reach.objects.filter(pk=reach.pk).update(needs_help=True, help_handled_at=None)
            reach.needs_help = True
        else:
            return reach
    if needs_help:
        staff = access.holders(household.place, REACH)
        outbox.notify("emergency_help", f"emergency-help:{notice.pk}:{household.pk}", users=staff,
                      place=notice.place, webhooks=False,
                      subject=f"【求助】{notice.title}：{household.place.name} {household.unit_number}"[:200],
                      body=reach.note, url=reverse("emergencies-board", args=[notice.pk]))
    return reach


def confirm(notice: EmergencyNotice, household: Household, *, needs_help: bool = False, note: str = "") -> Reach:
    """The household's own tap on its link (no login: the signed link is the grant)."""
    return _reach(notice, household, way=rules.SELF, by=None, needs_help=needs_help, note=note)


def tick(user, notice: EmergencyNotice, household: Household, *, way: str, needs_help: bool = False,
         note: str = "") -> Reach:
    """A grid worker, building chief or helper records a household reached by phone or at the door."""
    if way not in rules.STAFF_WAYS:
        _refuse("reach_way", "请选择通知方式", "Choose how the household was reached")
    if not access.can_see_path(user, REACH, household.place_path):
        _refuse("not_allowed", "这户不在您负责的范围内", "This household is outside your places")
    return _reach(notice, household, way=way, by=user, needs_help=needs_help, note=note)


def handle_help(user, reach: Reach, *, note: str = "") -> None:
    if not access.can_see_path(user, REACH, reach.place_path):
        _refuse("not_allowed", "这户不在您负责的范围内", "This household is outside your places")
    done = Reach.objects.filter(pk=reach.pk, needs_help=True, help_handled_at__isnull=True).update(
        help_handled_at=timezone.now(), help_handled_by=user,
        note=(f"{reach.note} / {note.strip()}" if reach.note and note.strip() else reach.note or note.strip())[:200])
    if not done:
        _refuse("help_handled", "这个求助已经处理过了", "This call for help was already handled")


def close(user, notice: EmergencyNotice, *, note: str = "") -> EmergencyNotice:
    if not access.can_see_path(user, RAISE, notice.place_path):
        _refuse("not_allowed", "您不能结束这条紧急通知", "You may not close this notice")
    closed = EmergencyNotice.objects.filter(pk=notice.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=user, close_note=note.strip()[:500])
    if not closed:
        _refuse("notice_closed", "这条紧急通知已经结束", "This emergency notice has ended")
    notice.refresh_from_db()
    return notice

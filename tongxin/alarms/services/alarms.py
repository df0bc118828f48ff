"""Writes for the one-key emergency call: devices, intake, notices, escalation, acknowledging.

Intake (:func:`press`) stores the alarm first, in its own short transaction, and only then
queues its notices (:func:`notify_level`, a second transaction); a process dying between
the two leaves ``notified_level`` behind ``level`` and :func:`sweep` sends them. Notices are
exactly-once per (alarm, level, recipient): a unique notice step here, and the outbox's own
unique event key. Escalation is a task queued for the deadline (:func:`escalate` re-checks
the alarm); the sweep catches a lost task.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tongxin.alarms import conf
from tongxin.alarms.models import Alarm, AlarmOutcome, AlarmState, AlarmStep, Device, StepKind
from tongxin.core import access, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import GridCoverage, Place, User
from tongxin.core.privacy import mask_name, mask_phone
from tongxin.core.tree import lineage

log = logging.getLogger(__name__)

#: A second press of the same subject's button within this joins the alarm still open.
JOIN_WINDOW = datetime.timedelta(minutes=2)
#: 0: the subject's own circle (helpers, building chief, grid workers, family); 1: the
#: community's duty list (community staff, until issue 13's rosters); 2: the street.
TOP_LEVEL = 2
LEVEL_ROLES = {1: ("community_staff",), 2: ("street_leader",)}
#: A drill goes to level 0 only and never escalates.
DRILL_PREFIX = "【演练】"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_device(subject, label: str) -> tuple[Device, str]:
    """A new call button for ``subject``; the secret is returned once and kept only as a hash."""
    secret = secrets.token_urlsafe(24)
    device = Device.objects.create(subject=subject, label=label[:60], home_path=subject.home_path,
                                   secret_hash=hash_secret(secret))
    return device, secret


def button_token(device: Device, secret: str) -> str:
    """The big-button page's capability: the device and its secret (``/alarms/b/<token>/``)."""
    return f"{device.pk}-{secret}"


_DUMMY = hash_secret("no such device")


def authenticate(device_id, secret) -> Device:
    """The active device whose secret this is, or a refusal (the same for any wrong part)."""
    try:
        pk = int(device_id)
    except (TypeError, ValueError):
        pk = 0
    device = Device.objects.filter(pk=pk, active=True).select_related("subject").first() if pk > 0 else None
    given = hash_secret(str(secret or ""))
    if not hmac.compare_digest(given, device.secret_hash if device else _DUMMY) or device is None:
        raise RefusedError("device_refused", "呼叫器编号或密钥不对，或呼叫器已停用",
                           "Unknown device, wrong secret, or the device is no longer active")
    return device


def device_for_token(token: str) -> Device | None:
    device_id, _sep, secret = (token or "").partition("-")
    try:
        return authenticate(device_id, secret)
    except RefusedError:
        return None


def heartbeat(device: Device, now=None) -> None:
    Device.objects.filter(pk=device.pk).update(last_heartbeat_at=now or timezone.now())


# --- intake ------------------------------------------------------------------------------
def press(device: Device, *, drill: bool = False, now=None) -> tuple[Alarm, bool]:
    """A press of ``device``: a new alarm (True), or the open one it joins (False).

    The alarm commits here before anything else; then its notices are queued. A failure
    queuing them does not lose the alarm (the sweep sends them)."""
    now = now or timezone.now()
    with transaction.atomic():
        Device.objects.select_for_update().filter(pk=device.pk).first()  # one press at a time per device
        live = (Alarm.objects.select_for_update()
                .filter(subject_id=device.subject_id, raised_at__gte=now - JOIN_WINDOW, drill=drill)
                .exclude(state=AlarmState.CLOSED).order_by("-raised_at").first())
        if live is not None:
            live.presses += 1
            live.save(update_fields=["presses"])
            AlarmStep.objects.create(alarm=live, at=now, kind=StepKind.JOINED, level=live.level)
            return live, False
        alarm = Alarm.objects.create(
            subject_id=device.subject_id, device=device, subject_path=device.home_path, raised_at=now, drill=drill,
            next_escalation_at=None if drill else now + datetime.timedelta(seconds=conf.ack_seconds()),
        )
        AlarmStep.objects.create(alarm=alarm, at=now, kind=StepKind.RAISED)
        Device.objects.filter(pk=device.pk).update(last_heartbeat_at=now)
    try:
        notify_level(alarm.pk, 0)
    except Exception:  # stored already: the sweep sends what did not go
        log.exception("alarm %s: notices not queued; the sweep will", alarm.pk)
    return alarm, True


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:5", "contact:3"
    label: str
    user: object = None
    contact: object = None


def _users(assignments) -> list:
    return list(User.objects.filter(person__roles__in=assignments, is_active=True).select_related("person")
                .distinct().order_by("pk"))


def recipients(alarm: Alarm, level: int) -> list[Recipient]:
    """Who is told at ``level``: each user once, then (level 0) each family contact."""
    from tongxin.care.models import EmergencyContact, Pairing

    above = lineage(alarm.subject_path)
    found: dict[str, Recipient] = {}

    def add(users, role_label):
        for user in users:
            found.setdefault(f"user:{user.pk}", Recipient(f"user:{user.pk}", f"{role_label} {user.person or user}",
                                                          user=user))

    current = access.current_assignments()
    if level == 0:
        helpers = Pairing.objects.filter(subject_id=alarm.subject_id, valid_to__isnull=True).values("helper")
        add(User.objects.filter(person__in=helpers, is_active=True).select_related("person").order_by("pk"),
            "结对帮扶人")
        add(_users(current.filter(role="building_chief", place__path__in=above)), "楼栋长")
        grids = GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True).values("grid")
        add(_users(current.filter(role="grid_worker").filter(Q(place__in=grids) | Q(place__path__in=above))),
            "网格员")
        for contact in EmergencyContact.objects.filter(subject_id=alarm.subject_id):
            relation = f"（{contact.relation}）" if contact.relation else ""
            found[f"contact:{contact.pk}"] = Recipient(
                f"contact:{contact.pk}", f"家属 {mask_name(contact.name)}{relation} {mask_phone(contact.phone)}",
                contact=contact)
    else:
        label = "社区值班" if level == 1 else "街道"
        add(_users(current.filter(role__in=LEVEL_ROLES[level], place__path__in=above)), label)
    return list(found.values())


def notify_level(alarm_id: int, level: int, now=None) -> int:
    """Queue the notices of ``level`` (once: a second call does nothing); returns how many steps."""
    now = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().select_related("subject__person").filter(pk=alarm_id).first()
        if alarm is None or alarm.notified_level >= level or alarm.state == AlarmState.CLOSED and level > 0:
            return 0
        found = recipients(alarm, level)
        AlarmStep.objects.bulk_create(
            [AlarmStep(alarm=alarm, at=now, kind=StepKind.NOTICE, level=level, recipient=r.key, user=r.user,
                       label=r.label[:120]) for r in found],
            ignore_conflicts=True,
        )
        place = Place.objects.filter(path=alarm.subject_path).first()
        kind = "alarm_raised" if level == 0 else "alarm_escalated"
        prefix = DRILL_PREFIX if alarm.drill else ""
        person = alarm.subject.person
        where = place.name if place else ""
        subject = f"{prefix}{mask_name(person.name)} 按下了呼叫器 · {where}"[:200]
        url = reverse("alarms-alarm", args=[alarm.pk])
        payload = {"alarm": alarm.pk, "level": level, "drill": alarm.drill, "raised_at": alarm.raised_at.isoformat()}
        users = [r.user for r in found if r.user is not None]
        if users:
            outbox.notify(kind, f"alarm:{alarm.pk}:L{level}", subject=subject, users=users, url=url, place=place,
                          payload=payload, webhooks=False)
        for r in found:
            if r.contact is not None:  # no login: the SMS/voice gateway calls the phone in the payload
                outbox.notify(kind, f"alarm:{alarm.pk}:L{level}:{r.key}", subject=subject, place=place, url=url,
                              payload={**payload, "phone": r.contact.phone, "name": r.contact.name,
                                       "relation": r.contact.relation, "resident": person.name})
        alarm.notified_level = level
        alarm.save(update_fields=["notified_level"])
        if level == 0 and alarm.next_escalation_at is not None:
            schedule_escalation(alarm)
    return len(found)


def schedule_escalation(alarm: Alarm) -> None:
    from tongxin.alarms.tasks import escalate_alarm

    escalate_alarm.using(run_after=alarm.next_escalation_at).enqueue(alarm.pk, alarm.level + 1)


# --- escalation --------------------------------------------------------------------------
def escalate(alarm_id: int, level: int, now=None) -> bool:
    """Nobody acknowledged by the deadline: go to ``level``. Re-checks; a stale call does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().filter(pk=alarm_id).first()
        if (alarm is None or alarm.state != AlarmState.OPEN or alarm.drill or alarm.level >= level
                or level > TOP_LEVEL or alarm.next_escalation_at is None
                or alarm.next_escalation_at > now + datetime.timedelta(seconds=1)):
            return False
        alarm.level = level
        alarm.next_escalation_at = (now + datetime.timedelta(seconds=conf.ack_seconds())
                                    if level < TOP_LEVEL else None)
        alarm.save(update_fields=["level", "next_escalation_at"])
        AlarmStep.objects.create(alarm=alarm, at=now, kind=StepKind.ESCALATED, level=level)
        notify_level(alarm.pk, level, now=now)
        if alarm.next_escalation_at is not None:
            schedule_escalation(alarm)
    return True


def sweep(now=None) -> int:
    """Recurring: notices never queued (a killed web process) and escalations whose task was lost."""
    now = now or timezone.now()
    done = 0
    behind = Alarm.objects.exclude(state=AlarmState.CLOSED).filter(notified_level__lt=0).values_list("pk", flat=True)
    for pk in list(behind[:500]):
        done += bool(notify_level(pk, 0))
    due = Alarm.objects.filter(state=AlarmState.OPEN, next_escalation_at__lte=now - datetime.timedelta(seconds=2))
    for pk, level in list(due.values_list("pk", "level")[:500]):
        done += escalate(pk, level + 1, now=now)
    return done


# --- answering ---------------------------------------------------------------------------
def acknowledge(user, alarm: Alarm, now=None) -> bool:
    """Someone is on it: escalation stops. A second acknowledgement changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if alarm.state != AlarmState.OPEN:
            return False
        alarm.state, alarm.acknowledged_by, alarm.acknowledged_at = AlarmState.ACKNOWLEDGED, user, now
        alarm.next_escalation_at = None
        alarm.save(update_fields=["state", "acknowledged_by", "acknowledged_at", "next_escalation_at"])
        AlarmStep.objects.create(alarm=alarm, at=now, kind=StepKind.ACKNOWLEDGED, level=alarm.level, user=user,
                                 label=str(getattr(user, "person", None) or user)[:120])
    return True


def close(user, alarm: Alarm, outcome: str, note: str = "", now=None) -> bool:
    if outcome not in AlarmOutcome.values:
        raise RefusedError("outcome_invalid", "请选择处理结果", "Choose an outcome")
    now = now or timezone.now()
    with transaction.atomic():
        alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
        if alarm.state == AlarmState.CLOSED:
            return False
        if alarm.acknowledged_at is None:
            alarm.acknowledged_by, alarm.acknowledged_at = user, now
        alarm.state, alarm.closed_by, alarm.closed_at = AlarmState.CLOSED, user, now
        alarm.outcome, alarm.outcome_note, alarm.next_escalation_at = outcome, (note or "")[:500], None
        alarm.save()
        AlarmStep.objects.create(alarm=alarm, at=now, kind=StepKind.CLOSED, level=alarm.level, user=user,
                                 label=str(alarm.get_outcome_display())[:120])
    return True

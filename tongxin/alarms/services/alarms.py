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
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tongxin.alarms import conf
from tongxin.alarms.models import Alarm, AlarmOutcome, AlarmState, AlarmStep, Device, StepKind
from tongxin.core import memo, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.inserts import insert
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


def _refused() -> RefusedError:
    return RefusedError("device_refused", "呼叫器编号或密钥不对，或呼叫器已停用",
                        "Unknown device, wrong secret, or the device is no longer active")


def _device_pk(device_id) -> int:
    try:
        pk = int(device_id)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < 2**62 else 0


def authenticate(device_id, secret) -> Device:
    """The active device whose secret this is, or a refusal (the same for any wrong part)."""
    pk = _device_pk(device_id)
    device = Device.objects.filter(pk=pk, active=True).select_related("subject").first() if pk else None
    given = hash_secret(str(secret or ""))
    if not hmac.compare_digest(given, device.secret_hash if device else _DUMMY) or device is None:
        raise _refused()
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
# The intake is the one write here that must stay cheap under a burst of presses: its
# statements are written out once per process (``_sql``) instead of built by the ORM on
# every press, and the alarm and its step go in with ``core.inserts`` (no save signals:
# nothing listens to Alarm's or AlarmStep's, a test holds it). ``docs/care.md``, "Measured".
_STATEMENTS: dict[tuple, str] = {}


def _sql(connection, key: tuple, build) -> str:
    full = (connection.vendor, *key)
    if full not in _STATEMENTS:
        _STATEMENTS[full] = build(connection.ops.quote_name, connection)
    return _STATEMENTS[full]


def _table(model) -> str:
    return model._meta.db_table


def _lock_device_sql(q, connection) -> str:
    # Locks the device's row (one press at a time per device) and counts the press as a
    # heartbeat, in one statement; a refused press rolls it back.
    return (f"UPDATE {q(_table(Device))} SET last_heartbeat_at = %s WHERE id = %s AND active = %s "
            f"RETURNING subject_id, home_path, secret_hash")


def _live_alarm_sql(q, connection) -> str:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (f"SELECT id FROM {q(_table(Alarm))} WHERE subject_id = %s AND raised_at >= %s AND drill = %s "
            f"AND state <> %s ORDER BY raised_at DESC LIMIT 1{lock}")


@dataclass(frozen=True)
class Pressed:
    alarm_id: int
    created: bool  # False: the press joined an alarm still open
    drill: bool


def raise_alarm(device_id, secret, *, drill: bool = False, now=None) -> Pressed:
    """A press from a device proving itself with its secret (the API, the big-button page).

    The alarm is written first and its notices after, in the same transaction but in a
    savepoint of their own: a failure queuing the notices rolls back only them, the alarm
    commits (``notified_level`` -1) and the sweep sends them. Nothing leaves the building
    before the alarm is stored: the notices are outbox rows that commit with it. One commit,
    not two, is what lets a 2-core machine take a hundred presses a second (``docs/care.md``).
    A process killed before the commit stored nothing and answered nothing: the device
    presses again."""
    return _press(_device_pk(device_id), str(secret or ""), drill, now or timezone.now())


def press(device: Device, *, drill: bool = False, now=None) -> tuple[Alarm, bool]:
    """A press of a device already in hand: the alarm, and whether it is new."""
    pressed = _press(device.pk, None, drill, now or timezone.now())
    return Alarm.objects.get(pk=pressed.alarm_id), pressed.created


def _press(device_pk: int, secret: str | None, drill: bool, now) -> Pressed:
    connection = transaction.get_connection()
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_sql(connection, ("lock-device",), _lock_device_sql), [adapt(now), device_pk, True])
            device = cursor.fetchone()
        if secret is not None:  # compared whether or not the device exists: the same time either way
            known = hmac.compare_digest(hash_secret(secret), device[2] if device else _DUMMY)
            if device is None or not known:
                raise _refused()
        elif device is None:
            raise _refused()
        subject_id, home_path = device[0], device[1]
        with connection.cursor() as cursor:
            cursor.execute(_sql(connection, ("live-alarm",), _live_alarm_sql),
                           [subject_id, adapt(now - JOIN_WINDOW), drill, AlarmState.CLOSED])
            live = cursor.fetchone()
        if live is not None:
            alarm = Alarm.objects.get(pk=live[0])
            Alarm.objects.filter(pk=alarm.pk).update(presses=F("presses") + 1)
            insert(AlarmStep(alarm_id=alarm.pk, at=now, kind=StepKind.JOINED, level=alarm.level))
            return Pressed(alarm.pk, False, drill)
        alarm = Alarm(subject_id=subject_id, device_id=device_pk, subject_path=home_path, raised_at=now, drill=drill,
                      next_escalation_at=None if drill else now + datetime.timedelta(seconds=conf.ack_seconds()))
        insert(alarm)
        insert(AlarmStep(alarm_id=alarm.pk, at=now, kind=StepKind.RAISED))
        try:
            notify_level(alarm.pk, 0, now=now)  # a savepoint: its failure leaves the alarm to commit
        except Exception:
            log.exception("alarm %s: notices not queued; the sweep will", alarm.pk)
    return Pressed(alarm.pk, True, drill)


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:5", "contact:3"
    label: str
    user: object = None
    contact: object = None


#: Who is told at each level, in this order (a user named twice keeps the first label).
LEVEL_0_PARTS = (("helper", "结对帮扶人"), ("building_chief", "楼栋长"), ("grid_worker", "网格员"))
LEVEL_LABELS = {1: "社区值班", 2: "街道"}


def _recipients_sql(level: int, depth: int):
    """One statement for everyone told at ``level`` about a subject whose home has ``depth``
    places above and including it: the subject's name first (part 0), then users, then (level
    0) family contacts. Columns: part, user id, e-mail, name, contact id, relation, phone."""
    from tongxin.care.models import CareSubject, EmergencyContact, Pairing
    from tongxin.core.models import Person, RoleAssignment

    def build(q, connection) -> str:
        paths = ", ".join(["%s"] * depth)
        person, user, place = q(_table(Person)), q(_table(User)), q(_table(Place))
        with_user = (f"JOIN {user} u ON u.person_id = {{src}} AND u.is_active = %s "
                     f"JOIN {person} p ON p.id = u.person_id")
        current = "ra.valid_from <= %s AND (ra.valid_to IS NULL OR ra.valid_to > %s)"  # as access.current_assignments
        roles = (f"FROM {q(_table(RoleAssignment))} ra JOIN {place} pl ON pl.id = ra.place_id "
                 + with_user.format(src="ra.person_id"))
        user_cols = "u.id, u.email, p.name, NULL, NULL, NULL, u.id, 0"
        none = "CAST(NULL AS BIGINT)"  # PostgreSQL types a union's columns by its first SELECT
        parts = [f"SELECT 0, {none}, NULL, p.name, {none}, NULL, NULL, 0, 0 FROM {q(_table(CareSubject))} cs "
                 f"JOIN {person} p ON p.id = cs.person_id WHERE cs.id = %s"]
        if level == 0:
            parts += [
                f"SELECT 1, {user_cols} FROM {q(_table(Pairing))} pr {with_user.format(src='pr.helper_id')} "
                f"WHERE pr.subject_id = %s AND pr.valid_to IS NULL",
                f"SELECT 2, {user_cols} {roles} WHERE ra.role = %s AND pl.path IN ({paths}) AND {current}",
                f"SELECT 3, {user_cols} {roles} WHERE ra.role = %s AND {current} AND (pl.path IN ({paths}) OR "
                f"ra.place_id IN (SELECT gc.grid_id FROM {q(_table(GridCoverage))} gc JOIN {place} cp "
                f"ON cp.id = gc.place_id WHERE cp.path IN ({paths}) AND gc.valid_to IS NULL))",
                f"SELECT 4, NULL, NULL, c.name, c.id, c.relation, c.phone, c.{q('order')}, c.id "
                f"FROM {q(_table(EmergencyContact))} c WHERE c.subject_id = %s",
            ]
        else:
            roles_in = ", ".join(["%s"] * len(LEVEL_ROLES[level]))
            parts.append(f"SELECT 1, {user_cols} {roles} WHERE ra.role IN ({roles_in}) AND pl.path IN ({paths}) "
                         f"AND {current}")
        return " UNION ALL ".join(parts) + " ORDER BY 1, 8, 9"

    return ("recipients", level, depth), build


def _recipient_rows(subject_id: int, subject_path: str, level: int) -> tuple[str, list]:
    """The subject's name and the rows of :func:`_recipients_sql`."""
    connection = transaction.get_connection()
    above = lineage(subject_path)
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    if level == 0:
        params = [subject_id, True, subject_id, True, "building_chief", *above, today, today,
                  True, "grid_worker", today, today, *above, *above, subject_id]
    else:
        params = [subject_id, True, *LEVEL_ROLES[level], *above, today, today]
    key, build = _recipients_sql(level, len(above))
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection, key, build), params)
        rows = cursor.fetchall()
    name = rows[0][3] if rows and rows[0][0] == 0 else ""
    return name, [row for row in rows if row[0] != 0]


def _to_recipients(level: int, rows) -> list[Recipient]:
    from tongxin.care.models import EmergencyContact

    labels = dict(enumerate([label for _code, label in LEVEL_0_PARTS], start=1)) if level == 0 else {
        1: LEVEL_LABELS[level]}
    found: dict[str, Recipient] = {}
    for part, user_id, email, name, contact_id, relation, phone, *_order in rows:
        if user_id is not None:
            key = f"user:{user_id}"
            if key not in found:
                user = User(pk=user_id, email=email or "", is_active=True)
                found[key] = Recipient(key, f"{labels[part]} {name}", user=user)
        else:
            contact = EmergencyContact(pk=contact_id, name=name, relation=relation or "", phone=phone)
            shown = f"（{relation}）" if relation else ""
            found[f"contact:{contact_id}"] = Recipient(
                f"contact:{contact_id}", f"家属 {mask_name(name)}{shown} {mask_phone(phone)}", contact=contact)
    return list(found.values())


def recipients(alarm: Alarm, level: int) -> list[Recipient]:
    """Who is told at ``level``: each user once, then (level 0) each family contact."""
    _name, rows = _recipient_rows(alarm.subject_id, alarm.subject_path, level)
    return _to_recipients(level, rows)


def _claim_sql(q, connection) -> str:
    # Marks the level's notices as queued and reads what they need, in one statement: a
    # second call (the sweep racing the intake) finds nothing to claim and sends nothing.
    return (f"UPDATE {q(_table(Alarm))} SET notified_level = %s WHERE id = %s AND notified_level < %s "
            f"AND (state <> %s OR %s = 0) RETURNING subject_id, subject_path, drill, raised_at, next_escalation_at, "
            f"level")


def _place(path: str) -> Place | None:
    return memo.get_or_set(f"alarms:place:{path}", lambda: Place.objects.filter(path=path).first(), 60)


def notify_level(alarm_id: int, level: int, now=None) -> int:
    """Queue the notices of ``level`` (once: a second call does nothing); returns how many steps."""
    now = now or timezone.now()
    connection = transaction.get_connection()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_sql(connection, ("claim",), _claim_sql), [level, alarm_id, level, AlarmState.CLOSED, level])
            claimed = cursor.fetchone()
        if claimed is None:
            return 0
        subject_id, subject_path, drill, raised_at, next_escalation_at, alarm_level = claimed
        raised_at, next_escalation_at = _datetime(connection, raised_at), _datetime(connection, next_escalation_at)
        name, rows = _recipient_rows(subject_id, subject_path, level)
        found = _to_recipients(level, rows)
        AlarmStep.objects.bulk_create(
            [AlarmStep(alarm_id=alarm_id, at=now, kind=StepKind.NOTICE, level=level, recipient=r.key,
                       user_id=r.user.pk if r.user is not None else None, label=r.label[:120]) for r in found],
            ignore_conflicts=True,
        )
        place = _place(subject_path)
        kind = "alarm_raised" if level == 0 else "alarm_escalated"
        prefix = DRILL_PREFIX if drill else ""
        subject = f"{prefix}{mask_name(name)} 按下了呼叫器 · {place.name if place else ''}"[:200]
        url = reverse("alarms-alarm", args=[alarm_id])
        payload = {"alarm": alarm_id, "level": level, "drill": bool(drill), "raised_at": raised_at.isoformat()}
        users = [r.user for r in found if r.user is not None]
        notices = [outbox.Notice(f"alarm:{alarm_id}:L{level}", subject, users=users, url=url, place=place,
                                 payload=payload, webhooks=False)] if users else []
        # Family contacts have no login: the SMS/voice gateway calls the phone in the payload.
        notices += [outbox.Notice(f"alarm:{alarm_id}:L{level}:{r.key}", subject, place=place, url=url,
                                  payload={**payload, "phone": r.contact.phone, "name": r.contact.name,
                                           "relation": r.contact.relation, "resident": name})
                    for r in found if r.contact is not None]
        if notices:
            outbox.notify_all(kind, notices)
        if level == 0 and next_escalation_at is not None:
            schedule_escalation(alarm_id, alarm_level + 1, next_escalation_at)
    return len(found)


def _datetime(connection, value):
    """A timestamp as the raw cursor gave it (SQLite: naive, in UTC) as an aware datetime."""
    if value is None or isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)


def schedule_escalation(alarm_id: int, level: int, at) -> None:
    from tongxin.alarms.tasks import escalate_alarm

    escalate_alarm.using(run_after=at).enqueue(alarm_id, level)


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
            schedule_escalation(alarm.pk, level + 1, alarm.next_escalation_at)
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

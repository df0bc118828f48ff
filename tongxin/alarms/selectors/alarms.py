"""Reads for the duty screen, an alarm's page and the history, scoped: the alarms at places the
viewer may answer for (``alarms.respond``), and those the viewer was told of (a paired helper)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from tongxin.alarms import conf
from tongxin.alarms.apps import RESPOND
from tongxin.alarms.models import Alarm, AlarmState, AlarmStep, Device
from tongxin.core import access, privacy
from tongxin.core.models import OutboxMessage, Place
from tongxin.core.pagination import by_value_page
from tongxin.core.privacy import mask_name, mask_phone

DUTY_LIMIT = 100
HISTORY_PAGE = 50


def visible_q(user) -> Q:
    told = AlarmStep.objects.filter(user=user).values("alarm")
    return access.path_filter(user, RESPOND, "subject_path") | Q(pk__in=told)


def visible_alarm(user, pk) -> Alarm | None:
    return (Alarm.objects.filter(visible_q(user), pk=pk)
            .select_related("subject__person", "device", "acknowledged_by__person").first())


def may_answer(user, alarm: Alarm) -> bool:
    return visible_alarm(user, alarm.pk) is not None


@dataclass
class Card:
    alarm: Alarm
    name: str
    phone: str
    phone_masked: bool
    building: str
    unit: str
    seconds: int


def _places(paths: set[str]) -> dict[str, Place]:
    here = {p.path: p for p in Place.objects.filter(path__in=paths).select_related("parent")}
    return here


def cards(user, alarms: list[Alarm], now=None) -> list[Card]:
    """What a card shows: the subject named and phoned in full for who may see them, else masked."""
    now = now or timezone.now()
    places = _places({a.subject_path for a in alarms})
    told = set(AlarmStep.objects.filter(user=user, alarm__in=[a.pk for a in alarms]).values_list("alarm", flat=True))
    found = []
    for alarm in alarms:
        person = alarm.subject.person
        full = alarm.pk in told or privacy.can_see_personal(user, person)
        place = places.get(alarm.subject_path)
        parent = place.parent if place is not None and place.kind == "entrance" else None
        found.append(Card(
            alarm=alarm, name=person.name if full else mask_name(person.name),
            phone=person.phone if full else mask_phone(person.phone), phone_masked=not full,
            building=(parent.name if parent else (place.name if place else "")),
            unit=place.name if parent else "",
            seconds=int((now - alarm.raised_at).total_seconds()),
        ))
    return found


def duty_alarms(user) -> list[Alarm]:
    """Open alarms first (oldest first: the longest waiting), then acknowledged ones not yet closed."""
    live = (Alarm.objects.filter(visible_q(user)).exclude(state=AlarmState.CLOSED)
            .select_related("subject__person", "acknowledged_by__person").order_by("state", "raised_at")[:DUTY_LIMIT])
    rows = list(live)
    return sorted(rows, key=lambda a: (a.state != AlarmState.OPEN, a.raised_at))


def silent_devices(user, now=None) -> list[Device]:
    """Active devices of the viewer's places that sent no heartbeat for longer than allowed."""
    if not access.has_permission(user, RESPOND):
        return []
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=conf.silent_hours())
    return list(Device.objects.filter(access.path_filter(user, RESPOND, "home_path"), active=True)
                .filter(Q(last_heartbeat_at__lt=cutoff) | Q(last_heartbeat_at__isnull=True))
                .select_related("subject__person").order_by("last_heartbeat_at", "pk")[:50])


def steps(alarm: Alarm) -> list[dict]:
    return [{"step": step, "seconds": int((step.at - alarm.raised_at).total_seconds())}
            for step in alarm.steps.all()]


def _first_delivered():
    prefix = Concat(Value("alarm:"), Cast(OuterRef("pk"), CharField()), Value(":"))
    return Subquery(OutboxMessage.objects.filter(event__startswith=prefix, delivered_at__isnull=False)
                    .order_by("delivered_at").values("delivered_at")[:1])


def first_notice_at(alarm: Alarm):
    return (OutboxMessage.objects.filter(event__startswith=f"alarm:{alarm.pk}:", delivered_at__isnull=False)
            .order_by("delivered_at").values_list("delivered_at", flat=True).first())


def history(user, before: str = "") -> tuple[list[dict], str]:
    """Past alarms, newest first, with response times; keyset by (raised_at, id): ``before`` is
    the last row's ``<iso>_<id>``."""
    rows = Alarm.objects.filter(visible_q(user)).select_related("subject__person").annotate(
        first_notice=_first_delivered())
    page, cursor = by_value_page(rows, "raised_at", before, HISTORY_PAGE, parse=datetime.datetime.fromisoformat,
                                 descending=True)
    found = []
    for card, alarm in zip(cards(user, page), page, strict=True):
        found.append({
            "card": card, "alarm": alarm,
            "to_notice": _seconds(alarm.raised_at, alarm.first_notice),
            "to_ack": _seconds(alarm.raised_at, alarm.acknowledged_at),
        })
    return found, cursor


def _seconds(start, end):
    return None if end is None else round((end - start).total_seconds(), 1)

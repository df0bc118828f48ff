"""Demo emergency calls at 沙市花园 (东苑社区), on the care demo's subjects (``care/demo.py``):
call buttons for the elderly living alone (two boxes and one big-button page; one box silent),
and past alarms with full timelines through the real services, each at an explicit time in
the past: answered by the paired helper, one that nobody answered and went to the community's
duty list (taken to hospital), a drill, a double press by mistake, and one acknowledged a
few minutes ago and not yet closed, so the duty screen has a card.

Idempotent: a subject that already has a device is left alone, and the alarms are added only
while the demo subjects have none. The big-button link of one device is printed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tongxin.alarms import conf
from tongxin.alarms.models import Alarm, AlarmStep, Device, StepKind
from tongxin.alarms.services import alarms as services
from tongxin.care.models import CareSubject, Pairing
from tongxin.core import delivery
from tongxin.core.models import GridCoverage, OutboxMessage, Place, RoleAssignment, User
from tongxin.core.tree import lineage

COMPOUND = "jz-dongyuan-ssh"
DEVICES = ("孝心呼叫器（卧室）", "孝心呼叫器（客厅）", "手机大按钮页面")


def load(stdout) -> None:
    compound = Place.objects.filter(code=COMPOUND).first()
    subjects = list(CareSubject.objects.filter(
        home_path__gte=compound.path, home_path__lt=compound.path_end, closed_on__isnull=True,
        person__tags__tag="elderly_alone").select_related("person").order_by("home_path", "pk")[:3]) if compound else []
    if len(subjects) < 3:
        stdout.write("  alarms: the care demo's elderly living alone are missing; nothing loaded\n")
        return
    now = timezone.now()
    devices, link = [], ""
    for subject, label in zip(subjects, DEVICES, strict=True):
        device = Device.objects.filter(subject=subject).order_by("pk").first()
        if device is None:
            device, secret = services.add_device(subject, label)
            if label == DEVICES[-1]:
                path = reverse("alarms-button", args=[services.button_token(device, secret)])
                link = f"{settings.TONGXIN_SITE_URL.rstrip('/')}{path}"
        devices.append(device)
    alarms = 0
    if not Alarm.objects.filter(subject__in=subjects).exists():
        alarms = _alarms(subjects, devices, now)
    # Heartbeats: the first box and the page heard an hour ago; the second box silent for two days.
    services.heartbeat(devices[0], now=now - datetime.timedelta(hours=1))
    services.heartbeat(devices[1], now=now - datetime.timedelta(days=2))
    services.heartbeat(devices[2], now=now - datetime.timedelta(hours=1))
    shown = f"; big-button page of {subjects[2].person.name}: {link}" if link else ""
    stdout.write(f"  alarms: {len(devices)} call buttons (one silent), {alarms} past emergency calls{shown}\n")


def _role_user(role: str, subject: CareSubject):
    """A user holding ``role`` over the subject's home (a place above it, or a grid covering it)."""
    above = lineage(subject.home_path)
    grids = GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True).values("grid")
    row = (RoleAssignment.objects.filter(role=role, valid_to__isnull=True, person__user__isnull=False)
           .filter(Q(place__path__in=above) | Q(place__in=grids)).select_related("person__user").order_by("id").first())
    return row.person.user if row else None


def _helper(subject: CareSubject):
    pairing = Pairing.objects.filter(subject=subject, valid_to__isnull=True, helper__user__isnull=False).order_by(
        "id").select_related("helper__user").first()
    return pairing.helper.user if pairing else None


def _alarms(subjects, devices, now) -> int:
    staff = _role_user("community_staff", subjects[0]) or User.objects.filter(is_superuser=True).first()
    worker = _role_user("grid_worker", subjects[0]) or staff
    chief = _role_user("building_chief", subjects[0]) or worker
    helper = _helper(subjects[0]) or worker
    day = timezone.localtime(now).replace(second=0, microsecond=0)
    at = lambda days, hour, minute: day - datetime.timedelta(days=days) + datetime.timedelta(  # noqa: E731
        hours=hour - day.hour, minutes=minute - day.minute)
    s = datetime.timedelta(seconds=1)
    made = []
    # 1. Answered by the paired helper in a minute and a half: dizzy on getting up.
    alarm = _press(devices[0], at(9, 7, 42))
    services.acknowledge(helper, alarm, now=alarm.raised_at + 95 * s)
    services.close(helper, alarm, "helped", "起床时头晕，已扶坐下，量血压后无碍，已告知女儿",
                   now=alarm.raised_at + 26 * 60 * s)
    made.append(alarm)
    # 2. Nobody answered in five minutes: the community's duty list; taken to hospital.
    alarm = _press(devices[1], at(5, 21, 10))
    services.escalate(alarm.pk, 1, now=alarm.raised_at + conf.ack_seconds() * s)
    services.acknowledge(staff, alarm, now=alarm.raised_at + (conf.ack_seconds() + 41) * s)
    services.close(staff, alarm, "hospital", "疑似中风，120送市中心医院，侄子已到医院",
                   now=alarm.raised_at + 52 * 60 * s)
    made.append(alarm)
    # 3. A monthly drill from the big-button page: level 0 only, never escalates.
    alarm = _press(devices[2], at(3, 10, 0), drill=True)
    services.acknowledge(worker, alarm, now=alarm.raised_at + 58 * s)
    services.close(worker, alarm, "drill", "月度演练，网格员一分钟内响应", now=alarm.raised_at + 10 * 60 * s)
    made.append(alarm)
    # 4. Pressed twice by mistake while dusting: the second press joins the first.
    alarm = _press(devices[0], at(1, 15, 30))
    services.press(devices[0], now=alarm.raised_at + 20 * s)
    services.acknowledge(chief, alarm, now=alarm.raised_at + 44 * s)
    services.close(chief, alarm, "false_alarm", "擦桌子时误按，电话确认安好", now=alarm.raised_at + 3 * 60 * s)
    made.append(alarm)
    # 5. Acknowledged a few minutes ago, not yet closed: on the duty screen now.
    alarm = _press(devices[2], now - datetime.timedelta(minutes=12))
    services.acknowledge(worker, alarm, now=alarm.raised_at + 70 * s)
    made.append(alarm)
    _deliver(made)
    return len(made)


def _press(device, when, *, drill=False):
    """``press`` at a past time. Its notices are stamped by the intake at the real time; the demo
    moves them to two seconds after the press, as they would have been."""
    alarm, _new = services.press(device, drill=drill, now=when)
    AlarmStep.objects.filter(alarm=alarm, kind=StepKind.NOTICE, level=0).update(at=when + datetime.timedelta(seconds=2))
    return alarm


def _deliver(alarms) -> None:
    """Deliver the notices now, then date them to one second after their step (the history's
    "to first notice")."""
    delivery.deliver_due()
    for alarm in alarms:
        for step in alarm.steps.filter(kind__in=(StepKind.RAISED, StepKind.ESCALATED)).order_by("at"):
            level = 0 if step.kind == StepKind.RAISED else step.level
            OutboxMessage.objects.filter(event__startswith=f"alarm:{alarm.pk}:L{level}", delivered_at__isnull=False
                                         ).update(delivered_at=step.at + datetime.timedelta(seconds=1),
                                                  created_at=step.at)

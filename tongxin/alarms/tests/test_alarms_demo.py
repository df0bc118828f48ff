"""The alarms demo: on the care demo's subjects, twice without duplicates; the duty screen and
the history have content; the printed big-button link works."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from tongxin.alarms import demo as alarms_demo
from tongxin.alarms.models import Alarm, AlarmOutcome, AlarmStep, Device
from tongxin.core.models import OutboxMessage

pytestmark = pytest.mark.django_db
TABLES = (Device, Alarm, AlarmStep, OutboxMessage)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.care.demo import load as load_care
    from tongxin.demands.demo import load as load_demands
    from tongxin.registers.demo import load as load_registers
    from tongxin.volunteering.demo import load as load_volunteering

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                out = io.StringIO()
                for load in (load_registers, load_demands, load_volunteering, load_care, alarms_demo.load):
                    load(out)
                first = {table.__name__: table.objects.count() for table in TABLES}
                alarms_demo.load(out)
                again = {table.__name__: table.objects.count() for table in TABLES}
            yield {"out": out.getvalue(), "first": first, "again": again}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["first"]["Device"] == 3 and demo["first"]["Alarm"] == 5


def test_past_calls_have_full_timelines_and_every_outcome_kind_shown(demo):
    outcomes = set(Alarm.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {AlarmOutcome.HELPED, AlarmOutcome.HOSPITAL, AlarmOutcome.DRILL, AlarmOutcome.FALSE_ALARM}
    assert Alarm.objects.filter(drill=True, level=0).count() == 1
    assert Alarm.objects.filter(level=1, outcome="hospital").exists()
    for alarm in Alarm.objects.all():
        kinds = list(alarm.steps.values_list("kind", flat=True))
        assert kinds[0] == "raised" and "notice" in kinds and "acknowledged" in kinds
        times = list(alarm.steps.values_list("at", flat=True))
        assert times == sorted(times)  # notices dated at the press, not at loading


def test_the_duty_screen_and_history_have_content(demo):
    worker = Alarm.objects.get(state="acknowledged").acknowledged_by
    client = Client()
    client.force_login(worker)
    duty = client.get(reverse("alarms-duty")).content.decode()
    assert "alarm-card" in duty and "孝心呼叫器（客厅）" in duty  # the silent box
    history = client.get(reverse("alarms-history")).content.decode()
    assert history.count(reverse("alarms-alarm", args=[Alarm.objects.get(outcome="drill").pk])) == 1


def test_the_printed_link_opens_the_big_button(demo):
    link = re.search(r"http://\S+/alarms/b/\S+/", demo["out"]).group(0)
    assert Client().get(urlsplit(link).path).status_code == 200

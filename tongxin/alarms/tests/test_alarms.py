"""The one-key emergency call: the device API, joining presses, drills, heartbeats, notices
once per (alarm, level, recipient), escalation, acknowledging, closing, and the pages' scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.alarms.models import Alarm, AlarmState, AlarmStep, StepKind
from tongxin.alarms.selectors import alarms as selectors
from tongxin.alarms.services import alarms as services
from tongxin.alarms.testing import care_setup
from tongxin.core.models import OutboxMessage
from tongxin.core.testing import PASSWORD, count_queries, login_for, two_grids

pytestmark = pytest.mark.django_db

URL = "/api/v1/alarms/"


@pytest.fixture
def setup():
    world = two_grids(households_per_entrance=2)
    return world, care_setup(world)


def _press(client, s, **extra):
    return client.post(URL, {"device": s.device.pk, "secret": s.secret, **extra}, content_type="application/json")


def test_a_press_stores_the_alarm_and_tells_helper_chief_grid_and_family(client, setup):
    world, s = setup
    answer = _press(client, s)
    assert answer.status_code == 201, answer.content
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    assert alarm.state == AlarmState.OPEN and alarm.level == 0 and alarm.notified_level == 0
    assert alarm.next_escalation_at is not None
    told = set(alarm.steps.filter(kind=StepKind.NOTICE).values_list("recipient", flat=True))
    expected = {f"user:{u.pk}" for u in (s.helper, world.users["chief_b1"], world.users["worker_a"])}
    assert told == expected | {f"contact:{s.contact.pk}"}
    assert f"user:{world.users['worker_b'].pk}" not in told
    users = OutboxMessage.objects.filter(event=f"alarm:{alarm.pk}:L0", channel="inbox")
    assert {m.user_id for m in users} == {s.helper.pk, world.users["chief_b1"].pk, world.users["worker_a"].pk}
    family = OutboxMessage.objects.get(event=f"alarm:{alarm.pk}:L0:contact:{s.contact.pk}")
    assert family.channel == "webhook" and family.payload["phone"] == "13912340000"
    assert family.subscriber_id == s.gateway.pk
    # urgent: e-mail right away, not in the digest
    assert not OutboxMessage.objects.filter(event__startswith=f"alarm:{alarm.pk}:", status="held").exists()


def test_a_wrong_secret_or_unknown_device_is_refused_with_a_clear_error(client, setup):
    _world, s = setup
    wrong = client.post(URL, {"device": s.device.pk, "secret": "guess"}, content_type="application/json")
    assert wrong.status_code == 403 and wrong.json()["code"] == "device_refused"
    assert "密钥" in wrong.json()["detail"]
    unknown = client.post(URL, {"device": 999999, "secret": s.secret}, content_type="application/json")
    assert unknown.status_code == 403
    garbled = client.post(URL, {"device": "x"}, content_type="application/json")
    assert garbled.status_code == 400 and garbled.json()["code"] == "request_invalid"
    s.device.active = False
    s.device.save()
    assert _press(client, s).status_code == 403
    assert not Alarm.objects.exists()


def test_a_bearer_token_works_too(client, setup):
    _world, s = setup
    answer = client.post(URL, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {s.token}")
    assert answer.status_code == 201


def test_presses_within_the_window_join_the_open_alarm_without_new_notices(client, setup):
    _world, s = setup
    first = _press(client, s).json()["alarm"]
    notices = OutboxMessage.objects.count()
    again = _press(client, s)
    assert again.status_code == 200 and again.json() == {"alarm": first, "joined": True, "drill": False}
    assert OutboxMessage.objects.count() == notices
    alarm = Alarm.objects.get(pk=first)
    assert alarm.presses == 2 and alarm.steps.filter(kind=StepKind.JOINED).count() == 1
    later = timezone.now() + services.JOIN_WINDOW + datetime.timedelta(seconds=1)
    other, created = services.press(s.device, now=later)
    assert created and other.pk != first


def test_a_drill_is_marked_and_never_escalates(client, setup):
    _world, s = setup
    answer = _press(client, s, drill=True)
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    assert alarm.drill and alarm.next_escalation_at is None
    assert all(m.subject.startswith("【演练】") for m in OutboxMessage.objects.all())
    assert all(m.payload["drill"] for m in OutboxMessage.objects.all())
    assert not services.escalate(alarm.pk, 1, now=timezone.now() + datetime.timedelta(hours=1))
    assert services.sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    # a real press at the same time is not swallowed by the drill
    real, created = services.press(s.device)
    assert created and not real.drill


def test_nobody_answers_community_then_street_then_acknowledged_stops(setup):
    world, s = setup
    alarm, _ = services.press(s.device)
    assert not services.escalate(alarm.pk, 1)  # before the deadline: nothing
    later = alarm.next_escalation_at
    assert services.escalate(alarm.pk, 1, now=later)
    assert not services.escalate(alarm.pk, 1, now=later)  # a second task for the same step
    alarm.refresh_from_db()
    assert alarm.level == 1
    staff = OutboxMessage.objects.filter(event=f"alarm:{alarm.pk}:L1", user=world.users["staff"])
    assert staff.exists() and staff.first().kind == "alarm_escalated"
    assert services.sweep(now=alarm.next_escalation_at + datetime.timedelta(seconds=5)) == 1  # a lost task
    alarm.refresh_from_db()
    assert alarm.level == 2 and alarm.next_escalation_at is None
    assert OutboxMessage.objects.filter(event=f"alarm:{alarm.pk}:L2", user=world.users["leader"]).exists()
    assert services.acknowledge(world.users["leader"], alarm)
    assert not services.acknowledge(s.helper, alarm)
    kinds = list(alarm.steps.exclude(kind=StepKind.NOTICE).order_by("id").values_list("kind", flat=True))
    assert kinds == ["raised", "escalated", "escalated", "acknowledged"]


def test_acknowledging_stops_escalation(setup):
    _world, s = setup
    alarm, _ = services.press(s.device)
    due = alarm.next_escalation_at
    assert services.acknowledge(s.helper, alarm)
    assert not services.escalate(alarm.pk, 1, now=due)
    assert services.close(s.helper, alarm, "helped", "扶起来了")
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLOSED and alarm.outcome == "helped"


def test_notices_are_once_per_alarm_level_and_recipient(setup):
    _world, s = setup
    alarm, _ = services.press(s.device)
    before = (OutboxMessage.objects.count(), AlarmStep.objects.count())
    Alarm.objects.filter(pk=alarm.pk).update(notified_level=-1)  # as if the first try were lost
    services.notify_level(alarm.pk, 0)
    assert (OutboxMessage.objects.count(), AlarmStep.objects.count()) == before


def test_the_sweep_sends_the_notices_of_an_alarm_stored_by_a_process_that_then_died(setup):
    _world, s = setup
    alarm = Alarm.objects.create(subject=s.subject, device=s.device, subject_path=s.device.home_path,
                                 raised_at=timezone.now(), next_escalation_at=timezone.now())
    assert not OutboxMessage.objects.exists()
    services.sweep()
    alarm.refresh_from_db()
    assert alarm.notified_level >= 0 and OutboxMessage.objects.filter(event__startswith=f"alarm:{alarm.pk}:").exists()


def test_heartbeats_and_silent_devices_on_the_duty_screen(client, setup):
    world, s = setup
    beat = client.post(URL + "heartbeat/", {"device": s.device.pk, "secret": s.secret},
                       content_type="application/json")
    assert beat.status_code == 204
    s.device.refresh_from_db()
    assert s.device.last_heartbeat_at is not None
    assert client.post(URL + "heartbeat/", {"device": s.device.pk, "secret": "no"},
                       content_type="application/json").status_code == 403
    worker = world.users["worker_a"]
    assert selectors.silent_devices(worker) == []
    type(s.device).objects.filter(pk=s.device.pk).update(last_heartbeat_at=timezone.now() - datetime.timedelta(days=3))
    assert [d.pk for d in selectors.silent_devices(worker)] == [s.device.pk]
    assert selectors.silent_devices(world.users["worker_b"]) == []
    client.login(phone="13100000001", password=PASSWORD)
    assert "王奶奶的呼叫器" in client.get(reverse("alarms-duty")).content.decode()


def test_the_screens_are_scoped(client, setup):
    world, s = setup
    alarm, _ = services.press(s.device)
    client.login(phone="13100000002", password=PASSWORD)  # grid B's worker
    assert client.get(reverse("alarms-alarm", args=[alarm.pk])).status_code == 404
    assert client.post(reverse("alarms-alarm", args=[alarm.pk]), {"action": "acknowledge"}).status_code == 404
    assert alarm.subject.person.name not in client.get(reverse("alarms-duty")).content.decode()
    assert alarm.subject.person.name not in client.get(reverse("alarms-history")).content.decode()
    client.logout()
    client.login(phone="13800000009", password=PASSWORD)  # the paired helper, no role: told of it
    page = client.get(reverse("alarms-duty")).content.decode()
    assert alarm.subject.person.name in page and alarm.subject.person.phone in page
    assert client.get(reverse("alarms-alarm", args=[alarm.pk])).status_code == 200
    client.logout()
    login_for(world, "outsider", "grid_worker", place=world.places["grid_b"], phone="13100000077")
    client.login(phone="13100000077", password=PASSWORD)
    assert client.get(reverse("alarms-alarm", args=[alarm.pk])).status_code == 404


def test_acknowledge_and_close_from_the_alarm_page(client, setup):
    _world, s = setup
    alarm, _ = services.press(s.device)
    client.login(phone="13100000001", password=PASSWORD)
    url = reverse("alarms-alarm", args=[alarm.pk])
    assert client.post(url, {"action": "acknowledge"}).status_code == 302
    bad = client.post(url, {"action": "close", "outcome": "nonsense"})
    assert bad.status_code == 400 and "请选择处理结果" in bad.content.decode()
    assert client.post(url, {"action": "close", "outcome": "hospital"}).status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLOSED and alarm.acknowledged_by.phone == "13100000001"
    page = client.get(url).content.decode()
    assert "已响应" in page and "送医" in page


def test_the_big_button_page(client, setup):
    _world, s = setup
    url = reverse("alarms-button", args=[s.token])
    assert client.get(url).status_code == 200
    pressed = client.post(url)
    assert pressed.status_code == 302
    alarm = Alarm.objects.get()
    assert client.get(pressed["Location"]).status_code == 200
    assert client.get(reverse("alarms-button", args=[f"{s.device.pk}-wrong"])).status_code == 404
    assert client.get(reverse("alarms-button", args=["nonsense"])).status_code == 404
    services.acknowledge(s.helper, alarm)
    assert "帮扶人老张" in client.get(pressed["Location"]).content.decode()


def test_history_has_response_times_and_flat_queries(client, setup):
    world, s = setup
    client.login(phone="13100000003", password=PASSWORD)  # community staff
    alarm, _ = services.press(s.device)
    OutboxMessage.objects.filter(event__startswith=f"alarm:{alarm.pk}:").update(
        delivered_at=alarm.raised_at + datetime.timedelta(seconds=2), status="delivered")
    services.acknowledge(world.users["worker_a"], alarm, now=alarm.raised_at + datetime.timedelta(seconds=30))
    client.get(reverse("alarms-history"))
    with count_queries() as few:
        page = client.get(reverse("alarms-history")).content.decode()
    assert "2.0" in page and "30.0" in page
    for n in range(5):
        services.press(s.device, now=timezone.now() + services.JOIN_WINDOW * (n + 2))
    with count_queries() as many:
        client.get(reverse("alarms-history"))
    assert len(many) == len(few)
    with count_queries() as duty_many:
        client.get(reverse("alarms-duty"))
    assert len(duty_many) <= len(few) + 8


def test_the_inbox_item_is_written_with_the_alarm_once_with_no_worker(client, setup):
    """``inbox_at_once``: the helper's screen has the alarm when the press is answered, and
    the notice is not repeated by a second look at the level or a second press."""
    from tongxin.core.models import InboxItem

    world, s = setup
    alarm_id = _press(client, s).json()["alarm"]
    items = InboxItem.objects.filter(url=reverse("alarms-alarm", args=[alarm_id]))
    assert {i.user_id for i in items} == {s.helper.pk, world.users["chief_b1"].pk, world.users["worker_a"].pk}
    rows = OutboxMessage.objects.filter(event=f"alarm:{alarm_id}:L0", channel="inbox")
    assert {r.status for r in rows} == {"delivered"}
    assert {r.delivery_id for r in rows} == {i.delivery_id for i in items}
    assert services.notify_level(alarm_id, 0) == 0
    assert _press(client, s).json()["joined"] is True
    assert items.count() == 3


def test_a_press_costs_the_same_statements_however_many_are_told(client, setup):
    """The recipients are one statement, the notices one INSERT, whoever is told."""
    from tongxin.care.models import EmergencyContact, Pairing
    from tongxin.core.services.people import create_person
    from tongxin.core.services.roles import create_login

    world, s = setup
    assert _press(client, s).status_code == 201  # warm: the place memo, the delivery task queued
    Alarm.objects.update(state=AlarmState.CLOSED)
    with count_queries() as few:
        assert _press(client, s).status_code == 201
    Alarm.objects.update(state=AlarmState.CLOSED)
    for n in range(4):
        helper = create_person(name=f"帮扶人{n}", phone=f"1380000010{n}")
        create_login(helper, phone=f"1380000010{n}", password=PASSWORD)
        Pairing.objects.create(subject=s.subject, helper=helper, role="volunteer", valid_from=datetime.date(2026, 1, 1))
        EmergencyContact.objects.create(subject=s.subject, name=f"家属{n}", phone=f"1391234000{n}")
    with count_queries() as many:
        answer = _press(client, s)
    assert answer.status_code == 201
    alarm = Alarm.objects.get(pk=answer.json()["alarm"])
    assert alarm.steps.filter(kind=StepKind.NOTICE).count() == 3 + 4 + 1 + 4
    assert len(many) == len(few) <= 20, many


def test_nothing_listens_to_the_alarms_save_signals():
    """The intake writes Alarm and AlarmStep with ``core.inserts`` (no signals)."""
    from django.db.models import signals

    for model in (Alarm, AlarmStep):
        for signal in (signals.pre_save, signals.post_save):
            assert not signal.has_listeners(model), (model, signal)

"""Managing a care subject's call buttons: the secret shown once, deactivating, a new secret,
following the subject's home, scope (care.manage at the subject's place) and flat query counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.alarms.models import Alarm, Device
from tongxin.alarms.selectors import devices as selectors
from tongxin.alarms.services import alarms as alarm_services
from tongxin.alarms.services import devices as services
from tongxin.alarms.testing import care_setup
from tongxin.care.models import CareSubject
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.services.people import move_household
from tongxin.core.testing import count_queries, two_grids

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    world = two_grids(households_per_entrance=2)
    return world, care_setup(world, gateway_url="")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(subject) -> str:
    return reverse("alarms-devices", args=[subject.pk])


# --- services ---------------------------------------------------------------------------
def test_a_device_added_authenticates_with_its_secret_kept_only_as_a_hash(setup):
    world, s = setup
    device, secret = services.add(world.users["worker_a"], s.subject, " 床头呼叫器 ", form_key="k1")
    assert device.label == "床头呼叫器" and secret not in device.secret_hash
    assert device.secret_hash == alarm_services.hash_secret(secret)
    assert alarm_services.authenticate(device.pk, secret).pk == device.pk


@pytest.mark.parametrize(("who", "label", "closed", "expected"), [
    ("worker_a", "", False, "label_missing"),
    ("worker_a", "x", True, "closed"),
    ("worker_b", "x", False, "not_allowed"),  # another grid
    ("chief_b1", "x", False, "not_allowed"),  # care.view only
])
def test_adding_is_refused(setup, who, label, closed, expected):
    world, s = setup
    if closed:
        CareSubject.objects.filter(pk=s.subject.pk).update(closed_on="2026-01-01")
        s.subject.refresh_from_db()
    with pytest.raises(RefusedError) as refused:
        services.add(world.users[who], s.subject, label, form_key="k-refused")
    assert refused.value.code == expected


def test_a_double_submit_adds_one_device(setup):
    world, s = setup
    before = Device.objects.count()
    services.add(world.users["worker_a"], s.subject, "x", form_key="same")
    with pytest.raises(RefusedError) as refused:
        services.add(world.users["worker_a"], s.subject, "x", form_key="same")
    assert refused.value.code == "already_submitted"
    assert Device.objects.count() == before + 1


def test_deactivated_devices_and_old_secrets_are_refused(setup):
    world, s = setup
    staff = world.users["staff"]
    device, new = services.new_secret(staff, s.subject, s.device.pk)
    with pytest.raises(RefusedError):
        alarm_services.authenticate(s.device.pk, s.secret)
    assert alarm_services.authenticate(s.device.pk, new).pk == s.device.pk
    services.deactivate(staff, s.subject, s.device.pk)
    services.deactivate(staff, s.subject, s.device.pk)  # twice: nothing more
    with pytest.raises(RefusedError):
        alarm_services.authenticate(s.device.pk, new)
    with pytest.raises(RefusedError) as refused:
        services.new_secret(staff, s.subject, s.device.pk)
    assert refused.value.code == "device_inactive"
    other = care_setup(world, gateway_url="", place="b2u1", helper_phone="13800000010")
    with pytest.raises(RefusedError) as refused:  # a device of another subject
        services.deactivate(staff, s.subject, other.device.pk)
    assert refused.value.code == "device_missing"


def test_devices_follow_the_subject_when_the_household_moves(setup):
    world, s = setup
    household = Household.objects.get(pk=s.subject.person.household_id)
    target = world.places["b2u2"]
    household.unit_number = "999"
    household.save(update_fields=["unit_number"])
    move_household(household, target)
    assert Device.objects.get(pk=s.device.pk).home_path != target.path  # stale until refreshed
    assert services.follow_home(s.subject) == 1
    assert CareSubject.objects.get(pk=s.subject.pk).home_path == target.path
    assert Device.objects.get(pk=s.device.pk).home_path == target.path
    assert services.follow_home(s.subject) == 0
    # grid A's worker no longer manages them; grid B's does, and any action refreshes too
    assert selectors.managed_subject(world.users["worker_a"], s.subject.pk) is None
    assert selectors.managed_subject(world.users["worker_b"], s.subject.pk) is not None


def test_silent_flag(setup):
    import datetime

    from django.utils import timezone

    world, s = setup
    now = timezone.now()
    quiet, _secret = alarm_services.add_device(s.subject, "安静的")
    fresh, _secret = alarm_services.add_device(s.subject, "刚装的")  # never heard, but just added
    Device.objects.filter(pk=s.device.pk).update(created_at=now - datetime.timedelta(days=3))
    Device.objects.filter(pk=quiet.pk).update(created_at=now - datetime.timedelta(days=3))
    Device.objects.filter(pk=s.device.pk).update(last_heartbeat_at=now - datetime.timedelta(hours=1))
    Device.objects.filter(pk=quiet.pk).update(last_heartbeat_at=now - datetime.timedelta(hours=30))
    rows = {row.device.pk: row.silent for row in selectors.device_rows(s.subject, now=now)}
    assert rows == {s.device.pk: False, quiet.pk: True, fresh.pk: False}
    Device.objects.filter(pk=fresh.pk).update(created_at=now - datetime.timedelta(hours=27))
    assert selectors.device_rows(s.subject, now=now)[0].silent  # newest first: never heard, added 27 h ago


# --- the page ---------------------------------------------------------------------------
def test_only_care_managers_of_the_place_see_the_page(setup):
    world, s = setup
    assert _client(world.users["worker_a"]).get(_url(s.subject)).status_code == 200
    assert _client(world.users["staff"]).get(_url(s.subject)).status_code == 200
    for who in ("worker_b", "chief_b1"):
        client = _client(world.users[who])
        assert client.get(_url(s.subject)).status_code == 404
        assert client.post(_url(s.subject), {"action": "deactivate", "device": s.device.pk}).status_code == 404
    assert Device.objects.get(pk=s.device.pk).active
    assert _client(s.helper).get(_url(s.subject)).status_code == 404  # a helper does not manage buttons


def test_the_secret_is_shown_once_with_the_link_and_its_qr_and_the_link_raises_an_alarm(setup):
    world, s = setup
    client = _client(world.users["worker_a"])
    page = client.get(_url(s.subject)).content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', page).group(1)
    form = {"action": "add", "label": "手机大按钮", "form_key": key}
    first = client.post(_url(s.subject), form)
    again = client.post(_url(s.subject), form)  # a double submit lands on the same page
    assert first.status_code == again.status_code == 302
    assert Device.objects.filter(subject=s.subject, label="手机大按钮").count() == 1
    shown = client.get(_url(s.subject)).content.decode()
    link = re.search(r'data-button-link>([^<]+)<', shown).group(1)
    secret = re.search(r"data-secret>([^<]+)<", shown).group(1)
    assert "class=\"segno\"" in shown and secret in link
    assert secret not in client.get(_url(s.subject)).content.decode()  # never again
    assert "segno" not in client.get(_url(s.subject)).content.decode()

    button = Client()
    path = link.replace("http://testserver", "")
    assert button.get(path).status_code == 200
    assert button.post(path).status_code == 302
    alarm = Alarm.objects.get(device__label="手机大按钮")
    duty = _client(world.users["worker_a"]).get(reverse("alarms-duty")).content.decode()
    assert reverse("alarms-alarm", args=[alarm.pk]) in duty


def test_new_secret_from_the_page_shows_the_new_one_and_refuses_the_old(setup):
    world, s = setup
    client = _client(world.users["worker_a"])
    assert client.post(_url(s.subject), {"action": "new_secret", "device": s.device.pk}).status_code == 302
    shown = client.get(_url(s.subject)).content.decode()
    secret = re.search(r"data-secret>([^<]+)<", shown).group(1)
    assert secret != s.secret
    assert alarm_services.device_for_token(s.token) is None
    assert alarm_services.device_for_token(f"{s.device.pk}-{secret}") is not None
    bad = client.post(_url(s.subject), {"action": "deactivate", "device": "x"})
    assert bad.status_code == 400 and "找不到该呼叫器" in bad.content.decode()


def test_the_care_page_links_to_the_call_buttons_for_managers_only(setup):
    world, s = setup
    care_url = reverse("care-subject", args=[s.subject.pk])
    assert _url(s.subject) in _client(world.users["worker_a"]).get(care_url).content.decode()
    assert _url(s.subject) not in _client(world.users["chief_b1"]).get(care_url).content.decode()


def test_the_page_costs_the_same_statements_however_many_devices():
    world = two_grids(households_per_entrance=2)
    s = care_setup(world, gateway_url="")
    client = _client(world.users["worker_a"])

    def count():
        with count_queries() as statements:
            assert client.get(_url(s.subject)).status_code == 200
        return len(statements)

    few = count()
    for index in range(6):
        alarm_services.add_device(s.subject, f"呼叫器{index}")
    assert count() == few


def test_a_subject_leaving_the_register_has_no_working_call_button(setup):
    from tongxin.care.services import register

    world, s = setup
    register.close(world.users["staff"], s.subject, "搬离本社区")
    assert not Device.objects.get(pk=s.device.pk).active
    with pytest.raises(RefusedError):
        alarm_services.raise_alarm(s.device.pk, s.secret)
    assert not Alarm.objects.exists()

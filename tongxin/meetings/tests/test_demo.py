"""The meetings demo: loads on the registers' demo, twice without duplicates, with what the
brief lists; the demo's community staff see the overdue item, the owners' committee member
the meeting their committee takes part in."""

import io

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from tongxin.core.models import PlaceNotice, User
from tongxin.meetings import demo as meetings_demo
from tongxin.meetings.models import ActionItem, Decision, Meeting, MeetingSeries

pytestmark = pytest.mark.django_db
TABLES = (MeetingSeries, Meeting, Decision, ActionItem, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                out = io.StringIO()
                load_registers(out)
                meetings_demo.load(out)
                first = {table.__name__: table.objects.count() for table in TABLES}
                meetings_demo.load(out)
                again = {table.__name__: table.objects.count() for table in TABLES}
            yield {"out": out.getvalue(), "first": first, "again": again}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  meetings:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    series = MeetingSeries.objects.get()
    assert (series.kind, series.frequency, series.place.code) == ("three_party", "monthly", "jz-dongyuan-ssh")
    assert sorted(series.meetings.values_list("state", flat=True)) == ["held", "held", "scheduled"]
    assert series.meetings.get(state="scheduled").starts_at > timezone.now()
    today = timezone.localdate()
    actions = ActionItem.objects.filter(series=series)
    assert actions.filter(status="done").count() == 1
    assert actions.filter(status="open", deadline__lt=today).count() == 1
    assert all(m.minutes and m.decisions.exists() for m in series.meetings.filter(state="held"))
    assert PlaceNotice.objects.filter(place=series.place, title__contains=series.title).count() == 1


def test_the_demo_logins_see_the_meetings(demo):
    staff = User.objects.get(phone="13900000003")
    client = Client()
    client.force_login(staff)
    page = client.get("/meetings/overdue/").content.decode()
    assert "物业更换3栋楼道灯" in page
    member = User.objects.get(phone="13900000018")  # an owners' committee member
    client.force_login(member)
    upcoming = Meeting.objects.get(state="scheduled")
    assert client.get(f"/meetings/{upcoming.pk}/").status_code == 200
    assert "物业完成管道检查并报社区" in client.get(f"/meetings/{upcoming.pk}/").content.decode()  # 跟踪落实

"""The meetings demo: loads on the registers' demo, twice without duplicates, with what the
brief lists; the demo's community staff see the overdue item, the owners' committee member
the meeting their committee takes part in."""


import pytest
from django.test import Client
from django.utils import timezone

from tongxin.core.models import PlaceNotice, User
from tongxin.core.testing import demo_loaded_twice
from tongxin.meetings import demo as meetings_demo
from tongxin.meetings.models import ActionItem, Decision, Meeting, MeetingSeries

pytestmark = pytest.mark.django_db
TABLES = (MeetingSeries, Meeting, Decision, ActionItem, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], meetings_demo.load, TABLES) as loaded:
        yield loaded


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

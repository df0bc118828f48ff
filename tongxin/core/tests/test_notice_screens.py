import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.core import delivery, outbox, place_notices
from tongxin.core.models import InboxItem, NoticePreference, OutboxMessage, PlaceNotice
from tongxin.core.testing import count_queries

pytestmark = pytest.mark.django_db


def test_the_bell_counts_unread_notices_and_the_inbox_opens_them(world, client):
    staff = world.users["staff"]
    outbox.notify("place_notice", "screen:1", users=[staff], subject="明天停水", url="/places/t-b1/")
    outbox.notify("place_notice", "screen:2", users=[staff], subject="周五开会")
    delivery.deliver_due()
    client.force_login(staff)
    home = client.get("/").content.decode()
    assert 'class="count">2</span>' in home
    inbox = client.get(reverse("inbox")).content.decode()
    assert inbox.index("周五开会") < inbox.index("明天停水")  # newest first
    item = InboxItem.objects.get(subject="明天停水")
    assert client.get(reverse("inbox-open", args=[item.pk])).url == "/places/t-b1/"
    assert 'class="count">1</span>' in client.get("/").content.decode()
    client.post(reverse("inbox-read-all"))
    assert 'class="count">' not in client.get("/").content.decode()


def test_nobody_opens_another_persons_notice(world, client):
    outbox.notify("place_notice", "screen:3", users=[world.users["staff"]], subject="私信")
    delivery.deliver_due()
    client.force_login(world.users["worker_a"])
    assert client.get(reverse("inbox-open", args=[InboxItem.objects.get().pk])).status_code == 404
    assert "私信" not in client.get(reverse("inbox")).content.decode()


def test_the_bell_costs_one_query_however_many_notices(world, client):
    staff = world.users["staff"]
    client.force_login(staff)
    client.get("/")
    with count_queries() as few:
        client.get("/")
    for n in range(30):
        outbox.notify("place_notice", f"screen:many:{n}", users=[staff], subject=f"n{n}")
    delivery.deliver_due()
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few)


def test_preferences_are_saved_per_kind_and_channel(world, client):
    staff = world.users["staff"]
    client.force_login(staff)
    page = client.get(reverse("notice-preferences")).content.decode()
    assert 'name="place_notice:inbox"' in page and 'name="place_notice:email"' in page
    client.post(reverse("notice-preferences"), {"place_notice:inbox": "off", "place_notice:email": "digest"})
    assert dict(NoticePreference.objects.filter(user=staff, kind="place_notice").values_list("channel", "mode")) == {
        "inbox": "off", "email": "digest"}
    client.post(reverse("notice-preferences"), {"place_notice:inbox": "digest"})  # no digest for the inbox
    assert NoticePreference.objects.get(user=staff, kind="place_notice", channel="inbox").mode == "off"


def test_staff_publish_a_notice_that_shows_under_the_place_and_reaches_the_staff_there(world, client):
    client.force_login(world.users["staff"])
    response = client.post(reverse("place-notice-new", args=["t-b1"]), {"title": "1栋明天停水", "body": "8:00–12:00"})
    assert response.status_code == 302
    notice = PlaceNotice.objects.get()
    assert notice.published_at is not None
    assert "1栋明天停水" in client.get(reverse("place-detail", args=["t-b1-u1"])).content.decode()
    assert "1栋明天停水" not in client.get(reverse("place-detail", args=["t-b2-u1"])).content.decode()
    recipients = set(OutboxMessage.objects.values_list("user__phone", flat=True))
    assert recipients == {"13100000005"}  # the building chief of building 1 holds a role there
    client.post(reverse("place-notice-withdraw", args=[notice.pk]))
    assert "1栋明天停水" not in client.get(reverse("place-detail", args=["t-b1-u1"])).content.decode()


def test_only_those_who_keep_a_places_registers_publish_there(world, client):
    client.force_login(world.users["worker_a"])
    assert client.get(reverse("place-notice-new", args=["t-b2"])).status_code == 404
    client.force_login(world.users["leader"])  # reads the whole street, keeps no register
    assert client.get(reverse("place-notice-new", args=["t-b1"])).status_code == 404
    assert not PlaceNotice.objects.exists()


def test_a_notice_for_later_is_published_by_its_task_only_if_unchanged(world):
    staff = world.users["staff"]
    later = timezone.now() + datetime.timedelta(hours=2)
    notice = place_notices.create(staff, world.places["b1"], title="会议", body="…", publish_at=later)
    assert notice.published_at is None and not list(place_notices.live_for(world.places["b1u1"]))
    assert place_notices.publish_due(notice.pk, notice.version + 1) is False  # a stale task
    assert place_notices.publish_due(notice.pk, notice.version) is True
    assert list(place_notices.live_for(world.places["b1u1"])) == [PlaceNotice.objects.get()]
    assert place_notices.publish_due(notice.pk, notice.version) is False  # once


def test_the_demo_publishes_a_notice_now_and_one_tomorrow(world):
    import io

    from tongxin.core.demo import load

    out = io.StringIO()
    load(out)
    assert PlaceNotice.objects.count() == 2 and PlaceNotice.objects.filter(published_at__isnull=False).count() == 1
    assert InboxItem.objects.filter(user=world.users["staff"], subject="本周六上午停水通知").exists()
    assert "2 at 测试社区" in out.getvalue()


@pytest.mark.parametrize("link", ["https://example.com/x", "//example.com/x", "javascript:alert(1)", "x/y"])
def test_a_notice_links_only_to_a_page_of_this_site(world, link):
    from tongxin.core.errors import RefusedError

    with pytest.raises(RefusedError):
        place_notices.create(world.users["staff"], world.places["b1"], title="决议", body="…", link=link)
    assert not PlaceNotice.objects.exists()


def test_a_notice_shows_its_text_by_lines_and_a_link_to_the_full_text(world, client):
    place_notices.create(world.users["staff"], world.places["b1"], title="议事决议", body="第一行\n<b>第二行</b>",
                         link="/deliberation/c/abc/")
    client.force_login(world.users["staff"])
    page = client.get(reverse("place-detail", args=["t-b1-u1"])).content.decode()
    assert "第一行<br>&lt;b&gt;第二行&lt;/b&gt;" in page and 'href="/deliberation/c/abc/"' in page

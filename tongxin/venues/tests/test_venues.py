import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, Person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, login_for
from tongxin.venues import selectors, services
from tongxin.venues.models import Booking, BookingSlot, Venue

pytestmark = pytest.mark.django_db
ZONE = timezone.get_current_timezone()


def soon(days: int = 2, hour: int = 10, minute: int = 0) -> datetime.datetime:
    date = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=ZONE)


def hall(world, **extra) -> Venue:
    options = {"name": "多功能厅", "capacity": 50, "opens": datetime.time(8), "closes": datetime.time(21)}
    options.update(extra)
    return services.create_venue(world.users["staff"], world.places["community"], **options)


def resident(world, name: str = "居民1"):
    person = Person.objects.get(name=name)
    return create_login(person, phone=f"1890000{person.pk:04d}", password=PASSWORD)


def test_a_resident_books_where_they_live_and_staff_approve(world):
    venue = hall(world)
    user = resident(world)
    booking = services.book(user, venue, starts_at=soon(), ends_at=soon(hour=12), purpose="舞蹈队排练",
                            group="东苑舞蹈队", attendees=20)
    assert booking.state == "pending" and booking.slots.count() == 4
    told = OutboxMessage.objects.filter(kind="venue_booking_requested")
    assert world.users["staff"].pk in set(told.values_list("user_id", flat=True))
    services.decide(world.users["staff"], booking, approve=True, note="请保持整洁")
    booking.refresh_from_db()
    assert booking.state == "approved" and booking.decided_by == world.users["staff"]
    assert OutboxMessage.objects.filter(kind="venue_booking_decided", user=user).exists()


def test_a_clash_is_refused_and_a_declined_booking_frees_its_time(world):
    venue = hall(world)
    first = services.book(world.users["worker_a"], venue, starts_at=soon(), ends_at=soon(hour=11), purpose="议事会",
                          attendees=10)
    with pytest.raises(RefusedError) as refused:
        services.book(world.users["staff"], venue, starts_at=soon(hour=10, minute=30), ends_at=soon(hour=12),
                      purpose="讲座", attendees=10)
    assert refused.value.code == "booking_clash"
    assert Booking.objects.count() == 1  # the refused one left nothing behind
    services.decide(world.users["staff"], first, approve=False, note="当天有检查")
    assert not BookingSlot.objects.exists()
    services.book(world.users["staff"], venue, starts_at=soon(hour=10, minute=30), ends_at=soon(hour=12),
                  purpose="讲座", attendees=10)
    # Another room at the same time is free.
    other = hall(world, name="活动室")
    services.book(world.users["worker_a"], other, starts_at=soon(), ends_at=soon(hour=11), purpose="议事会",
                  attendees=10)


def test_without_approval_a_booking_holds_at_once_and_can_be_cancelled(world):
    venue = hall(world, name="书画室", requires_approval=False)
    user = resident(world)
    booking = services.book(user, venue, starts_at=soon(), ends_at=soon(hour=11), purpose="书法", attendees=5)
    assert booking.state == "approved"
    assert not OutboxMessage.objects.filter(kind="venue_booking_requested").exists()
    with pytest.raises(RefusedError):
        services.cancel(resident(world, "居民2"), booking)
    services.cancel(user, booking)
    booking.refresh_from_db()
    assert booking.state == "cancelled" and not BookingSlot.objects.exists()
    with pytest.raises(RefusedError):
        services.cancel(user, booking)


def test_who_may_book_and_manage(world):
    venue = hall(world)
    outsider_home = resident(world, "居民1")  # lives in the community: may book
    assert selectors.can_book(outsider_home, venue)
    nobody = login_for(world, "nobody", "building_chief", place=world.places["b2"], phone="13100000099")
    building_room = services.create_venue(world.users["staff"], world.places["b1"], name="楼道活动角", capacity=8,
                                          opens=datetime.time(8), closes=datetime.time(20))
    assert not selectors.can_book(nobody, building_room)  # a chief of building 2 at building 1's room
    assert selectors.can_book(world.users["chief_b1"], building_room)
    with pytest.raises(RefusedError):
        services.book(nobody, building_room, starts_at=soon(), ends_at=soon(hour=11), purpose="x", attendees=2)
    with pytest.raises(RefusedError):
        services.create_venue(world.users["worker_a"], world.places["community"], name="x", capacity=5,
                              opens=datetime.time(8), closes=datetime.time(9))
    booking = services.book(world.users["chief_b1"], building_room, starts_at=soon(), ends_at=soon(hour=11),
                            purpose="楼组会", attendees=6)
    with pytest.raises(RefusedError):
        services.decide(world.users["worker_a"], booking, approve=True)


def test_the_booking_page_keeps_what_was_typed_on_a_clash_and_acts_once_on_a_double_click(world, client):
    venue = hall(world)
    services.book(world.users["staff"], venue, starts_at=soon(), ends_at=soon(hour=11), purpose="讲座", attendees=10)
    user = resident(world)
    client.force_login(user)
    url = reverse("venues-venue", args=[venue.pk])
    day = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    page = client.get(url, {"date": day}).content.decode()
    assert "讲座" in page and "10:00" in page
    data = {"date": day, "start": "10:30", "end": "11:30", "purpose": "书法班活动", "group": "书法班",
            "attendees": "8", "form_key": "key-1"}
    clash = client.post(url, data).content.decode()
    assert "这个时间已被预约" in clash and "书法班活动" in clash
    data.update(start="11:00", end="12:00", form_key="key-2")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form again: nothing more
    assert Booking.objects.filter(booked_by=user).count() == 1
    mine = client.get(reverse("venues-mine")).content.decode()
    assert "书法班活动" in mine and "待审批" in mine or "Awaiting" in mine


def test_bad_input_gets_a_field_error(world, client):
    venue = hall(world)
    client.force_login(resident(world))
    url = reverse("venues-venue", args=[venue.pk])
    page = client.post(url, {"date": "not a date", "start": "10:00", "end": "11:00", "purpose": "x",
                             "attendees": "0", "form_key": "k"}).content.decode()
    assert page.count('class="error"') >= 2 and not Booking.objects.exists()
    day = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    page = client.post(url, {"date": day, "start": "10:00", "end": "11:00", "purpose": "x", "attendees": "51",
                             "form_key": "k2"}).content.decode()
    assert "最多容纳 50 人" in page and not Booking.objects.exists()


def test_staff_add_a_venue_and_approve_on_the_page(world, client):
    client.force_login(world.users["staff"])
    response = client.post(reverse("venues-list"), {
        "place": world.places["community"].code, "name": "舞蹈室", "capacity": "25", "opens": "09:00",
        "closes": "18:00", "open_days": ["1", "2", "3", "4", "5"], "requires_approval": "on"})
    venue = Venue.objects.get(name="舞蹈室")
    assert response.status_code == 302 and venue.open_days == "12345"
    booking = services.book(world.users["worker_a"], venue, starts_at=soon(days=7), ends_at=soon(days=7, hour=11),
                            purpose="排练", attendees=10)
    assert "排练" in client.get(reverse("venues-awaiting")).content.decode()
    client.post(reverse("venues-decide", args=[booking.pk]), {"action": "approve"})
    booking.refresh_from_db()
    assert booking.state == "approved"
    client.force_login(world.users["worker_b"])
    assert client.post(reverse("venues-decide", args=[booking.pk]), {"action": "decline"}).status_code == 404


def test_usage_by_month_and_its_excel(world, client):
    venue = hall(world, requires_approval=False)
    other = hall(world, name="活动室", requires_approval=False)
    start = soon(days=1)
    services.book(world.users["staff"], venue, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                  purpose="讲座", attendees=10)
    services.book(world.users["staff"], other, starts_at=start, ends_at=start + datetime.timedelta(minutes=30),
                  purpose="会", attendees=10)
    cancelled = services.book(world.users["staff"], other, starts_at=start + datetime.timedelta(hours=1),
                              ends_at=start + datetime.timedelta(hours=3), purpose="取消的", attendees=10)
    services.cancel(world.users["staff"], cancelled)
    local = timezone.localtime(start)
    rows = {r.venue.name: (r.bookings, r.hours) for r in
            selectors.usage(world.users["staff"], world.places["community"], local.year, local.month)}
    assert rows == {"多功能厅": (1, 2.0), "活动室": (1, 0.5)}
    client.force_login(world.users["staff"])
    page = client.get(reverse("venues-usage"), {"place": world.places["community"].code,
                                                "month": f"{local:%Y-%m}"}).content.decode()
    assert "2.5" in page
    response = client.get(reverse("export-download", args=["venues-usage", world.places["community"].code]))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [f"{local:%Y-%m}", "测试社区", "多功能厅", 1, 2] in values


def test_queries_stay_flat(world, client):
    venue = hall(world, requires_approval=False)

    def fill(count: int, offset: int) -> None:
        for n in range(count):
            services.book(world.users["staff"], venue, starts_at=soon(days=1 + offset + n),
                          ends_at=soon(days=1 + offset + n, hour=11), purpose=f"活动{n}", attendees=5)

    client.force_login(world.users["staff"])

    def measure() -> int:
        from tongxin.core.testing import count_queries
        with count_queries() as counted:
            assert client.get(reverse("venues-mine")).status_code == 200
            assert client.get(reverse("venues-venue", args=[venue.pk])).status_code == 200
            assert client.get(reverse("venues-usage")).status_code == 200
        return len(counted)

    fill(2, 0)
    small = measure()
    fill(20, 5)
    assert measure() == small

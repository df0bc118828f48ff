"""Activities: sessions made ahead, sign-up with a waiting list and promotion, cancelling,
check-in and check-out by the QR page writing the ledger, the organiser's adjustment."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OutboxMessage
from tongxin.core.testing import count_queries
from tongxin.volunteering import activity_rules as rules
from tongxin.volunteering.models import Attendance, ServiceRecord, Session, SignUp, SignUpState
from tongxin.volunteering.services import activities as services
from tongxin.volunteering.tests.activity_helpers import activity_now, member, work_unit

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sessions_are_made_ahead_in_local_time(world):
    today = timezone.localdate()
    activity = services.create_activity(
        community=world.places["community"], organiser=world.users["staff"], title="政策宣讲", venue="党群服务中心",
        recurrence="weekly", first_date=today, start_time=datetime.time(9, 0), end_time=datetime.time(11, 30))
    sessions = list(activity.sessions.all())
    assert len(sessions) == rules.HORIZON_DAYS // 7 + 1
    first = sessions[0]
    assert first.date == today
    assert timezone.localtime(first.starts_at).time() == datetime.time(9, 0)
    assert timezone.localtime(first.ends_at).time() == datetime.time(11, 30)
    assert services.ensure_sessions(activity) == 0  # idempotent
    assert services.make_sessions_ahead() == 0


def test_a_monthly_activity_on_the_31st_falls_on_each_months_last_day(world):
    activity = services.create_activity(
        community=world.places["community"], organiser=None, title="固定党日", venue="村委会",
        recurrence="monthly", first_date=datetime.date(2026, 1, 31), start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0))
    Session.objects.filter(activity=activity).delete()
    services.ensure_sessions(activity, today=datetime.date(2026, 2, 1))
    assert list(activity.sessions.values_list("date", flat=True)) == [
        datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]


def test_a_team_of_another_community_is_refused(world):
    other = Organisation.objects.create(code="other-team", name="别处服务队", kind="volunteer_team",
                                        place=world.places["street"], started_on=datetime.date(2020, 1, 1))
    with pytest.raises(RefusedError):
        activity_now(world, team=other)


def test_sign_up_books_while_places_last_then_waits_and_a_cancellation_promotes_the_first_waiting(world):
    activity = activity_now(world, capacity=2)
    session = services.today_session(activity)
    people = [member(world, f"队员{n}") for n in range(4)]
    states = [services.sign_up(session.pk, person=p, enrolment=e).state for p, e, _u in people]
    assert states == [SignUpState.BOOKED, SignUpState.BOOKED, SignUpState.WAITING, SignUpState.WAITING]
    session.refresh_from_db()
    assert session.booked == 2
    # Signing up again changes nothing.
    assert services.sign_up(session.pk, person=people[0][0]).state == SignUpState.BOOKED
    services.withdraw(session.pk, person=people[1][0])
    session.refresh_from_db()
    assert session.booked == 2
    third = SignUp.objects.get(session=session, person=people[2][0], state__in=["booked", "waiting"])
    assert third.state == SignUpState.BOOKED  # the first waiting, not the second
    assert SignUp.objects.get(session=session, person=people[3][0]).state == SignUpState.WAITING
    told = OutboxMessage.objects.filter(kind="activity_place_freed", user=people[2][2])
    assert told.exists()
    # A waiting person who withdraws frees nothing.
    services.withdraw(session.pk, person=people[3][0])
    session.refresh_from_db()
    assert session.booked == 2


def test_cancelling_a_session_tells_the_people_signed_up(world):
    activity = activity_now(world, capacity=1)
    session = services.today_session(activity)
    (p1, e1, u1), (p2, e2, u2) = member(world, "甲"), member(world, "乙")
    services.sign_up(session.pk, person=p1, enrolment=e1)
    services.sign_up(session.pk, person=p2, enrolment=e2)
    response = client_for(world.users["staff"]).post(reverse("volunteering-session-cancel", args=[session.pk]))
    assert response.status_code == 302
    assert set(OutboxMessage.objects.filter(kind="activity_cancelled").values_list("user_id", flat=True)) == {
        u1.pk, u2.pk}
    with pytest.raises(RefusedError):
        services.sign_up(session.pk, person=member(world, "丙")[0])


def test_cancelling_the_activity_cancels_its_coming_sessions(world):
    activity = activity_now(world)
    person, enrolment, user = member(world, "丁")
    services.sign_up(services.today_session(activity).pk, person=person, enrolment=enrolment)
    client_for(world.users["staff"]).post(reverse("volunteering-activity-cancel", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.cancelled and not activity.sessions.filter(cancelled=False).exists()
    assert OutboxMessage.objects.filter(kind="activity_cancelled", user=user).exists()


def test_members_sign_up_through_the_pages_and_others_cannot(world):
    activity = activity_now(world, capacity=1)
    session = services.today_session(activity)
    _p, _e, user = member(world, "戊")
    client = client_for(user)
    page = client.get(reverse("volunteering-activities"))
    assert activity.title in page.content.decode()
    assert client.post(reverse("volunteering-sign-up", args=[session.pk])).status_code == 302
    assert SignUp.objects.filter(session=session, state="booked").count() == 1
    assert "已报名" in client.get(reverse("volunteering-activity", args=[activity.pk])).content.decode()
    assert client.post(reverse("volunteering-withdraw", args=[session.pk])).status_code == 302
    assert not SignUp.objects.filter(session=session, state="booked").exists()
    # Someone with no enrolment and no home in the community does not see it.
    outsider = client_for(world.users["leader"])
    assert outsider.get(reverse("volunteering-activity", args=[activity.pk])).status_code == 404
    assert outsider.post(reverse("volunteering-sign-up", args=[session.pk])).status_code == 404


def test_a_resident_of_the_community_may_take_part(world):
    from tongxin.core.models import Person
    from tongxin.core.services.roles import create_login

    resident = Person.objects.filter(home_path__startswith=world.places["b1"].path).first()
    user = create_login(resident, phone="15811112222", password="x-pass-2026")
    activity = activity_now(world)
    session = services.today_session(activity)
    assert client_for(user).post(reverse("volunteering-sign-up", args=[session.pk])).status_code == 302
    assert SignUp.objects.get(session=session).enrolment is None


def test_check_in_and_out_at_the_qr_page_writes_the_ledger(world):
    unit, _secretary = work_unit(world, "unit-a", "测试单位党支部")
    activity = activity_now(world)
    person, enrolment, user = member(world, "己", unit=unit)
    url = reverse("volunteering-checkin", args=[activity.token])
    anonymous = Client()
    page = anonymous.get(url)
    assert page.status_code == 200 and activity.title in page.content.decode() and "登录" in page.content.decode()
    assert anonymous.post(url, {"action": "in"})["Location"].startswith(reverse("login"))
    client = client_for(user)
    assert client.post(url, {"action": "in"}).status_code == 302
    attendance = Attendance.objects.get(person=person)
    assert attendance.enrolment == enrolment and attendance.checked_out_at is None
    # Checking in twice keeps one attendance.
    client.post(url, {"action": "in"})
    assert Attendance.objects.filter(person=person).count() == 1
    Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=timezone.now() - datetime.timedelta(minutes=95))
    assert client.post(url, {"action": "out"}).status_code == 302
    attendance.refresh_from_db()
    assert attendance.minutes == 95
    record = ServiceRecord.objects.get(attendance=attendance)
    assert (record.minutes, record.unit, record.person, record.source) == (95, unit, person, "activity")
    assert "95" in client.get(url).content.decode()


def test_one_attendance_per_session_per_person_in_the_database(world):
    activity = activity_now(world)
    session = services.today_session(activity)
    person, enrolment, _u = member(world, "庚")
    services.check_in(session, person=person, enrolment=enrolment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, person=person, checked_in_at=timezone.now())


def test_check_in_outside_the_window_is_refused(world):
    activity = activity_now(world)
    session = services.today_session(activity)
    person, enrolment, _u = member(world, "辛")
    with pytest.raises(RefusedError):
        services.check_in(session, person=person, now=session.starts_at - datetime.timedelta(hours=2))
    with pytest.raises(RefusedError):
        services.check_out(session, person=person)


def test_the_organiser_adjusts_minutes_with_a_reason_and_the_ledger_follows(world):
    activity = activity_now(world)
    session = services.today_session(activity)
    person, enrolment, _u = member(world, "壬")
    services.check_in(session, person=person, enrolment=enrolment, now=session.starts_at)
    attendance = services.check_out(session, person=person, now=session.starts_at + datetime.timedelta(minutes=30))
    staff = client_for(world.users["staff"])
    url = reverse("volunteering-attendance-adjust", args=[attendance.pk])
    staff.post(url, {"minutes": "120", "reason": ""})
    attendance.refresh_from_db()
    assert attendance.adjusted_minutes is None  # no reason: refused
    staff.post(url, {"minutes": "120", "reason": "提前到场布置会场"})
    attendance.refresh_from_db()
    assert (attendance.adjusted_minutes, attendance.adjust_reason, attendance.minutes) == (120, "提前到场布置会场", 30)
    assert attendance.adjusted_by == world.users["staff"]
    assert ServiceRecord.objects.get(attendance=attendance).minutes == 120
    roster = staff.get(reverse("volunteering-session", args=[session.pk])).content.decode()
    assert "壬" in roster and "提前到场布置会场" in roster
    # A grid worker of grid A does not manage the community's activities.
    assert client_for(world.users["worker_a"]).post(url, {"minutes": "1", "reason": "x"}).status_code == 404


def test_the_organiser_creates_an_activity_through_the_form(world):
    staff = client_for(world.users["staff"])
    assert staff.get(reverse("volunteering-activity-new")).status_code == 200
    data = {"form_key": "k-1", "community": world.places["community"].pk, "title": "法律咨询", "venue": "社区",
            "recurrence": "monthly", "first_date": "2026-01-31", "start_time": "09:00", "end_time": "08:00"}
    response = staff.post(reverse("volunteering-activity-new"), data)
    assert response.status_code == 200 and "结束时间" in response.content.decode()
    data.update(end_time="11:00", capacity="10")
    response = staff.post(reverse("volunteering-activity-new"), data)
    assert response.status_code == 302
    data["form_key"] = "k-1"
    staff.post(reverse("volunteering-activity-new"), data)  # a double submit: no second activity
    from tongxin.volunteering.models import Activity
    assert Activity.objects.filter(title="法律咨询").count() == 1


def test_the_qr_poster_is_a_pdf(world):
    activity = activity_now(world)
    response = client_for(world.users["staff"]).get(reverse("volunteering-activity-poster", args=[activity.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_query_counts_stay_flat_as_members_and_sign_ups_grow(world):
    activity = activity_now(world)
    session = services.today_session(activity)
    staff = client_for(world.users["staff"])
    _p, _e, viewer = member(world, "观察者")
    viewer_client = client_for(viewer)

    def grow(n, start):
        for i in range(n):
            person, enrolment, _u = member(world, f"批{start + i}", login=False)
            services.sign_up(session.pk, person=person, enrolment=enrolment)
            services.check_in(session, person=person, enrolment=enrolment)

    def measure():
        counts = []
        for client, url in ((staff, reverse("volunteering-session", args=[session.pk])),
                            (viewer_client, reverse("volunteering-activities")),
                            (viewer_client, reverse("volunteering-activity", args=[activity.pk]))):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    grow(3, 0)
    few = measure()
    grow(20, 100)
    assert measure() == few


def test_the_nightly_job_moves_the_horizon_on(world):
    today = timezone.localdate()
    activity = services.create_activity(
        community=world.places["community"], organiser=None, title="周三巡逻", venue="小区门口",
        recurrence="weekly", first_date=today, start_time=datetime.time(19, 0), end_time=datetime.time(20, 0))
    made = activity.sessions.count()
    assert services.ensure_sessions(activity, today=today + datetime.timedelta(days=14)) == 2
    assert activity.sessions.count() == made + 2
    services.cancel_activity(activity)
    activity.refresh_from_db()
    assert services.ensure_sessions(activity, today=today + datetime.timedelta(days=28)) == 0


def test_someone_outside_the_community_cannot_check_in(world):
    activity = activity_now(world)
    client = client_for(world.users["leader"])  # no enrolment, no home in the community
    url = reverse("volunteering-checkin", args=[activity.token])
    assert "只有本社区" in client.get(url).content.decode()
    assert client.post(url, {"action": "in"}).status_code == 400
    assert not Attendance.objects.exists()
    services.cancel_activity(activity)
    _person, _enrolment, user = member(world, "癸")
    assert client_for(user).post(url, {"action": "in"}).status_code == 400
    assert "已取消" in client_for(user).get(url).content.decode()

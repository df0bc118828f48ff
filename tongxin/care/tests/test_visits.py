"""Recording visits (who may, the wish and demand raised on the spot, photos, double submits),
the schedule kept, the overdue list and the daily overdue job."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.care.models import CareSubject, Visit, VisitPhoto
from tongxin.care.services import visits
from tongxin.care.tests.visits_support import helper, jpeg, subject_in
from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage
from tongxin.demands.models import Category, Demand
from tongxin.demands.testing import catalogues  # noqa: F401 - puts the catalogue back
from tongxin.volunteering.models import Task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(subject):
    return f"/care/subjects/{subject.pk}/visit/"


def post_visit(client, subject, key="k1", **extra):
    data = {"kind": "home", "observations": "精神不错，屋里有点冷", "form_key": key, **extra}
    return client.post(url(subject), data)


def test_a_paired_helper_records_a_visit_with_photos_and_a_micro_wish(world):
    subject = subject_in(world)
    user = helper(world, "h", subject, phone="13800000011")
    client = client_for(user)
    assert client.get(url(subject)).status_code == 200
    response = client.post(url(subject), {"kind": "home", "observations": "精神不错", "needs": "想要一台收音机",
                                          "wish": "想要一台收音机", "form_key": "k-wish",
                                          "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.visitor == world.people["h"] and visit.recorded_by == user
    assert visit.photos.count() == 2
    data = visit.photos.first().image.read()
    assert b"PhoneMaker" not in data and data[:2] == b"\xff\xd8"
    task = visit.wish
    assert task is not None and task.kind == "wish" and task.state == "open"
    assert task.demand.source == "visit" and task.demand.recorded_by == user
    assert task.contact_name == subject.person.name and task.place == subject.person.household.place
    page = client.get(url(subject)).content.decode()
    assert "想要一台收音机" in page and f"/care/subjects/{subject.pk}/visit-photos/" in page
    photo = visit.photos.first()
    assert client.get(f"/care/subjects/{subject.pk}/visit-photos/{photo.pk}/").status_code == 200


def test_a_grid_worker_publishes_the_wish_directly_and_a_problem_becomes_a_demand(world):
    subject = subject_in(world)
    repairs = Category.objects.get(code="repairs")
    response = post_visit(client_for(world.users["worker_a"]), subject, key="k-prob", wish="想要一副老花镜",
                          problem="厨房水龙头一直漏水", category=str(repairs.pk))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.wish.beneficiary == subject.person and visit.wish.demand is None  # published by a manager
    demand = visit.demand
    assert demand.source == "visit" and demand.recorded_by == world.users["worker_a"]
    assert demand.category == repairs and demand.place == subject.person.household.place
    assert demand.description == "厨房水龙头一直漏水"


def test_a_problem_needs_its_kind(world):
    subject = subject_in(world)
    response = post_visit(client_for(world.users["worker_a"]), subject, problem="漏水")
    assert response.status_code == 400 and "请选择问题的类别" in response.content.decode()
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_who_may_record(world):
    subject = subject_in(world)
    paired = helper(world, "h", subject, phone="13800000011")
    other_subject = subject_in(world, "b2")
    stranger = helper(world, "s", other_subject, phone="13800000012")  # paired, but with someone else
    for user in (stranger, world.users["worker_b"], world.users["leader"], world.users["chief_b1"]):
        client = client_for(user)
        assert client.get(url(subject)).status_code == 404
        assert post_visit(client, subject, key=f"x{user.pk}").status_code == 404
    assert not Visit.objects.exists()
    for user in (paired, world.users["worker_a"], world.users["staff"]):
        assert client_for(user).get(url(subject)).status_code == 200
    with pytest.raises(RefusedError):
        visits.record(stranger, subject, observations="x", form_key="direct")


def test_a_pairing_ended_no_longer_lets_the_helper_record(world):
    subject = subject_in(world)
    user = helper(world, "h", subject, phone="13800000011")
    subject.pairings.update(valid_to=TODAY)
    assert client_for(user).get(url(subject)).status_code == 404


def test_a_double_submit_records_one_visit(world):
    subject = subject_in(world)
    client = client_for(world.users["worker_a"])
    assert post_visit(client, subject, key="same", wish="想要一台收音机").status_code == 302
    assert post_visit(client, subject, key="same", wish="想要一台收音机").status_code == 302
    assert Visit.objects.count() == 1 and Task.objects.count() == 1


def test_photos_are_checked_before_anything_is_written(world):
    subject = subject_in(world)
    client = client_for(world.users["worker_a"])
    response = post_visit(client, subject, photos=[jpeg("1.jpg"), jpeg("2.jpg"), jpeg("3.jpg"), jpeg("4.jpg")])
    assert response.status_code == 400 and "最多上传3张照片" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")
    response = post_visit(client, subject, key="k2", photos=[fake])
    assert response.status_code == 400
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()


def test_next_visit_due_is_kept(world):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    subject = subject_in(world, created=ten_days_ago)
    assert subject.next_visit_due == timezone.localdate(ten_days_ago) + datetime.timedelta(days=7)
    CareSubject.objects.filter(pk=subject.pk).update(overdue_notified_on=TODAY)
    post_visit(client_for(world.users["worker_a"]), subject)
    subject.refresh_from_db()
    assert subject.next_visit_due == TODAY + datetime.timedelta(days=7)
    assert subject.overdue_notified_on is None
    subject.risk = "high"
    subject.save()
    visits.reschedule(subject)
    subject.refresh_from_db()
    assert subject.next_visit_due == TODAY + datetime.timedelta(days=3)
    subject.visit_every_days = 20
    subject.save()
    visits.reschedule(subject)
    assert CareSubject.objects.get(pk=subject.pk).next_visit_due == TODAY + datetime.timedelta(days=20)
    # A late entry of an older visit does not move the due date back.
    visits.record(world.users["worker_a"], subject, observations="补记", form_key="late",
                  visited_at=timezone.now() - datetime.timedelta(days=5))
    assert CareSubject.objects.get(pk=subject.pk).next_visit_due == TODAY + datetime.timedelta(days=20)


def test_a_visit_in_the_future_is_refused(world):
    subject = subject_in(world)
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = post_visit(client_for(world.users["worker_a"]), subject, visited_at=later)
    assert response.status_code == 400 and not Visit.objects.exists()


def _overdue(subject, days):
    CareSubject.objects.filter(pk=subject.pk).update(next_visit_due=TODAY - datetime.timedelta(days=days))


def test_the_overdue_list_is_scoped_and_oldest_first(world):
    a, b = subject_in(world), subject_in(world, "b2")
    second = CareSubject.objects.create(person=world.people["worker_a"], home_path=a.home_path)
    _overdue(a, 2), _overdue(b, 5), _overdue(second, 9)
    page = client_for(world.users["worker_a"]).get("/care/overdue/").content.decode()
    assert a.person.name in page and b.person.name not in page
    assert page.index(second.person.name) < page.index(a.person.name)
    leader = client_for(world.users["leader"]).get("/care/overdue/").content.decode()
    assert a.person.name not in leader and "居*" in leader  # leaders see the list masked
    assert client_for(helper(world, "h", a, phone="13800000011")).get("/care/overdue/").status_code == 404


def test_the_overdue_list_pages_by_keyset(world, settings):
    from tongxin.care.selectors import visits as selectors

    subject = subject_in(world)
    rows = [CareSubject(person=world.people[key], home_path=subject.home_path,
                        next_visit_due=TODAY - datetime.timedelta(days=n))
            for n, key in enumerate(["worker_a", "worker_b", "staff", "leader", "chief_b1"], start=1)]
    CareSubject.objects.bulk_create(rows)
    first, cursor = selectors.overdue(world.users["staff"], today=TODAY)
    assert [r.late for r in first] == [5, 4, 3, 2, 1]
    old = selectors.OVERDUE_PAGE
    selectors.OVERDUE_PAGE = 2
    try:
        page1, cursor = selectors.overdue(world.users["staff"], today=TODAY)
        page2, cursor2 = selectors.overdue(world.users["staff"], cursor, today=TODAY)
        page3, cursor3 = selectors.overdue(world.users["staff"], cursor2, today=TODAY)
    finally:
        selectors.OVERDUE_PAGE = old
    assert [r.late for r in page1 + page2 + page3] == [5, 4, 3, 2, 1] and cursor3 == ""


def test_the_daily_job_tells_the_grid_worker_once_then_escalates(world):
    subject = subject_in(world)
    _overdue(subject, 1)
    assert visits.notify_overdue(TODAY)[visits.visit_rules.NOTIFY] == 1
    told = OutboxMessage.objects.filter(kind="care_visit_overdue")
    assert set(told.values_list("user", flat=True)) == {world.users["worker_a"].pk}
    assert CareSubject.objects.get(pk=subject.pk).overdue_notified_on == TODAY
    count = told.count()
    for days in range(1, visits.visit_rules.ESCALATE_AFTER_DAYS):
        visits.notify_overdue(TODAY + datetime.timedelta(days=days))
    assert told.count() == count
    assert not OutboxMessage.objects.filter(kind="care_visit_escalated").exists()
    later = TODAY + datetime.timedelta(days=visits.visit_rules.ESCALATE_AFTER_DAYS)
    visits.notify_overdue(later)
    visits.notify_overdue(later + datetime.timedelta(days=1))
    escalated = OutboxMessage.objects.filter(kind="care_visit_escalated")
    assert set(escalated.values_list("user", flat=True)) == {world.users["staff"].pk}
    assert escalated.filter(channel="inbox").count() == 1  # once, however often the job runs
    # A visit ends the episode; the next time it is overdue the grid worker is told again.
    visits.record(world.users["worker_a"], subject, observations="来过了", form_key="end")
    assert CareSubject.objects.get(pk=subject.pk).overdue_notified_on is None
    _overdue(subject, 1)
    visits.notify_overdue(TODAY + datetime.timedelta(days=1))
    assert told.filter(channel="inbox").count() == 2


def test_the_job_is_declared_as_a_daily_recurring_job():
    from tongxin.core.registry import recurring_jobs

    job = next(job for job in recurring_jobs() if job.code == "care-visits-overdue")
    assert job.daily_at and job.resolve() is visits.notify_overdue


def test_reading_earlier_visits_is_logged(world):
    from tongxin.core.models import PersonalDataRead

    subject = subject_in(world)
    client = client_for(world.users["worker_a"])
    client.get(url(subject))
    assert not PersonalDataRead.objects.exists()  # nothing sensitive shown yet
    post_visit(client, subject)
    client.get(url(subject))
    read = PersonalDataRead.objects.get()
    assert read.person == subject.person and read.user == world.users["worker_a"]


def test_the_overdue_page_makes_as_many_queries_for_many_subjects_as_for_one(world):
    from tongxin.core.models import Person
    from tongxin.core.testing import bulk_households, count_queries

    subject = subject_in(world)
    _overdue(subject, 3)
    client = client_for(world.users["staff"])

    def measure():
        with count_queries() as statements:
            assert client.get("/care/overdue/").status_code == 200
        return len(statements)

    small = measure()
    bulk_households([world.places["b1u1"], world.places["b2u1"]], 30)
    CareSubject.objects.bulk_create([
        CareSubject(person=p, home_path=p.home_path, next_visit_due=TODAY - datetime.timedelta(days=2))
        for p in Person.objects.filter(name__startswith="批量")])
    assert measure() == small

"""The service ledger: sums per person, team, work unit and community; the member's own page
and certificate; Excel; the monthly ranking and its public page; the work unit's view."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongxin.core.models import Organisation
from tongxin.core.testing import count_queries
from tongxin.volunteering.models import (
    Claim,
    ClaimState,
    JointProject,
    PostChoice,
    PublishedRanking,
    ServicePost,
    ServiceRecord,
    Task,
    UnitRegistration,
)
from tongxin.volunteering.selectors import ledger as selectors
from tongxin.volunteering.services import activities as services
from tongxin.volunteering.services.ledger import record_claim
from tongxin.volunteering.tests.activity_helpers import activity_now, member, work_unit

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def serve(session, person, enrolment, minutes: int):
    services.check_in(session, person=person, enrolment=enrolment, now=session.starts_at)
    return services.check_out(session, person=person, now=session.starts_at + datetime.timedelta(minutes=minutes))


def confirmed_task(world, enrolment, hours: str = "2", title: str = "帮独居老人买药"):
    task = Task.objects.create(kind="wish", title=title, place=world.places["b1u1"],
                               place_path=world.places["b1u1"].path, hours_credit=Decimal(hours), state="confirmed")
    now = timezone.now()
    claim = Claim.objects.create(task=task, enrolment=enrolment, state=ClaimState.CONFIRMED, act_by=now,
                                 completed_at=now, confirmed_at=now)
    return record_claim(claim)


@pytest.fixture
def served(world):
    """Two units, a team; three members with activity hours and a task."""
    unit_a, secretary_a = work_unit(world, "unit-a", "甲单位党支部", secretary_phone="13300000001")
    unit_b, secretary_b = work_unit(world, "unit-b", "乙单位党支部", secretary_phone="13300000002")
    team = Organisation.objects.create(code="team-med", name="医疗服务队", kind="volunteer_team",
                                       place=world.places["community"], started_on=datetime.date(2020, 1, 1))
    activity = activity_now(world, team=team)
    session = services.today_session(activity)
    zhang = member(world, "张三丰", unit=unit_a)
    li = member(world, "李四", unit=unit_a)
    wang = member(world, "王五", unit=unit_b)
    serve(session, zhang[0], zhang[1], 90)
    serve(session, li[0], li[1], 30)
    serve(session, wang[0], wang[1], 60)
    confirmed_task(world, zhang[1], "2")
    community = world.places["community"]
    post = ServicePost.objects.create(community=community, community_path=community.path, kind="convenience",
                                      name="便民服务岗")
    PostChoice.objects.create(enrolment=zhang[1], post=post)
    registration = UnitRegistration.objects.create(unit=unit_a, community=world.places["community"],
                                                   community_path=world.places["community"].path, status="approved")
    JointProject.objects.create(registration=registration, title="共建文明楼栋", goals="每月一次楼道清洁", year=2026,
                                signed_on=datetime.date(2026, 1, 10))
    return {"unit_a": unit_a, "unit_b": unit_b, "secretary_a": secretary_a, "secretary_b": secretary_b,
            "team": team, "zhang": zhang, "li": li, "wang": wang, "session": session}


def this_month():
    today = timezone.localdate()
    return {"period": "month", "year": today.year, "n": today.month}


def test_sums_per_person_team_unit_and_community(world, served):
    today = timezone.localdate()
    start, end = datetime.date(today.year, today.month, 1), today + datetime.timedelta(days=1)
    records = selectors.in_period(selectors.visible_records(world.users["staff"]), start, end)
    by_person = {r["name"]: (r["minutes"], r["tasks"]) for r in selectors.totals(records, "person")}
    assert by_person == {"张三丰": (210, 1), "李四": (30, 0), "王五": (60, 0)}
    assert {r["name"]: r["minutes"] for r in selectors.totals(records, "team")} == {"医疗服务队": 180}
    assert {r["name"]: (r["minutes"], r["tasks"]) for r in selectors.totals(records, "unit")} == {
        "甲单位党支部": (240, 1), "乙单位党支部": (60, 0)}
    assert selectors.totals(records, "community") == [
        {"id": world.places["community"].pk, "name": "测试社区", "minutes": 300, "tasks": 1}]
    # A grid worker of grid A does not see the community's ledger.
    assert not selectors.visible_records(world.users["worker_a"]).exists()


def test_the_ledger_page_and_its_excel_have_the_right_totals(world, served):
    staff = client_for(world.users["staff"])
    page = staff.get(reverse("volunteering-ledger"), this_month())
    assert page.status_code == 200
    assert "张三丰" in page.content.decode() and "3.5" in page.content.decode()
    response = staff.get(reverse("volunteering-ledger-export"), this_month())
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.sheetnames) == 4 and workbook.sheetnames[0] == "个人" and workbook.sheetnames[3] == "社区"
    people = {row[0]: (row[1], row[2]) for row in workbook["个人"].iter_rows(min_row=2, values_only=True)}
    assert people == {"张三丰": (3.5, 1), "李四": (0.5, 0), "王五": (1, 0)}
    assert list(workbook["社区"].iter_rows(min_row=2, values_only=True)) == [("测试社区", 5, 1)]
    assert client_for(world.users["chief_b1"]).get(reverse("volunteering-ledger")).status_code == 404


def test_my_ledger_and_the_certificate(world, served):
    _person, _enrolment, user = served["zhang"]
    client = client_for(user)
    page = client.get(reverse("volunteering-my-ledger")).content.decode()
    assert "3.5" in page and "帮独居老人买药" in page
    today = timezone.localdate()
    response = client.get(reverse("volunteering-certificate"), {"from": f"{today.year}-01-01",
                                                                "to": today.isoformat()})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def test_the_certificate_states_the_members_hours(world, served):
    from pypdf import PdfReader

    _person, _enrolment, user = served["zhang"]
    response = client_for(user).get(reverse("volunteering-certificate"))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "张三丰" in text and "3.5" in text


def test_a_published_ranking_is_masked_kept_as_published_and_public(world, served):
    staff = client_for(world.users["staff"])
    month = timezone.localdate().strftime("%Y-%m")
    response = staff.post(reverse("volunteering-ranking-publish"),
                          {"community": world.places["community"].pk, "month": month})
    ranking = PublishedRanking.objects.get()
    assert response["Location"] == reverse("volunteering-ranking", args=[ranking.pk])
    assert [(r["name"], r["hours"], r["tasks"]) for r in ranking.rows] == [
        ("张**", 3.5, 1), ("王*", 1.0, 0), ("李*", 0.5, 0)]
    # More service later does not change what was published; publishing again is refused.
    confirmed_task(world, served["li"][1], "10", title="又一件事")
    staff.post(reverse("volunteering-ranking-publish"), {"community": world.places["community"].pk, "month": month})
    assert PublishedRanking.objects.count() == 1
    ranking.refresh_from_db()
    assert ranking.rows[0]["name"] == "张**"
    public = Client().get(reverse("volunteering-ranking", args=[ranking.pk])).content.decode()
    assert "张**" in public and "张三丰" not in public and "李四" not in public
    # A grid worker of grid A cannot publish the community's ranking.
    assert client_for(world.users["worker_a"]).post(reverse("volunteering-ranking-publish"), {
        "community": world.places["community"].pk, "month": month}).status_code == 404


def test_the_work_units_view_and_quarterly_excel(world, served):
    secretary = client_for(served["secretary_a"])
    url = reverse("volunteering-unit", args=[served["unit_a"].pk])
    page = secretary.get(url, this_month()).content.decode()
    assert "张三丰" in page and "李四" in page and "王五" not in page
    assert "便民服务岗" in page and "共建文明楼栋" in page and "测试社区" in page
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    response = secretary.get(reverse("volunteering-unit-export", args=[served["unit_a"].pk]),
                             {"period": "quarter", "year": today.year, "n": quarter})
    workbook = load_workbook(BytesIO(response.content))
    members = {row[0]: row for row in workbook["成员"].iter_rows(min_row=2, values_only=True)}
    assert members["张三丰"][1:] == ("测试社区", "便民服务岗", 3.5, 1)
    assert members["李四"][3:] == (0.5, 0)
    assert sum(row[3] for row in members.values()) == 4
    assert [row[0] for row in workbook["共建项目"].iter_rows(min_row=2, values_only=True)] == ["共建文明楼栋"]
    # Another unit's secretary sees nothing of this unit.
    other = client_for(served["secretary_b"])
    assert other.get(url).status_code == 404
    assert other.get(reverse("volunteering-unit-export", args=[served["unit_a"].pk])).status_code == 404
    # The community's staff see it; a building chief does not.
    assert "张三丰" in client_for(world.users["staff"]).get(url).content.decode()
    assert client_for(world.users["chief_b1"]).get(url).status_code == 404


def test_ledger_and_unit_query_counts_stay_flat_as_members_grow(world, served):
    activity = activity_now(world, title="巡逻", team=served["team"])
    session = services.today_session(activity)
    staff = client_for(world.users["staff"])
    secretary = client_for(served["secretary_a"])
    pages = ((staff, reverse("volunteering-ledger")), (secretary, reverse("volunteering-unit",
                                                                          args=[served["unit_a"].pk])),
             (staff, reverse("volunteering-ledger-export")), (served["zhang"][2], None))

    def grow(n, start):
        for i in range(n):
            person, enrolment, _u = member(world, f"新成员{start + i}", unit=served["unit_a"], login=False)
            serve(session, person, enrolment, 45)
            confirmed_task(world, enrolment, "1", title=f"任务{start + i}")

    def measure():
        counts = []
        for client, url in pages:
            if url is None:
                client, url = client_for(client), reverse("volunteering-my-ledger")
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    grow(2, 0)
    few = measure()
    grow(15, 100)
    assert measure() == few
    assert ServiceRecord.objects.count() > 30


def test_a_secretary_finds_their_unit_from_the_menu(world, served):
    response = client_for(served["secretary_a"]).get(reverse("volunteering-my-units"))
    assert response["Location"] == reverse("volunteering-unit", args=[served["unit_a"].pk])
    page = client_for(world.users["staff"]).get(reverse("volunteering-my-units"))
    assert page.status_code == 200 and "甲单位党支部" not in page.content.decode()

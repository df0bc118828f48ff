"""Projects through the services and over HTTP: create with sources, shares by household or
by area (a missing area refused naming the unit), frozen when collection opens, payments
(a receipt once, no overpaying), progress, completion with final accounts, the notices,
the pages (masked names, the public page without names or amounts by household), scope
and flat query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tongxin.cofunding import rules, services
from tongxin.cofunding.models import OwnerShare, Payment, Project, SpentItem
from tongxin.cofunding.services import SourceInput
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, PlaceNotice
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, bulk_households, count_queries, two_grids

pytestmark = pytest.mark.django_db
SEED_001 = [SourceInput("policy", "政策资金", fixed_fen=5000000),
            SourceInput("committee", "业委会收入", percent=Decimal(50)),
            SourceInput("owners", "受益业主", percent=Decimal(50))]


@pytest.fixture
def world():
    return two_grids()


def make(world, *, rule="per_household", buildings=("b1",), budget=12000000, sources=SEED_001, user="staff"):
    return services.create(world.users[user], world.places["compound"], title="1栋加装电梯", budget_fen=budget,
                           owners_rule=rule, buildings=[world.places[b].pk for b in buildings], sources=list(sources),
                           description="加装一部电梯")


def shares_of(project):
    return list(OwnerShare.objects.filter(project=project).order_by("id"))


def test_create_splits_the_budget_and_the_owners_part(world):
    project = make(world, buildings=("b1", "b2"))
    assert [s.amount_fen for s in project.sources.all()] == [5000000, 3500000, 3500000]
    found = shares_of(project)
    assert len(found) == 12 and sum(s.amount_fen for s in found) == 3500000
    assert {s.amount_fen for s in found} == {291667, 291666}  # 3,500,000 / 12 = 291,666.67
    assert {s.building_id for s in found} == {world.places["b1"].pk, world.places["b2"].pk}


def test_per_area_follows_the_floor_area(world):
    first = Household.objects.filter(place=world.places["b1u1"]).order_by("unit_number").first()
    Household.objects.filter(pk=first.pk).update(floor_area=Decimal("161.00"))  # twice the others' 80.50
    project = make(world, rule="per_area", budget=700000,
                   sources=[SourceInput("owners", "受益业主", percent=Decimal(100))])
    by_household = {s.household_id: s.amount_fen for s in shares_of(project)}
    assert by_household[first.pk] == 200000 and sum(by_household.values()) == 700000
    assert OwnerShare.objects.get(household=first, project=project).basis == Decimal("161.00")


def test_a_household_without_area_is_refused_by_name(world):
    household = Household.objects.filter(place=world.places["b1u2"]).order_by("unit_number").last()
    Household.objects.filter(pk=household.pk).update(floor_area=None)
    with pytest.raises(RefusedError) as refused:
        make(world, rule="per_area")
    assert refused.value.code == "area_missing"
    assert "1栋2单元 301" in refused.value.message_zh and "1栋2单元 301" in refused.value.message_en
    assert not Project.objects.exists()
    make(world, rule="per_household")  # per household the area does not matter


@pytest.mark.parametrize(("sources", "budget", "code"), [
    ([SourceInput("policy", "政策资金", fixed_fen=2000)], 1000, "fixed_over_budget"),
    ([SourceInput("policy", "政策资金", fixed_fen=500)], 1000, "budget_not_covered"),
    ([SourceInput("owners", "a", percent=Decimal(60)), SourceInput("committee", "b", percent=Decimal(30))], 1000,
     "fractions_invalid"),
    ([SourceInput("owners", "a", percent=Decimal(50)), SourceInput("owners", "b", percent=Decimal(50))], 1000,
     "owners_twice"),
    ([SourceInput("owners", "a", fixed_fen=10, percent=Decimal(50))], 1000, "source_amount"),
    ([], 1000, "sources_count"),
    (SEED_001, 0, "budget_missing"),
])
def test_sources_that_do_not_add_up_are_refused(world, sources, budget, code):
    with pytest.raises(RefusedError) as refused:
        make(world, sources=sources, budget=budget)
    assert refused.value.code == code and refused.value.message_zh
    assert not Project.objects.exists()


def test_only_managers_of_the_compound_create_and_only_its_buildings(world):
    with pytest.raises(PermissionDenied):
        make(world, user="worker_a")
    with pytest.raises(PermissionDenied):
        make(world, user="leader")  # the street leader sees projects but does not run them
    with pytest.raises(RefusedError) as refused:
        services.create(world.users["staff"], world.places["compound"], title="x", budget_fen=100,
                        owners_rule="per_household", buildings=[world.places["b1u1"].pk], sources=SEED_001)
    assert refused.value.code == "buildings_invalid"


def test_shares_are_frozen_when_collection_opens(world):
    project = make(world)
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    Household.objects.filter(pk=household.pk).update(closed_on=datetime.date(2026, 1, 1))
    assert len(services.compute_shares(world.users["staff"], project)) == 5  # a draft follows the register
    Household.objects.filter(pk=household.pk).update(closed_on=None)
    project = services.open_collection(world.users["staff"], project)
    assert project.state == "collecting" and len(shares_of(project)) == 6  # computed once more at opening
    with pytest.raises(RefusedError) as refused:
        services.compute_shares(world.users["staff"], project)
    assert refused.value.code == "state_compute_shares"
    with pytest.raises(RefusedError):
        services.open_collection(world.users["staff"], project)
    notice = PlaceNotice.objects.get(place=world.places["compound"])
    assert notice.link == f"/cofunding/p/{project.pk}/" and "1栋加装电梯" in notice.title


def test_payments_once_per_receipt_and_never_over_the_share(world):
    staff = world.users["staff"]
    project = services.open_collection(staff, make(world, budget=600, sources=[
        SourceInput("owners", "受益业主", percent=Decimal(100))]))
    share = shares_of(project)[0]
    assert share.amount_fen == 100
    with pytest.raises(RefusedError) as refused:
        services.record_payment(staff, share, amount_fen=60, receipt_no="  ")
    assert refused.value.code == "receipt_missing"
    services.record_payment(staff, share, amount_fen=60, receipt_no="NO.001")
    with pytest.raises(RefusedError) as refused:
        services.record_payment(staff, shares_of(project)[1], amount_fen=10, receipt_no="NO.001")
    assert refused.value.code == "receipt_used"
    with pytest.raises(RefusedError) as refused:
        services.record_payment(staff, share, amount_fen=41, receipt_no="NO.002")
    assert refused.value.code == "overpaid" and "0.40" in refused.value.message_zh
    assert not Payment.objects.filter(receipt_no="NO.002").exists()  # the refused payment is not kept
    services.record_payment(staff, share, amount_fen=40, receipt_no="NO.002")
    share.refresh_from_db()
    assert share.paid_fen == share.amount_fen == 100
    with pytest.raises(PermissionDenied):
        services.record_payment(world.users["worker_a"], share, amount_fen=1, receipt_no="NO.003")


def test_the_database_refuses_an_overpaid_share(world):
    from django.db import IntegrityError, transaction

    project = make(world)
    share = shares_of(project)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnerShare.objects.filter(pk=share.pk).update(paid_fen=share.amount_fen + 1)


def test_the_whole_life_of_a_project(world):
    staff = world.users["staff"]
    project = make(world)
    with pytest.raises(RefusedError) as refused:
        services.record_payment(staff, shares_of(project)[0], amount_fen=1, receipt_no="1")
    assert refused.value.code == "state_pay"  # not before collection opens
    project = services.open_collection(staff, project)
    services.add_progress(staff, project, date=datetime.date(2026, 3, 1), text="完成方案设计")
    project = services.start_work(staff, project)
    services.record_payment(staff, shares_of(project)[0], amount_fen=1000, receipt_no="A-1")  # still collecting
    with pytest.raises(RefusedError) as refused:
        services.complete(staff, project, items=[("电梯设备", 11000000)])
    assert refused.value.code == "balance_unexplained"
    project = services.complete(staff, project, items=[("电梯设备", 10000000), ("土建", 1500000)],
                                note="结余5000元按比例退回各方")
    assert project.state == "completed" and project.balance_note.startswith("结余")
    assert list(SpentItem.objects.filter(project=project).values_list("amount_fen", flat=True)) == [10000000, 1500000]
    assert PlaceNotice.objects.filter(title__contains="竣工决算", body__contains="结余 ¥5000.00").count() == 1
    for call in (lambda: services.add_progress(staff, project, date=datetime.date(2026, 5, 1), text="x"),
                 lambda: services.record_payment(staff, shares_of(project)[1], amount_fen=1, receipt_no="A-2")):
        with pytest.raises(RefusedError):
            call()


def test_a_decision_cited_must_be_passed_and_of_the_compound(world):
    from tongxin.voting.models import Decision

    def decision(place, state="closed", passed=True):
        return Decision.objects.create(place=world.places[place], place_path=world.places[place].path, title="加装电梯",
                                       item=7, state=state, passed=passed)

    project = services.create(world.users["staff"], world.places["compound"], title="x", budget_fen=100,
                              owners_rule="per_household", buildings=[world.places["b1"].pk],
                              sources=[SourceInput("committee", "业委会收入", fixed_fen=100)], decision=decision("b1"))
    assert project.decision.passed
    for bad in (decision("b1", passed=False), decision("b1", state="open", passed=None), decision("grid_a")):
        with pytest.raises(RefusedError) as refused:
            services.create(world.users["staff"], world.places["compound"], title="x", budget_fen=100,
                            owners_rule="per_household", buildings=[world.places["b1"].pk],
                            sources=[SourceInput("committee", "业委会收入", fixed_fen=100)], decision=bad)
        assert refused.value.code == "decision_invalid"


# --- pages ---------------------------------------------------------------------------------
def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_create_over_http(world):
    client = client_for(world.users["staff"])
    assert client.get("/cofunding/new/").status_code == 200
    data = {"title": "充电棚", "compound": str(world.places["compound"].pk),
            "buildings": [str(world.places["b1"].pk), str(world.places["b2"].pk)], "budget": "12000.01",
            "owners_rule": "per_area", "s1_kind": "policy", "s1_name": "政策资金", "s1_fixed": "5000",
            "s2_kind": "owners", "s2_name": "受益业主", "s2_percent": "100"}
    response = client.post("/cofunding/new/", data)
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == f"/cofunding/{project.pk}/"
    assert project.budget_fen == 1200001 and sum(s.amount_fen for s in shares_of(project)) == 700001
    response = client.post("/cofunding/new/", {**data, "budget": "12000.001"}, follow=True)
    assert "金额最多精确到分" in response.content.decode() and Project.objects.count() == 1


def test_the_staff_page_masks_names_and_records_payments(world):
    staff = world.users["staff"]
    project = services.open_collection(staff, make(world))
    client = client_for(staff)
    page = client.get(f"/cofunding/{project.pk}/").content.decode()
    assert "居*" in page and "居民1" not in page and "1栋1单元 101" not in page.replace("</td>", "")
    assert "1栋" in page and "101" in page
    share = shares_of(project)[0]
    assert 'name="receipt_no"' in client.get(f"/cofunding/{project.pk}/?pay={share.pk}").content.decode()
    response = client.post(f"/cofunding/{project.pk}/", {"action": "pay", "share": share.pk, "amount": "100.00",
                                                          "receipt_no": "R-1"}, follow=True)
    assert "缴款已登记" in response.content.decode()
    response = client.post(f"/cofunding/{project.pk}/", {"action": "pay", "share": share.pk, "amount": "1",
                                                          "receipt_no": "R-1"}, follow=True)
    assert "收据 R-1 已经登记过了" in response.content.decode()
    assert Payment.objects.get().amount_fen == 10000
    # The street leader sees the project but may not record a payment.
    leader = client_for(world.users["leader"])
    assert leader.get(f"/cofunding/{project.pk}/").status_code == 200
    assert leader.post(f"/cofunding/{project.pk}/", {"action": "pay", "share": share.pk, "amount": "1",
                                                     "receipt_no": "R-9"}).status_code == 403
    # A grid worker does not see it at all.
    assert client_for(world.users["worker_a"]).get(f"/cofunding/{project.pk}/").status_code in (403, 404)


def test_a_resident_sees_his_own_share(world):
    project = services.open_collection(world.users["staff"], make(world))
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    share = OwnerShare.objects.get(project=project, household=household)
    services.record_payment(world.users["staff"], share, amount_fen=share.amount_fen, receipt_no="R-1")
    resident = create_login(household.members.get(is_head=True).person, phone="15800000001", password=PASSWORD)
    page = client_for(resident).get("/cofunding/mine/").content.decode()
    assert "1栋加装电梯" in page and "583333.34" not in page
    assert f"¥{Decimal(share.amount_fen) / 100:.2f}" in page and "已缴清" in page
    assert OwnerShare.objects.filter(project=project).exclude(pk=share.pk).count() == 5
    other = OwnerShare.objects.filter(project=project).exclude(pk=share.pk).first()
    assert other.household.unit_number not in page.split("1栋加装电梯", 1)[1].split("公开页面")[0].replace(
        household.unit_number, "")


def test_the_public_page_has_no_names_and_no_amount_by_household(world):
    staff = world.users["staff"]
    first = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    Household.objects.filter(pk=first.pk).update(floor_area=Decimal("123.45"))
    project = make(world, rule="per_area", buildings=("b1", "b2"))
    anonymous = Client()
    assert anonymous.get(f"/cofunding/p/{project.pk}/").status_code == 404  # a draft is not public
    services.open_collection(staff, project)
    share = OwnerShare.objects.get(project=project, household=first)
    services.record_payment(staff, share, amount_fen=share.amount_fen, receipt_no="R-1")
    other = OwnerShare.objects.filter(project=project, building=world.places["b1"]).exclude(pk=share.pk).first()
    services.record_payment(staff, other, amount_fen=1, receipt_no="R-2")  # no total is one household's share
    services.add_progress(staff, project, date=datetime.date(2026, 3, 1), text="电梯井施工完成")
    page = anonymous.get(f"/cofunding/p/{project.pk}/").content.decode()
    assert "1栋加装电梯" in page and "电梯井施工完成" in page and "120000.00" in page and "政策资金" in page
    assert "1栋" in page and "2栋" in page
    assert "居民" not in page and "居*" not in page and "101" not in page
    assert f"{Decimal(share.amount_fen) / 100:.2f}" not in page  # that household's share is nowhere
    b1 = OwnerShare.objects.filter(project=project, building=world.places["b1"])
    assert f"{rules.rate(share.amount_fen + 1, sum(b1.values_list('amount_fen', flat=True)))}%" in page


def test_query_counts_do_not_grow_with_the_households():
    """Building 1 has 12 households, building 2 has 120; a project for each: the same number
    of queries for either project's staff and public pages, and for the list with one or two."""
    world = two_grids(households_per_entrance=1)
    bulk_households([world.places["b1u1"], world.places["b1u2"]], 5, start=500)
    bulk_households([world.places["b2u1"], world.places["b2u2"]], 59, start=500)
    staff = world.users["staff"]
    client = client_for(staff)

    def project_for(building):
        project = services.open_collection(staff, make(world, buildings=(building,), rule="per_area"))
        for share in shares_of(project)[::3]:
            services.record_payment(staff, share, amount_fen=1, receipt_no=f"R{share.pk}")
        services.add_progress(staff, project, date=datetime.date(2026, 3, 1), text="开工")
        return project

    def queries(url):
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small = project_for("b1")
    listed_one = queries("/cofunding/")
    large = project_for("b2")
    assert (len(shares_of(small)), len(shares_of(large))) == (12, 120)
    assert queries("/cofunding/") == listed_one
    for url in ("/cofunding/{pk}/", "/cofunding/p/{pk}/", "/cofunding/{pk}/?building={b}"):
        assert queries(url.format(pk=small.pk, b=world.places["b1"].pk)) == queries(
            url.format(pk=large.pk, b=world.places["b2"].pk)), url

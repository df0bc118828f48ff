"""Relief distribution end to end on a real database and real HTTP: the list computed from the
registers and frozen on opening, hand-overs with a code or a signature, stock, scoping, the
public list without the category, and flat query counts."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, InboxItem, Person, PersonTag, PlaceNotice
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, bulk_households, count_queries
from tongxin.relief import selectors, services
from tongxin.relief.models import Entitlement, HandOver, Item

pytestmark = pytest.mark.django_db
SIGNED = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()


def distribution(world, *, tags=("elderly_alone",), stock=10, open_it=True):
    staff = world.users["staff"]
    found = services.create(staff, world.places["community"], title="冬季御寒物资", rule_tags=list(tags))
    services.add_item(staff, found, name="棉被", unit="床", stock=stock)
    services.add_item(staff, found, name="大米", unit="袋", stock=stock * 2, per_household=2)
    if open_it:
        services.open_distribution(staff, found)
        found.refresh_from_db()
    return found


def entitlement_at(found, building):
    return Entitlement.objects.filter(distribution=found, building=building).order_by("id").first()


def test_eligible_households_are_one_query_and_the_list_is_frozen_on_opening(world, django_assert_num_queries):
    found = distribution(world, open_it=False)
    unit = Household.objects.get(place=world.places["b1u1"], unit_number="101")
    services.add_household(world.users["staff"], found, unit, reason="临时困难：家中失火")
    with django_assert_num_queries(1):
        eligible = list(selectors.eligible_households(found))
    # the elderly-alone household in each of the four entrances, and the one added by hand
    assert len(eligible) == 5 and [h.by_hand for h in eligible].count(True) == 1
    services.open_distribution(world.users["staff"], found)
    listed = Entitlement.objects.filter(distribution=found)
    assert listed.count() == 5
    assert set(listed.values_list("building__code", flat=True)) == {"t-b1", "t-b2"}
    # the list is fixed: a tag added afterwards does not put a household on it
    PersonTag.objects.create(person=Person.objects.get(name="居民1"), tag="elderly_alone")
    with pytest.raises(RefusedError) as refused:
        services.add_household(world.users["staff"], found, unit, reason="x")
    assert refused.value.code == "list_frozen"
    assert listed.count() == 5


def test_a_member_who_moved_out_does_not_make_the_household_eligible(world):
    person = Person.objects.get(name="居民2")  # the elderly-alone head of b1u1 201
    person.memberships.update(valid_to="2026-01-01")
    found = distribution(world)
    assert not Entitlement.objects.filter(distribution=found, household__place=world.places["b1u1"]).exists()
    assert Entitlement.objects.filter(distribution=found).count() == 3


def test_one_hand_over_per_household_and_stock_counted(world):
    found = distribution(world, stock=10)
    entitlement = entitlement_at(found, world.places["b1"])
    services.hand_over(world.users["worker_a"], entitlement, signature=SIGNED)
    with pytest.raises(RefusedError) as refused:
        services.hand_over(world.users["chief_b1"], entitlement, signature=SIGNED)
    assert refused.value.code == "already_handed_over"
    assert "不能重复发放" in refused.value.message_zh and "twice" in refused.value.message_en
    assert HandOver.objects.count() == 1
    assert {i.name: (i.handed_out, i.remaining) for i in Item.objects.all()} == {"棉被": (1, 9), "大米": (2, 18)}


def test_a_shelf_that_cannot_cover_the_hand_over_refuses_it_and_nothing_is_written(world):
    found = distribution(world, stock=1)
    first, second = Entitlement.objects.filter(distribution=found, building=world.places["b1"]).order_by("id")[:2]
    services.hand_over(world.users["worker_a"], first, signature=SIGNED)
    with pytest.raises(RefusedError) as refused:
        services.hand_over(world.users["worker_a"], second, signature=SIGNED)
    assert refused.value.code == "stock_out"
    assert not HandOver.objects.filter(entitlement=second).exists()
    assert list(Item.objects.order_by("id").values_list("handed_out", flat=True)) == [1, 2]
    services.add_stock(world.users["staff"], Item.objects.get(name="棉被"), 5)
    services.add_stock(world.users["staff"], Item.objects.get(name="大米"), 10)
    services.hand_over(world.users["worker_a"], second, signature=SIGNED)
    assert Item.objects.get(name="棉被").remaining == 4


def test_a_code_sent_to_the_household_confirms_and_only_its_hash_is_kept(world):
    found = distribution(world)
    entitlement = entitlement_at(found, world.places["b1"])
    with pytest.raises(RefusedError) as refused:
        services.send_code(world.users["worker_a"], entitlement)
    assert refused.value.code == "no_login"
    head = Person.objects.get(memberships__household=entitlement.household, memberships__is_head=True)
    login = create_login(head, phone="13911112222", password=PASSWORD)
    assert services.send_code(world.users["worker_a"], entitlement) == 1
    code = re.search(r"\d{6}", InboxItem.objects.get(user=login, kind="relief_code").subject).group()
    entitlement.refresh_from_db()
    assert entitlement.code_hash and code not in entitlement.code_hash
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(RefusedError) as refused:
        services.hand_over(world.users["worker_a"], entitlement, code=wrong)
    assert refused.value.code == "code_wrong"
    done = services.hand_over(world.users["worker_a"], entitlement, code=code)
    assert (done.method, done.signature, done.handed_by) == ("code", "", world.users["worker_a"])


def test_a_grid_worker_hands_over_only_in_their_grid(world):
    found = distribution(world)
    theirs, other = entitlement_at(found, world.places["b1"]), entitlement_at(found, world.places["b2"])
    with pytest.raises(RefusedError) as refused:
        services.hand_over(world.users["worker_a"], other, signature=SIGNED)
    assert refused.value.code == "not_allowed"
    client = Client()
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("relief-eligible", args=[found.pk])).content.decode()
    assert "1栋" in page and "2栋" not in page
    assert client.get(reverse("relief-hand-over", args=[other.pk])).status_code == 404
    assert client.get(reverse("relief-hand-over", args=[theirs.pk])).status_code == 200
    # a leader sees the distribution, but hands nothing over and changes nothing
    leader = Client()
    leader.force_login(world.users["leader"])
    assert leader.get(reverse("relief-detail", args=[found.pk])).status_code == 200
    assert leader.get(reverse("relief-hand-over", args=[theirs.pk])).status_code == 404
    assert leader.post(reverse("relief-detail", args=[found.pk]), {"action": "close"}).status_code == 403


def test_the_staff_run_a_distribution_over_http(world):
    client = Client()
    client.force_login(world.users["staff"])
    response = client.post(reverse("relief-list"), {"place": "t-community", "title": "寒潮应急物资",
                                                    "kind": "disaster", "rule_tags": ["elderly_alone"]})
    assert response.status_code == 302
    found = selectors.visible(world.users["staff"]).get(title="寒潮应急物资")
    detail = reverse("relief-detail", args=[found.pk])
    client.post(detail, {"action": "add_item", "name": "羽绒服", "unit": "件", "stock": "8", "per_household": "1"})
    client.post(detail, {"action": "add_household", "place": "t-b1-u1", "unit_number": "301", "reason": "突发困难"})
    client.post(detail, {"action": "open"})
    found.refresh_from_db()
    assert found.state == "open" and Entitlement.objects.filter(distribution=found).count() == 5
    entitlement = Entitlement.objects.filter(distribution=found).order_by("id").first()
    page = client.get(reverse("relief-hand-over", args=[entitlement.pk])).content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', page).group(1)
    response = client.post(reverse("relief-hand-over", args=[entitlement.pk]),
                           {"action": "signature", "signature": SIGNED, "form_key": key})
    assert response.status_code == 302 and HandOver.objects.get().signature == SIGNED
    again = client.post(reverse("relief-hand-over", args=[entitlement.pk]),
                        {"action": "signature", "signature": SIGNED, "form_key": key}, follow=True)
    assert HandOver.objects.count() == 1 and "已经领取过了" in again.content.decode()
    assert "羽绒服" in client.get(detail).content.decode()
    client.post(detail, {"action": "publish"})
    found.refresh_from_db()
    assert found.published_at is not None
    notice = PlaceNotice.objects.get(place=world.places["community"])
    assert notice.link == reverse("relief-public", args=[found.public_token])
    response = client.get(reverse("export-download", args=["relief-hand-overs", "t-community"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_public_list_shows_unit_and_masked_name_never_the_category(world):
    found = distribution(world)
    public = reverse("relief-public", args=[found.public_token])
    assert Client().get(public).status_code == 404  # not published yet
    entitlement = entitlement_at(found, world.places["b1"])
    services.hand_over(world.users["worker_a"], entitlement, signature=SIGNED)
    services.publish(world.users["staff"], found)
    page = Client().get(public).content.decode()
    head = Person.objects.get(memberships__household=entitlement.household, memberships__is_head=True).name
    assert entitlement.household.unit_number in page and head[0] + "*" * (len(head) - 1) in page
    assert head not in page
    for category in ("独居", "elderly", "Elderly", "低保", "elderly_alone"):
        assert category not in page
    assert Client().get(reverse("relief-public", args=["not-the-token"])).status_code == 404


def test_queries_stay_flat(world):
    found = distribution(world, stock=1000, open_it=False)
    client, anyone = Client(), Client()
    client.force_login(world.users["staff"])

    def grow(count: int, start: int) -> None:
        bulk_households([world.places["b1u1"], world.places["b2u2"]], count // 2, start=start)
        fresh = Person.objects.filter(name__startswith="批量").exclude(tags__tag="low_income")
        PersonTag.objects.bulk_create([PersonTag(person=p, tag="low_income") for p in fresh])

    def measure() -> int:
        with count_queries() as counted:
            assert client.get(reverse("relief-eligible", args=[found.pk])).status_code == 200
            assert client.get(reverse("relief-detail", args=[found.pk])).status_code == 200
            assert anyone.get(reverse("relief-public", args=[found.public_token])).status_code == 200
        return len(counted)

    grow(12, 1000)
    found.rule_tags = ["low_income"]
    found.save()
    services.open_distribution(world.users["staff"], found)
    for entitlement in Entitlement.objects.filter(distribution=found)[:6]:
        services.hand_over(world.users["staff"], entitlement, signature=SIGNED)
    services.publish(world.users["staff"], found)
    small = measure()
    assert Entitlement.objects.filter(distribution=found).count() == 12
    # a bigger list (frozen afresh: a second distribution over 120 households)
    grow(108, 2000)
    big = distribution(world, tags=("low_income",), stock=1000, open_it=True)
    for entitlement in Entitlement.objects.filter(distribution=big)[:60]:
        services.hand_over(world.users["staff"], entitlement, signature=SIGNED)
    services.publish(world.users["staff"], big)
    assert Entitlement.objects.filter(distribution=big).count() == 120
    found = big
    assert measure() == small

from django.urls import reverse

from tongxin.core.models import Household
from tongxin.core.testing import count_queries
from tongxin.volunteering.models import Enrolment, HouseholdLink, Task


def _enrol(world, key, status="pending"):
    person = world.people[key]
    community = world.places["community"]
    return Enrolment.objects.create(person=person, kind="volunteer", community=community,
                                    community_path=community.path, status=status)


def _task(place, title):
    return Task.objects.create(kind="wish", title=title, place=place, place_path=place.path)


def test_staff_see_what_waits_in_their_places_only(world, client):
    _enrol(world, "chief_b1")
    approved = _enrol(world, "worker_b", status="approved")
    _task(world.places["b1u1"], "帮忙买菜")
    _task(world.places["b2u1"], "修水龙头")
    households = Household.objects.filter(place__path__startswith=world.places["b1"].path)
    HouseholdLink.objects.create(household=households.first(), enrolment=approved,
                                 place_path=households.first().place_path, valid_from="2026-01-01")

    client.force_login(world.users["staff"])  # the community: both grids
    page = client.get(reverse("volunteering-home"))
    figures = page.context["figures"]
    assert (figures["pending"], figures["approved"], figures["open_tasks"]) == (1, 1, 2)
    assert figures["unlinked_households"] == Household.objects.count() - 1

    client.force_login(world.users["worker_a"])  # grid A: building 1 only, and the people living there
    figures = client.get(reverse("volunteering-home")).context["figures"]
    assert (figures["pending"], figures["open_tasks"]) == (0, 1)
    Enrolment.objects.filter(person=world.people["chief_b1"]).update(home_path=world.places["b1u1"].path)
    assert client.get(reverse("volunteering-home")).context["figures"]["pending"] == 1
    assert figures["unlinked_households"] == households.count() - 1


def test_the_front_page_is_for_staff_and_costs_the_same_however_much_there_is(world, client):
    client.force_login(world.users["chief_b1"])  # a building chief holds no volunteering permission
    assert client.get(reverse("volunteering-home")).status_code == 404
    client.force_login(world.users["staff"])
    with count_queries() as few:
        client.get(reverse("volunteering-home"))
    for n in range(5):
        _task(world.places["b1u2"], f"任务{n}")
    _enrol(world, "worker_a")
    with count_queries() as more:
        client.get(reverse("volunteering-home"))
    assert len(more) == len(few)

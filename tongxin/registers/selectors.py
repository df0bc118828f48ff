"""Reads for the registers screens and API, always scoped by ``core.access``."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Household, HouseholdMember, Organisation, Person, Place, RoleAssignment
from tongxin.core.pagination import keyset_page
from tongxin.core.places import full_names
from tongxin.core.roles import VIEW_REGISTER, VIEW_TREE

PAGE_SIZE = 30


def visible_place(user, code: str) -> Place:
    """The place with ``code`` if the user may see it; otherwise 404 (never 403: no probing)."""
    place = Place.objects.filter(code=code).first()
    if place is None or not access.can_see_path(user, VIEW_TREE, place.path):
        raise Http404("no such place")
    return place


SEARCH_LIMIT = 50


def search_places(user, text: str) -> list[tuple[Place, str]]:
    """Places in scope whose name or code contains ``text``, each with its full name.

    Two statements whatever the number of matches: the matches, then all their ancestors.
    """
    text = text.strip()
    if not text:
        return []
    matches = list(
        Place.objects.filter(access.path_filter(user, VIEW_TREE))
        .filter(Q(name__icontains=text) | Q(code__icontains=text))
        .order_by("depth", "path")[:SEARCH_LIMIT]
    )
    names = full_names(matches)
    return [(place, names[place.pk]) for place in matches]


def breadcrumb(user, place: Place) -> list[tuple[Place, bool]]:
    """Ancestors root-first, each with whether the user may open it."""
    return [(ancestor, access.can_see_path(user, VIEW_TREE, ancestor.path)) for ancestor in place.ancestors()]


def households_page(user, place: Place, after: int | None = None, size: int = PAGE_SIZE) -> tuple[list, int | None]:
    """One keyset page of the households registered directly at ``place``."""
    if not access.can_see_path(user, VIEW_REGISTER, place.path):
        return [], None
    return keyset_page(Household.objects.filter(place=place, closed_on__isnull=True).order_by("id"), after, size)


def households_under(user, place: Place):
    """Open households anywhere under ``place`` that the user may see in the registers."""
    return Household.objects.filter(
        access.path_filter(user, VIEW_REGISTER, "place_path"),
        place_path__gte=place.path, place_path__lt=place.path_end, closed_on__isnull=True,
    )


def role_holders(place: Place):
    """People currently holding a role at this place (for the place page and posters)."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(place=place, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .select_related("person")
        .order_by("role", "person__name")
    )


def organisations_at(place: Place):
    today = timezone.localdate()
    return Organisation.objects.filter(place=place).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


def visible_household(user, pk: int) -> Household:
    members = HouseholdMember.objects.filter(valid_to__isnull=True).select_related("person").order_by("-is_head", "id")
    household = (
        Household.objects.select_related("place").prefetch_related(Prefetch("members", queryset=members)).filter(pk=pk)
    ).first()
    if household is None or not access.can_see_path(user, VIEW_REGISTER, household.place_path):
        raise Http404("no such household")
    return household


def visible_person(user, pk: int) -> Person:
    person = Person.objects.select_related("household__place").prefetch_related("tags").filter(pk=pk).first()
    if person is None or not access.can_see_person(user, VIEW_REGISTER, person):
        raise Http404("no such person")
    return person

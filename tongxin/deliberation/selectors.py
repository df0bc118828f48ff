"""Every read of deliberation, scoped: staff through ``core.access``, residents through where
they live (their building, the areas covering it, their community)."""

from __future__ import annotations

from django.db.models import Q

from tongxin.core import access
from tongxin.core.models import GridCoverage, Place
from tongxin.core.pagination import newest_first_page
from tongxin.core.tree import lineage
from tongxin.deliberation import rules
from tongxin.deliberation.apps import MANAGE, VIEW
from tongxin.deliberation.models import Consultation, MajorMatter, PlaceRule

PAGE = 30


# --- where a resident may take part ------------------------------------------------------------
def home_path(user) -> str:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (person.home_path or "") if person else ""


def neighbourhood(path: str) -> list[int]:
    """Places whose consultations a resident living at ``path`` takes part in: the places above
    their home (building, compound, community) and the areas and grids covering any of them."""
    if not path:
        return []
    paths = lineage(path)
    above = list(Place.objects.filter(path__in=paths).values_list("pk", flat=True))
    covering = GridCoverage.objects.filter(place__path__in=paths, valid_to__isnull=True).values_list("grid_id",
                                                                                                  flat=True)
    return above + list(covering)


def resident_q(user) -> Q:
    return Q(place_id__in=neighbourhood(home_path(user))) if home_path(user) else Q(pk__in=[])


def can_manage(user, place_path: str) -> bool:
    return access.can_see_path(user, MANAGE, place_path)


def can_view(user, place_path: str) -> bool:
    return can_manage(user, place_path) or access.can_see_path(user, VIEW, place_path)


def can_take_part(user, consultation: Consultation) -> bool:
    """Staff of the place, or a resident living in its scope."""
    if not user.is_authenticated:
        return False
    if can_view(user, consultation.place_path):
        return True
    return consultation.place_id in neighbourhood(home_path(user))


# --- major matters ---------------------------------------------------------------------------
def matters(user, *, state: str = "", before: str = ""):
    """Major matters the user may see, newest first, one page (keyset)."""
    scope = access.path_filter(user, MANAGE, "place_path") | access.path_filter(user, VIEW, "place_path")
    queryset = MajorMatter.objects.filter(scope).select_related("place")
    if state in rules.MATTER_STATES:
        queryset = queryset.filter(state=state)
    return newest_first_page(queryset, before, PAGE)


def visible_matter(user, pk: int) -> MajorMatter | None:
    matter = MajorMatter.objects.filter(pk=pk).select_related("place").first()
    return matter if matter and can_view(user, matter.place_path) else None


def public_matter(token: str) -> MajorMatter | None:
    """A matter whose resolution is published (两公开): anyone holding the link may read it."""
    if not token or len(token) > 32:
        return None
    return (MajorMatter.objects.filter(token=token, state__in=(rules.PUBLISHED, rules.COMPLETED))
            .select_related("place").first())


def matter_places(user):
    """Communities and villages where the user may put a major matter."""
    kinds = tuple(rules.RESOLVING_BODIES)
    return Place.objects.filter(access.path_filter(user, MANAGE), kind__in=kinds).order_by("path")


def representatives_quorum(place) -> str:
    rule = PlaceRule.objects.filter(place=place).values_list("representatives_quorum", flat=True).first()
    return rule or rules.HALF


# --- consultations ---------------------------------------------------------------------------
def consultations(user, *, state: str = "", before: str = ""):
    """Consultations the user may see as staff, newest first, one page (keyset)."""
    scope = access.path_filter(user, MANAGE, "place_path") | access.path_filter(user, VIEW, "place_path")
    queryset = Consultation.objects.filter(scope).select_related("place", "demand")
    if state in rules.CONSULTATION_STATES:
        queryset = queryset.filter(state=state)
    return newest_first_page(queryset, before, PAGE)


def near_me(user, *, before: str = ""):
    """Consultations of the resident's building, areas and community (and those they raised)."""
    queryset = Consultation.objects.filter(resident_q(user) | Q(raised_by=user)).select_related("place")
    return newest_first_page(queryset, before, PAGE)


def visible_consultation(user, pk: int) -> Consultation | None:
    found = Consultation.objects.filter(pk=pk).select_related("place", "demand", "owners_vote").first()
    if found is None:
        return None
    if found.raised_by_id == user.pk or can_take_part(user, found):
        return found
    return None


def public_consultation(token: str) -> Consultation | None:
    """A decided consultation: its decision is on the notice board, the link is the capability."""
    if not token or len(token) > 32:
        return None
    return Consultation.objects.filter(token=token, state=rules.DECIDED).select_related("place", "owners_vote").first()


def consultation_places(place: Place) -> list[tuple[str, Place]]:
    """Where a resident at a door can raise a matter: its building, the areas covering it, its
    community (楼栋、片区、社区), as (level, place), lowest first."""
    paths = lineage(place.path)
    above = list(Place.objects.filter(path__in=paths).order_by("-depth"))
    covering = list(Place.objects.filter(
        pk__in=GridCoverage.objects.filter(place__path__in=paths, valid_to__isnull=True).values("grid_id"),
    ).order_by("path"))
    found = []
    for candidate in [*[p for p in above if p.kind == "building"], *covering,
                      *[p for p in above if p.kind in ("community", "village")]]:
        level = rules.consultation_level(candidate.kind)
        if level:
            found.append((level, candidate))
    return found

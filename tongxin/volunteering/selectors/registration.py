"""Who is registered where: the signed-in member's own enrolments, and what managers see.

Scope: a manager (``volunteering.manage``) sees the enrolments of the communities their roles
cover and of the people living in their places (a grid worker: their grid's residents); unit
registrations, posts and teams belong to a community and are seen by those covering it.
"""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Organisation, OrganisationKind, OrganisationMember, Place, PlaceKind
from tongxin.core.tree import lineage
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import Enrolment, JointProject, PostChoice, ServicePost, Status, UnitRegistration

COMMUNITY_KINDS = (PlaceKind.COMMUNITY, PlaceKind.VILLAGE)
#: Where a member can be said to live, from the door they scanned.
HOME_KINDS = (PlaceKind.BUILDING, PlaceKind.ENTRANCE, PlaceKind.VILLAGER_GROUP, PlaceKind.COURTYARD)
#: What a 片长 can lead: an area of the community.
AREA_KINDS = (PlaceKind.AREA, PlaceKind.GRID, PlaceKind.GRID_POINT, PlaceKind.COMPOUND, PlaceKind.VILLAGER_GROUP,
              PlaceKind.COURTYARD, PlaceKind.BUILDING)
UNIT_KINDS = (OrganisationKind.PARTY_BRANCH, OrganisationKind.PARTY_COMMITTEE)
#: Rows a manager's list shows at once (pending first); filters narrow it.
LIST_LIMIT = 200


def enrolments_of(user):
    """The user's approved enrolments (a member may serve in more than one community)."""
    if not user.is_authenticated or user.person_id is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person_id=user.person_id, status=Status.APPROVED).select_related("community")


def own_enrolments(user):
    """Every enrolment of the user, newest first, with what they chose (for their own page)."""
    if not user.is_authenticated or user.person_id is None:
        return Enrolment.objects.none()
    choices = PostChoice.objects.select_related("post").order_by("post__kind", "post__name")
    return (Enrolment.objects.filter(person_id=user.person_id)
            .select_related("community", "home", "unit", "leads")
            .prefetch_related(Prefetch("post_choices", queryset=choices))
            .order_by("-registered_at"))


def community_of(place: Place) -> Place | None:
    """The community or village a place lies in (itself, if it is one)."""
    return (Place.objects.filter(path__in=lineage(place.path), kind__in=COMMUNITY_KINDS)
            .order_by("-depth").first())


def unit_choices(community: Place):
    """Party organisations of work units registered with (and approved by) the community."""
    return (Organisation.objects.filter(
        kind__in=UNIT_KINDS, community_registrations__community=community,
        community_registrations__status=Status.APPROVED,
    ).distinct().order_by("name"))


# --- managers ------------------------------------------------------------------------------
def managed_communities(user):
    return Place.objects.filter(kind__in=COMMUNITY_KINDS).filter(access.path_filter(user, MANAGE)).order_by("path")


def can_manage_community(user, community: Place) -> bool:
    return access.can_see_path(user, MANAGE, community.path)


def enrolment_scope(user, permission: str = MANAGE) -> Q:
    """Enrolments of the communities in the user's places, and of the people living there
    (a grid worker sees the registrations of their grid's residents)."""
    return access.path_filter(user, permission, "community_path") | access.path_filter(user, permission, "home_path")


def can_decide(user, enrolment: Enrolment) -> bool:
    return (access.can_see_path(user, MANAGE, enrolment.community_path)
            or access.can_see_path(user, MANAGE, enrolment.home_path))


def manager_enrolments(user, *, status: str = "", kind: str = "", unit: str = ""):
    """The enrolments a manager may decide, pending first, then newest."""
    if not access.has_permission(user, MANAGE):
        return Enrolment.objects.none()
    rows = Enrolment.objects.filter(enrolment_scope(user))
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if unit == "none":
        rows = rows.filter(unit__isnull=True)
    elif unit.isdigit():
        rows = rows.filter(unit_id=int(unit))
    pending_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (rows.select_related("person", "community", "home", "unit", "leads")
            .order_by(pending_first, "-registered_at", "-pk"))


def visible_enrolment(user, pk: int) -> Enrolment | None:
    return Enrolment.objects.filter(enrolment_scope(user), pk=pk).select_related("person", "community").first()


def units_of_enrolments(user):
    """The units named in the enrolments a manager sees (for the list's filter)."""
    return Organisation.objects.filter(
        pk__in=Enrolment.objects.filter(enrolment_scope(user), unit__isnull=False).values("unit")
    ).order_by("name")


def areas_of(community: Place):
    """Places under a community a 片长 may lead."""
    return Place.objects.filter(path__gt=community.path, path__lt=community.path_end, kind__in=AREA_KINDS,
                                retired_on__isnull=True).order_by("path")


def unit_registrations(user):
    if not access.has_permission(user, MANAGE):
        return UnitRegistration.objects.none()
    pending_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (UnitRegistration.objects.filter(access.path_filter(user, MANAGE, "community_path"))
            .select_related("unit", "community").order_by(pending_first, "-registered_at"))


def visible_unit_registration(user, pk: int) -> UnitRegistration | None:
    return unit_registrations(user).filter(pk=pk).first()


def projects_of(registration: UnitRegistration):
    return JointProject.objects.filter(registration=registration).select_related("reviewed_by")


def unit_candidates(user):
    """Existing party organisations a manager may pick for a unit registration: those at their
    places, and those already registered with one of their communities (a unit elsewhere is
    named anew the first time)."""
    registered = UnitRegistration.objects.filter(access.path_filter(user, MANAGE, "community_path")).values("unit")
    return (Organisation.objects.filter(kind__in=UNIT_KINDS, ended_on__isnull=True)
            .filter(Q(pk__in=registered) | access.path_filter(user, MANAGE, "place__path"))
            .order_by("name"))


# --- posts and teams ---------------------------------------------------------------------
def posts_for(communities, *, open_only: bool = False):
    rows = ServicePost.objects.filter(community__in=communities).select_related("community")
    if open_only:
        rows = rows.filter(active=True)
    return rows.order_by("community__path", "kind", "name")


def managed_posts(user):
    return ServicePost.objects.filter(access.path_filter(user, MANAGE, "community_path")).select_related(
        "community").order_by("community_path", "kind", "name")


def _current_members():
    today = timezone.localdate()
    return OrganisationMember.objects.filter(valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today))


def teams_for(communities):
    today = timezone.localdate()
    return (Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_TEAM, place__in=communities)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .select_related("place").order_by("place__path", "name"))


def managed_teams(user):
    today = timezone.localdate()
    return (Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_TEAM)
            .filter(access.path_filter(user, MANAGE, "place__path"))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .select_related("place").order_by("place__path", "name"))


def team_member_counts(teams) -> dict[int, int]:
    from django.db.models import Count

    rows = _current_members().filter(organisation__in=teams).values("organisation").annotate(n=Count("id"))
    return {row["organisation"]: row["n"] for row in rows}


def teams_joined(person_id: int) -> set[int]:
    return set(_current_members().filter(person_id=person_id, organisation__kind=OrganisationKind.VOLUNTEER_TEAM)
               .values_list("organisation_id", flat=True))

"""Organisations a user may see: those based at a place inside the user's scope."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import (
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationPlace,
    OrganisationRelation,
)
from tongxin.core.pagination import keyset_page
from tongxin.organisations.apps import VIEW_ORGANISATIONS

PAGE_SIZE = 50


def visible(user, *, kind: str | None = None, include_ended: bool = False):
    queryset = Organisation.objects.filter(access.path_filter(user, VIEW_ORGANISATIONS, "place__path"))
    if kind in OrganisationKind.values:
        queryset = queryset.filter(kind=kind)
    if not include_ended:
        queryset = queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()))
    return queryset


def page(user, *, kind=None, include_ended=False, after: int | None = None, size: int = PAGE_SIZE):
    """One keyset page, with each organisation's place, parent and current member count."""
    queryset = (
        visible(user, kind=kind, include_ended=include_ended)
        .select_related("place", "parent")
        .annotate(member_count=Count("members", filter=Q(members__valid_to__isnull=True)))
        .order_by("id")
    )
    return keyset_page(queryset, after, size)


def detail(user, code: str):
    """One organisation in scope with its people, bodies and places (a 404 outside scope)."""
    organisation = visible(user, include_ended=True).select_related("place", "parent").filter(code=code).first()
    if organisation is None:
        raise Http404("no such organisation")
    today = timezone.localdate()
    current = Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    return {
        "organisation": organisation,
        "children": list(visible(user).filter(parent=organisation).order_by("name")),
        "members": list(
            OrganisationMember.objects.filter(current, organisation=organisation)
            .select_related("person").order_by("position", "person__name")[:200]
        ),
        "relations": list(
            OrganisationRelation.objects.filter(current, subject=organisation).select_related("object")
        ),
        "inverse_relations": list(
            OrganisationRelation.objects.filter(current, object=organisation).select_related("subject")
        ),
        "places": list(OrganisationPlace.objects.filter(current, organisation=organisation).select_related("place")),
    }

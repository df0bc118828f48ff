"""The tree browser, household and person pages. Thin: selectors read, access decides."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, privacy
from tongxin.core.places import full_names
from tongxin.core.roles import VIEW_PERSONAL, VIEW_REGISTER, VIEW_TREE
from tongxin.core.selectors import children, counts_for, covered_places
from tongxin.core.tags import TAG_BY_CODE, TAGS
from tongxin.registers import rentals, selectors
from tongxin.registers.named_people import gaps_under
from tongxin.registers.services import can_manage, can_redraw


def _tag_rows(counts) -> list[tuple[object, int]]:
    return [(tag.label, counts.tags.get(tag.code, 0)) for tag in TAGS]


@login_required
def place_index(request):
    query = request.GET.get("q", "")[:50]
    if query.strip():
        results = selectors.search_places(request.user, query)
        return render(request, "registers/place_index.html", {"query": query, "results": results, "searched": True})
    roots = list(access.root_places(request.user, VIEW_TREE).order_by("path")[:100])
    if len(roots) == 1 and "all" not in request.GET:
        return HttpResponseRedirect(reverse("place-detail", args=[roots[0].code]))
    counts = counts_for(roots)
    return render(request, "registers/place_index.html", {"rows": [(place, counts[place.pk]) for place in roots]})


def _parse_after(request) -> int | None:
    raw = request.GET.get("after", "")
    return int(raw) if raw.isdigit() else None


@login_required
def place_detail(request, code):
    user = request.user
    place = selectors.visible_place(user, code)
    kids = children(place, user, VIEW_TREE)
    covered = covered_places(place) if place.is_responsibility_area else []
    counts = counts_for([place, *kids, *covered])
    households, next_after = ([], None)
    if place.holds_households:
        households, next_after = selectors.households_page(user, place)
    here = counts[place.pk]
    chart = {"labels": [str(label) for label, _v in _tag_rows(here)], "values": [v for _l, v in _tag_rows(here)]}
    return render(
        request,
        "registers/place_detail.html",
        {
            "place": place,
            "breadcrumb": selectors.breadcrumb(user, place),
            "counts": here,
            "tag_rows": _tag_rows(here),
            "chart": chart,
            "children": [(kid, counts[kid.pk]) for kid in kids],
            "covered": [(p, counts[p.pk], access.can_see_path(user, VIEW_TREE, p.path)) for p in covered],
            "households": households,
            "next_after": next_after,
            "holders": list(selectors.role_holders(place)),
            "organisations": list(selectors.organisations_at(place)),
            "can_see_register": access.can_see_path(user, VIEW_REGISTER, place.path),
            "can_manage": can_manage(user, place.path),
            "can_redraw": can_redraw(user, place),
            "coverage_history": list(
                place.coverage.filter(valid_to__isnull=False).select_related("place").order_by("-valid_to")[:20]
            ) if place.is_responsibility_area else [],
        },
    )


@login_required
def place_households(request, code):
    """The next keyset page of a place's households (htmx "load more")."""
    place = selectors.visible_place(request.user, code)
    households, next_after = selectors.households_page(request.user, place, after=_parse_after(request))
    return render(
        request, "registers/_household_rows.html", {"place": place, "households": households, "next_after": next_after}
    )


@login_required
def household_detail(request, pk):
    household = selectors.visible_household(request.user, pk)
    return render(
        request,
        "registers/household_detail.html",
        {
            "household": household,
            "place": household.place,
            "breadcrumb": selectors.breadcrumb(request.user, household.place),
            "members": list(household.members.all()),
            "moves": list(household.moves.select_related("from_place", "to_place")[:20]),
            "can_manage": can_manage(request.user, household.place_path),
        },
    )


def _person_context(request, person, revealed=None):
    can_reveal = access.can_see_path(request.user, VIEW_PERSONAL, person.home_path)
    tags = []
    for person_tag in person.tags.all():
        tag = TAG_BY_CODE.get(person_tag.tag)
        if tag and (not tag.sensitive or can_reveal):
            tags.append(tag.label)
    hidden_tags = len(person.tags.all()) - len(tags)
    return {
        "person": person,
        "tags": tags,
        "hidden_tags": hidden_tags,
        "can_reveal": can_reveal,
        "revealed": revealed,
        "masked_id": privacy.mask_id_number(privacy.id_number_of(person)),
        "masked_phone": privacy.mask_phone(person.phone),
        "can_manage": can_manage(request.user, person.home_path),
    }


@login_required
def person_detail(request, pk):
    person = selectors.visible_person(request.user, pk)
    return render(request, "registers/person_detail.html", _person_context(request, person))


@login_required
@require_POST
def person_reveal(request, pk):
    """Show a person's phone and ID number unmasked, once, and log who saw them."""
    person = selectors.visible_person(request.user, pk)
    try:
        revealed = privacy.reveal(request.user, person, context=f"person page {request.path}")
    except PermissionDenied:
        raise Http404("no such person") from None
    return render(request, "registers/person_detail.html", _person_context(request, person, revealed))


@login_required
def named_people(request, code):
    """Which buildings, villages and grids under a place lack their named people."""
    place = selectors.visible_place(request.user, code)
    gaps = gaps_under(place)
    names = full_names([gap.place for gap in (*gaps.buildings, *gaps.villages, *gaps.grids)])
    return render(
        request,
        "registers/named_people.html",
        {
            "place": place, "gaps": gaps, "names": names,
            "breadcrumb": selectors.breadcrumb(request.user, place),
            "sections": [
                (_("Buildings"), gaps.buildings, gaps.buildings_total),
                (_("Villages"), gaps.villages, gaps.villages_total),
                (_("Grids"), gaps.grids, gaps.grids_total),
            ],
        },
    )


@login_required
def rental_register(request, code):
    place = selectors.visible_place(request.user, code)
    rows, next_after = rentals.page(request.user, place, after=_parse_after(request))
    template = "registers/_rental_rows.html" if request.headers.get("HX-Request") else "registers/rentals.html"
    return render(
        request, template,
        {
            "place": place, "rows": rows, "next_after": next_after,
            "breadcrumb": selectors.breadcrumb(request.user, place),
            "can_see_register": access.can_see_path(request.user, VIEW_REGISTER, place.path),
        },
    )

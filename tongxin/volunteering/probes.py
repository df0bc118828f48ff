"""The scope walker's requests for volunteering's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe  # noqa: F401


def probes(world) -> list:
    return [*_registration(world), *_claims(world), *_activities(world), *_links(world)]


# --- registration ------------------------------------------------------------------------
def _registration(world) -> list:
    return []


# --- claims ------------------------------------------------------------------------------
def _claims(world) -> list:
    return []


# --- activities and the ledger -----------------------------------------------------------
def _activities(world) -> list:
    return []


# --- the three links ---------------------------------------------------------------------
def _links(world) -> list:
    """A member living in grid B, linked to a grid B household; grid A's roles must neither
    see them nor link, unlink or look at grid B's buildings."""
    import datetime

    from tongxin.core.models import Household, Person
    from tongxin.volunteering.models import Enrolment, HouseholdLink, Status

    b2, community = world.places["b2"], world.places["community"]
    person = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end).order_by("-id").first()
    enrolment = Enrolment.objects.filter(person=person, community=community, status__in=("pending", "approved")).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            person=person, kind="party_member", community=community, community_path=community.path,
            home=person.household.place, home_path=person.home_path, status=Status.APPROVED,
        )
    households = list(Household.objects.filter(place_path__gte=b2.path, place_path__lt=b2.path_end).order_by("id"))
    link = HouseholdLink.objects.create(household=households[0], enrolment=enrolment,
                                        place_path=households[0].place_path, valid_from=datetime.date(2026, 1, 5))
    block = {"block": b2.code, "enrolment": enrolment.pk, "back": b2.code}
    return [
        Probe("volunteering-coverage"),
        Probe("volunteering-coverage", query=f"place={b2.code}"),
        Probe("volunteering-coverage", query=f"place={community.code}"),
        Probe("volunteering-coverage", query=f"place={world.places['grid_b'].code}"),
        Probe("volunteering-coverage-link", method="post",
              data={**block, "households": [households[1].pk], "form_key": "walk-link-1"}),
        Probe("volunteering-coverage-link", method="post", data={**block, "all": "1", "form_key": "walk-link-2"}),
        Probe("volunteering-coverage-unlink", {"pk": link.pk}, method="post", data={"back": b2.code}),
    ]

"""Test helpers: the bodies of ``two_grids``' compound and a meeting held there."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core.models import Organisation, OrganisationMember, OrganisationPlace

SINCE = datetime.date(2020, 1, 1)


def bodies(world) -> dict[str, Organisation]:
    """A property company and an owners' committee managing the compound; the committee's
    chair is building 1's chief (who has a login), the company's manager grid B's worker."""
    compound = world.places["compound"]
    found = {}
    for code, kind, member in (("t-property", "property_company", "worker_b"),
                               ("t-owners", "owners_committee", "chief_b1")):
        body = Organisation.objects.create(code=code, name=f"测试{kind}", kind=kind, place=compound,
                                           started_on=SINCE)
        OrganisationPlace.objects.create(organisation=body, place=compound, relation="manages", valid_from=SINCE)
        OrganisationMember.objects.create(organisation=body, person=world.people[member], valid_from=SINCE)
        found[kind] = body
    return found


def held_meeting(world, *, place_key: str = "compound", hours_ago: int = 1, title: str = "三方联席会议"):
    """A one-off meeting an hour ago, by the community's staff, with both bodies taking part."""
    from tongxin.meetings.services import meetings

    organisations = bodies(world) if not Organisation.objects.filter(code="t-owners").exists() else {
        o.kind: o for o in Organisation.objects.filter(code__in=("t-property", "t-owners"))}
    return meetings.create_meeting(
        world.users["staff"], title=title, kind="three_party", place=world.places[place_key],
        starts_at=timezone.now() - datetime.timedelta(hours=hours_ago), location="社区会议室",
        organisations=list(organisations.values()))

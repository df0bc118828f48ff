"""The rental register (出租房屋台账; seed 004's 流动人口落脚点管理).

Rented homes with their landlord (an owner who does not live there), their current
tenants with move-in dates and their former tenants with move-out dates, so that the
floating population is known by building. Read from the household memberships, whose
validity dates are the move-in and move-out; scoped by ``core.view_register`` (the police
liaison of a building has it there).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from tongxin.core import access
from tongxin.core.models import Household, HouseholdMember, MemberRelation, Place, Tenure
from tongxin.core.pagination import keyset_page
from tongxin.core.places import full_names
from tongxin.core.roles import VIEW_REGISTER
from tongxin.registers.selectors import households_under

PAGE_SIZE = 50
FLOATING = "floating_population"


@dataclass
class Rental:
    household: Household
    address: str
    landlords: list[HouseholdMember] = field(default_factory=list)
    tenants: list[tuple[HouseholdMember, bool]] = field(default_factory=list)  # (member, floating population)
    former: list[HouseholdMember] = field(default_factory=list)


def page(user, place: Place, *, after: int | None = None, size: int = PAGE_SIZE) -> tuple[list[Rental], int | None]:
    """One keyset page of the rented homes under ``place`` that the user may see."""
    if not access.can_see_path(user, VIEW_REGISTER, place.path):
        return [], None
    members = HouseholdMember.objects.select_related("person").prefetch_related("person__tags").order_by("valid_from")
    queryset = (
        households_under(user, place).filter(tenure=Tenure.RENTED)
        .select_related("place")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("id")
    )
    households, next_after = keyset_page(queryset, after, size)
    names = full_names([h.place for h in households])
    rentals = []
    for household in households:
        rental = Rental(household, f"{names[household.place_id]} {household.unit_number}")
        for member in household.members.all():
            if member.relation == MemberRelation.OWNER and not member.lives_here and member.valid_to is None:
                rental.landlords.append(member)
            elif member.relation == MemberRelation.TENANT and member.valid_to is None:
                rental.tenants.append((member, any(t.tag == FLOATING for t in member.person.tags.all())))
            elif member.relation == MemberRelation.TENANT:
                rental.former.append(member)
        rentals.append(rental)
    return rentals, next_after


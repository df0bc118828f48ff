"""The three links' writes (三联系): link a member to households, end a link.

A household may have more than one linked member; the same member linked twice to the same
household while the first link is live is refused by the database
(``householdlink_current_unique``), turned into a clear message. Ending a link sets its
``valid_to``: the history stays.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.volunteering.models import Enrolment, HouseholdLink, Status
from tongxin.volunteering.selectors import links as selectors

#: "Link to every household with nobody" gives one member at most this many live links in all
#: (seed 003: 167 party members for 1,775 households, about ten each; a dozen at most).
#: Households chosen one by one are not capped: staff decide.
LINK_ALL_UP_TO = 12


def _check_member(enrolment: Enrolment) -> None:
    if enrolment.status != Status.APPROVED:
        raise RefusedError("member_not_approved", "该成员尚未通过审核，不能结对联系户",
                           "This member is not approved yet and cannot be linked to households")


def _check_household(user, enrolment: Enrolment, household: Household) -> None:
    if not selectors.can_manage_path(user, household.place_path):
        raise PermissionDenied
    if household.closed_on is not None:
        raise RefusedError("household_closed", f"{household.unit_number} 已注销，不能结对",
                           f"{household.unit_number} is closed and cannot be linked")
    if not household.place_path.startswith(enrolment.community_path):
        raise RefusedError("household_other_community", "只能联系本人报到社区的住户",
                           "A member can only be linked to households of the community they registered with")


@transaction.atomic
def link(user, enrolment: Enrolment, households: list[Household]) -> int:
    """Link ``enrolment``'s member to each of ``households`` (all or none)."""
    _check_member(enrolment)
    if not households:
        raise RefusedError("households_missing", "请勾选要联系的住户", "Tick the households to link")
    today = timezone.localdate()
    for household in households:
        _check_household(user, enrolment, household)
        try:
            with transaction.atomic():
                HouseholdLink.objects.create(household=household, enrolment=enrolment,
                                             place_path=household.place_path, valid_from=today, linked_by=user)
        except IntegrityError:
            raise RefusedError(
                "already_linked",
                f"{enrolment.person.name} 已在联系 {household.place.name}{household.unit_number}，无需重复结对",
                f"{enrolment.person.name} is already linked to {household.place.name} {household.unit_number}",
            ) from None
    return len(households)


@transaction.atomic
def link_all(user, enrolment: Enrolment, block: Place) -> int:
    """Link the member to the households with nobody in ``block``, in unit order, until the
    member has :data:`LINK_ALL_UP_TO` live links."""
    _check_member(enrolment)
    if not selectors.can_manage_path(user, block.path):
        raise PermissionDenied
    current = HouseholdLink.objects.filter(enrolment=enrolment, valid_to__isnull=True).count()
    room = LINK_ALL_UP_TO - current
    if room <= 0:
        raise RefusedError(
            "member_full", f"{enrolment.person.name} 已联系 {current} 户，请逐户勾选或另选成员",
            f"{enrolment.person.name} already has {current} households; tick households one by one or choose "
            "another member",
        )
    nobody = (
        Household.objects.filter(place_path__gte=block.path, place_path__lt=block.path_end, closed_on__isnull=True)
        .exclude(Exists(selectors.live_links().filter(household_id=OuterRef("pk"))))
        .select_related("place").order_by("place_path", "unit_number", "id")[:room]
    )
    households = list(nobody)
    if not households:
        raise RefusedError("block_covered", "这栋楼的住户都已有人联系", "Every household of this building is linked")
    return link(user, enrolment, households)


@transaction.atomic
def unlink(user, link_row: HouseholdLink) -> HouseholdLink:
    """End a live link today; the row stays as history."""
    locked = HouseholdLink.objects.select_for_update().get(pk=link_row.pk)
    if not selectors.can_manage_path(user, locked.place_path):
        raise PermissionDenied
    if locked.valid_to is not None:
        raise RefusedError("link_ended", "这条结对已经结束", "This link has already ended")
    locked.valid_to = timezone.localdate()
    locked.save(update_fields=["valid_to"])
    return locked

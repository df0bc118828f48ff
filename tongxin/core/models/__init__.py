from tongxin.core.models.accounts import LoginFailure, PersonalDataRead, User
from tongxin.core.models.calendar import CalendarDay, DayKind
from tongxin.core.models.consent import Consent
from tongxin.core.models.counts import PlaceCount
from tongxin.core.models.notices import (
    Channel,
    DeliveryMode,
    InboxItem,
    NoticePreference,
    OutboxMessage,
    OutboxStatus,
    PlaceNotice,
    RecurringRun,
    WebhookAttempt,
    WebhookSubscriber,
)
from tongxin.core.models.organisations import (
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationPlace,
    OrganisationRelation,
    OrganisationRelationKind,
    PlaceRelation,
    Position,
)
from tongxin.core.models.people import (
    Gender,
    Household,
    HouseholdMember,
    HouseholdMove,
    MemberRelation,
    Person,
    PersonTag,
    Tenure,
)
from tongxin.core.models.places import HOUSEHOLD_KINDS, RESPONSIBILITY_KINDS, GridCoverage, Place, PlaceKind
from tongxin.core.models.roles import RoleAssignment
from tongxin.core.models.system import DemoRun, SubmittedForm

__all__ = [
    "CalendarDay", "DayKind",
    "Channel", "Consent", "DeliveryMode", "InboxItem", "NoticePreference", "OutboxMessage", "OutboxStatus",
    "PlaceNotice", "RecurringRun", "WebhookAttempt", "WebhookSubscriber",
    "HOUSEHOLD_KINDS", "RESPONSIBILITY_KINDS", "Gender", "GridCoverage", "Household",
    "DemoRun", "HouseholdMember", "HouseholdMove", "LoginFailure", "MemberRelation", "Organisation", "OrganisationKind",
    "OrganisationMember", "OrganisationPlace", "OrganisationRelation", "OrganisationRelationKind", "Person",
    "PersonTag", "PersonalDataRead", "Place", "PlaceCount", "PlaceKind", "PlaceRelation", "Position", "RoleAssignment",
    "SubmittedForm", "Tenure", "User",
]

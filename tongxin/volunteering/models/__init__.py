"""Volunteering's tables, one module per part (``docs/volunteering.md``)."""

from tongxin.volunteering.models.activities import Activity, Attendance, Recurrence, Session, SignUp, SignUpState
from tongxin.volunteering.models.claims import Claim, ClaimPhoto, ClaimState, Task, TaskKind, TaskState
from tongxin.volunteering.models.ledger import PublishedRanking, ServiceRecord, ServiceSource
from tongxin.volunteering.models.links import HouseholdLink
from tongxin.volunteering.models.registration import (
    Enrolment,
    EnrolmentKind,
    JointProject,
    PostChoice,
    PostKind,
    ServicePost,
    Status,
    TeamSpecialty,
    UnitRegistration,
)

__all__ = [
    "Activity", "Attendance", "Claim", "ClaimPhoto", "ClaimState", "Enrolment", "EnrolmentKind", "HouseholdLink",
    "JointProject", "PostChoice", "PostKind", "PublishedRanking", "Recurrence", "ServicePost", "ServiceRecord",
    "ServiceSource", "Session", "SignUp", "SignUpState", "Status", "Task", "TaskKind", "TaskState",
    "TeamSpecialty", "UnitRegistration",
]

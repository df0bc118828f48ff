"""Registration's writes: members and volunteers registering at a door, the community deciding,
work units registering and their joint projects, service posts, teams and 片长. One
transaction each; refusals are :class:`RefusedError` with messages in both languages."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tongxin.core import access, once, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import (
    GridCoverage,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationRelation,
    Place,
    User,
)
from tongxin.core.registry import role_permissions
from tongxin.core.services.people import create_person
from tongxin.core.services.roles import create_login
from tongxin.core.tree import is_within, lineage
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import (
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
from tongxin.volunteering.models.registration import LIVE
from tongxin.volunteering.selectors import registration as selectors

UNIT_SUBTYPE = "单位党组织"
ALREADY_ENROLLED = RefusedError(
    "already_enrolled", "您在这个社区已有待审核或已通过的报到，无需重复提交",
    "You already have a pending or approved registration in this community",
)


def _today() -> datetime.date:
    return timezone.localdate()


def managers_of(path: str) -> list[User]:
    """Users whose roles grant ``volunteering.manage`` over ``path``: at it or above, or at a
    grid covering it."""
    roles = [role for role, perms in role_permissions().items() if MANAGE in perms]
    above = lineage(path)
    grids = GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True).values("grid")
    assignments = access.current_assignments().filter(role__in=roles).filter(
        Q(place__path__in=above) | Q(place__in=grids))
    return list(User.objects.filter(person__roles__in=assignments, is_active=True).distinct())


# --- a member registers at a door ------------------------------------------------------------
@transaction.atomic
def register(door: Place, *, kind: str, key: str, user=None, name: str = "", phone: str = "", password: str = "",
             unit: Organisation | None = None, unit_other: str = "", skills: str = "") -> tuple[Enrolment, User]:
    """A person registers with the community of the door they scanned. Signed in: as their own
    person; otherwise a new person and login (a phone that has a login must sign in first: an
    anonymous form never takes over an existing account or person). Returns the pending
    enrolment and the login to sign in."""
    once.claim(key, user)
    community = selectors.community_of(door)
    if community is None:
        raise RefusedError("no_community", "这个二维码不属于任何社区", "This code does not belong to a community")
    if kind not in EnrolmentKind.values:
        raise RefusedError("kind_unknown", "请选择报到类型", "Please choose what you register as")
    if unit is not None and not selectors.unit_choices(community).filter(pk=unit.pk).exists():
        raise RefusedError("unit_unknown", "所选单位党组织未在本社区报到",
                           "That unit has not registered with this community")
    if user is not None and user.is_authenticated:
        login = user
        person = user.person
        if person is None:
            person = create_person(name=name or user.name or user.phone, phone=user.phone)
            User.objects.filter(pk=user.pk).update(person=person)
            user.person = person
    else:
        if User.objects.filter(phone=phone).exists():
            raise RefusedError("phone_has_login", "这个手机号已有账号，请先登录再报到",
                               "This phone number already has an account; please sign in first")
        person = create_person(name=name, phone=phone)
        try:
            with transaction.atomic():
                login = create_login(person, phone=phone, password=password)
        except IntegrityError:
            raise RefusedError("phone_has_login", "这个手机号已有账号，请先登录再报到",
                               "This phone number already has an account; please sign in first") from None
    home = door if door.kind in selectors.HOME_KINDS else None
    note = f"单位党组织（未列出）：{unit_other.strip()}"[:200] if unit is None and unit_other.strip() else ""
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                person=person, user=login, kind=kind, community=community, community_path=community.path,
                home=home, home_path=home.path if home else "", unit=unit, skills=skills.strip()[:200], note=note,
            )
    except IntegrityError:
        raise ALREADY_ENROLLED from None
    outbox.notify(
        "volunteer_registered", f"enrolment:{enrolment.pk}:registered",
        users=managers_of(enrolment.home_path or community.path), place=community, webhooks=False,
        subject=f"新的报到：{person.name}（{enrolment.get_kind_display()}）· {community.name}",
        url=reverse("volunteering-enrolments") + "?status=pending",
    )
    return enrolment, login


# --- the community decides -------------------------------------------------------------------
def _locked(user, pk: int) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().filter(pk=pk).first()
    if enrolment is None or not selectors.can_decide(user, enrolment):
        raise PermissionDenied("not a registration you may decide")
    return enrolment


def join_organisation(person_id: int, organisation: Organisation) -> bool:
    """Make the person a current member of the organisation unless they are; True if added."""
    today = _today()
    current = OrganisationMember.objects.filter(organisation=organisation, person_id=person_id,
                                                valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today))
    if current.exists():
        return False
    try:
        with transaction.atomic():
            OrganisationMember.objects.create(organisation=organisation, person_id=person_id, valid_from=today)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def decide(user, pk: int, *, approve: bool, reason: str = "") -> Enrolment:
    enrolment = _locked(user, pk)
    if enrolment.status != Status.PENDING:
        raise RefusedError("already_decided", "这份报到已经处理过了", "This registration was already decided")
    reason = reason.strip()
    if not approve and not reason:
        raise RefusedError("reason_missing", "不予通过时请写明理由", "Please give the reason for refusing")
    enrolment.status = Status.APPROVED if approve else Status.REFUSED
    enrolment.decided_at = timezone.now()
    enrolment.decided_by = user
    if reason:
        enrolment.note = (f"{enrolment.note}；{reason}" if enrolment.note else reason)[:200]
    enrolment.save(update_fields=["status", "decided_at", "decided_by", "note"])
    if approve and enrolment.kind == EnrolmentKind.PARTY_MEMBER and enrolment.unit_id:
        join_organisation(enrolment.person_id, enrolment.unit)  # 双报到: in both lists
    community = enrolment.community
    if approve:
        subject = f"您在{community.name}的报到已通过"
    else:
        subject = f"您在{community.name}的报到未通过：{reason}"
    outbox.notify("volunteer_approved", f"enrolment:{enrolment.pk}:decided", users=[enrolment.user],
                  subject=subject[:200], body=reason, url=reverse("volunteering-me"), place=community, webhooks=False)
    return enrolment


@transaction.atomic
def end(user, pk: int) -> Enrolment:
    enrolment = _locked(user, pk)
    if enrolment.status in LIVE:
        enrolment.status = Status.ENDED
        enrolment.save(update_fields=["status"])
    return enrolment


@transaction.atomic
def set_leads(user, pk: int, area: Place | None) -> Enrolment:
    """Make an approved member 片长 of an area under their community (None: no longer)."""
    enrolment = _locked(user, pk)
    if enrolment.status != Status.APPROVED:
        raise RefusedError("not_approved", "只有已通过审核的成员才能担任片长",
                           "Only an approved member can lead an area")
    if area is not None and (area.path == enrolment.community_path
                             or not is_within(area.path, enrolment.community_path)):
        raise RefusedError("area_outside", "片区须在该社区之内", "The area must lie in the member's community")
    enrolment.leads = area
    enrolment.save(update_fields=["leads"])
    return enrolment


# --- work units --------------------------------------------------------------------------------
def _require_community(user, community: Place) -> None:
    if community.kind not in selectors.COMMUNITY_KINDS or not selectors.can_manage_community(user, community):
        raise PermissionDenied("not a community you manage")


def _new_code(prefix: str, name: str) -> str:
    base = slugify(name) or "org"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"{prefix}-{base}"[:40] + f"-{stamp}"


@transaction.atomic
def register_unit(user, community: Place, *, unit: Organisation | None = None, new_name: str = "",
                  contact_name: str = "", contact_phone: str = "", note: str = "") -> UnitRegistration:
    """Record a work unit's party organisation registering with a community (pending)."""
    _require_community(user, community)
    if unit is None:
        new_name = new_name.strip()
        if not new_name:
            raise RefusedError("unit_missing", "请选择或填写单位党组织", "Choose or name the unit's party organisation")
        unit = Organisation.objects.create(
            code=_new_code("unit", new_name), name=new_name[:120], kind=OrganisationKind.PARTY_BRANCH,
            subtype=UNIT_SUBTYPE, started_on=_today(),
        )
    elif unit.kind not in selectors.UNIT_KINDS:
        raise RefusedError("unit_kind", "请选择党支部或党委", "Choose a party branch or committee")
    try:
        with transaction.atomic():
            return UnitRegistration.objects.create(
                unit=unit, community=community, community_path=community.path, contact_name=contact_name.strip(),
                contact_phone=contact_phone, note=note.strip()[:200],
            )
    except IntegrityError:
        raise RefusedError("unit_registered", "该单位党组织已在本社区报到",
                           "This unit has already registered here") from None


def community_party(community: Place) -> Organisation | None:
    """The community's own party organisation: a committee (else a branch) at the community."""
    today = _today()
    rows = Organisation.objects.filter(place=community, kind__in=selectors.UNIT_KINDS).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    return (rows.filter(kind=OrganisationKind.PARTY_COMMITTEE).order_by("pk").first()
            or rows.order_by("pk").first())


def _locked_unit(user, pk: int) -> UnitRegistration:
    registration = UnitRegistration.objects.select_for_update().filter(pk=pk).select_related("community").first()
    if registration is None or not selectors.can_manage_community(user, registration.community):
        raise PermissionDenied("not a registration you may decide")
    return registration


@transaction.atomic
def decide_unit(user, pk: int, *, approve: bool, reason: str = "") -> UnitRegistration:
    """Approve (and pair the unit branch with the community's party organisation, 三联系) or refuse."""
    registration = _locked_unit(user, pk)
    if registration.status != Status.PENDING:
        raise RefusedError("already_decided", "这份报到已经处理过了", "This registration was already decided")
    registration.status = Status.APPROVED if approve else Status.REFUSED
    registration.decided_at = timezone.now()
    registration.decided_by = user
    if reason.strip():
        registration.note = reason.strip()[:200]
    registration.save(update_fields=["status", "decided_at", "decided_by", "note"])
    if approve:
        pair(registration)
    return registration


def pair(registration: UnitRegistration) -> OrganisationRelation | None:
    """The unit branch paired with the community's party organisation, if it has one and they
    are not paired already (either way round)."""
    party = community_party(registration.community)
    if party is None or party.pk == registration.unit_id:
        return None
    existing = OrganisationRelation.objects.filter(kind="paired", valid_to__isnull=True).filter(
        Q(subject=registration.unit, object=party) | Q(subject=party, object=registration.unit)).first()
    if existing is not None:
        return existing
    return OrganisationRelation.objects.create(subject=registration.unit, object=party, kind="paired",
                                               valid_from=_today())


@transaction.atomic
def end_unit(user, pk: int) -> UnitRegistration:
    registration = _locked_unit(user, pk)
    if registration.status in LIVE:
        registration.status = Status.ENDED
        registration.save(update_fields=["status"])
        OrganisationRelation.objects.filter(subject=registration.unit, kind="paired", valid_to__isnull=True,
                                            object__place=registration.community).update(valid_to=_today())
    return registration


@transaction.atomic
def add_project(user, pk: int, *, title: str, goals: str, year: int, signed_on: datetime.date) -> JointProject:
    registration = _locked_unit(user, pk)
    if registration.status != Status.APPROVED:
        raise RefusedError("unit_not_approved", "单位报到通过后才能签订共建项目",
                           "Joint projects are signed once the unit's registration is approved")
    return JointProject.objects.create(registration=registration, title=title.strip(), goals=goals.strip(),
                                       year=year, signed_on=signed_on)


@transaction.atomic
def review_project(user, project_pk: int, *, review: str, goals_met: bool) -> JointProject:
    project = JointProject.objects.select_for_update().filter(pk=project_pk).select_related(
        "registration__community").first()
    if project is None or not selectors.can_manage_community(user, project.registration.community):
        raise PermissionDenied("not a project you may review")
    if not review.strip():
        raise RefusedError("review_missing", "请填写年终评议", "Please write the year-end review")
    project.review = review.strip()
    project.goals_met = goals_met
    project.reviewed_at = timezone.now()
    project.reviewed_by = user
    project.save(update_fields=["review", "goals_met", "reviewed_at", "reviewed_by"])
    return project


# --- posts and teams -------------------------------------------------------------------------
@transaction.atomic
def create_post(user, community: Place, *, kind: str, name: str, description: str = "",
                places_needed: int | None = None) -> ServicePost:
    _require_community(user, community)
    if kind not in PostKind.values:
        raise RefusedError("post_kind", "请选择岗位类别", "Please choose the kind of post")
    return ServicePost.objects.create(community=community, community_path=community.path, kind=kind,
                                      name=name.strip(), description=description.strip(), places_needed=places_needed)


@transaction.atomic
def set_post_open(user, pk: int, is_open: bool) -> ServicePost:
    post = ServicePost.objects.select_for_update().filter(pk=pk).select_related("community").first()
    if post is None or not selectors.can_manage_community(user, post.community):
        raise PermissionDenied("not a post you manage")
    post.active = is_open
    post.save(update_fields=["active"])
    return post


def _own_enrolment(user, enrolment_pk: int) -> Enrolment:
    enrolment = selectors.enrolments_of(user).filter(pk=enrolment_pk).first()
    if enrolment is None:
        raise PermissionDenied("not your approved registration")
    return enrolment


@transaction.atomic
def choose_post(user, enrolment_pk: int, post_pk: int) -> PostChoice:
    enrolment = _own_enrolment(user, enrolment_pk)
    post = ServicePost.objects.filter(pk=post_pk, community_id=enrolment.community_id, active=True).first()
    if post is None:
        raise RefusedError("post_closed", "这个岗位已关闭", "This post is closed")
    choice, _created = PostChoice.objects.get_or_create(enrolment=enrolment, post=post)
    return choice


@transaction.atomic
def drop_post(user, enrolment_pk: int, post_pk: int) -> None:
    enrolment = _own_enrolment(user, enrolment_pk)
    PostChoice.objects.filter(enrolment=enrolment, post_id=post_pk).delete()


@transaction.atomic
def create_team(user, community: Place, *, name: str, specialty: str) -> Organisation:
    _require_community(user, community)
    if specialty not in TeamSpecialty.values:
        raise RefusedError("team_specialty", "请选择服务队的专长", "Please choose the team's specialty")
    name = name.strip()
    if not name:
        raise RefusedError("team_name", "请填写服务队名称", "Please name the team")
    return Organisation.objects.create(code=_new_code("team", name), name=name[:120],
                                       kind=OrganisationKind.VOLUNTEER_TEAM, subtype=specialty, place=community,
                                       started_on=_today())


def _team_for(enrolment: Enrolment, team_pk: int) -> Organisation:
    team = selectors.teams_for([enrolment.community_id]).filter(pk=team_pk).first()
    if team is None:
        raise RefusedError("team_unknown", "没有这个服务队", "No such team in your community")
    return team


@transaction.atomic
def join_team(user, enrolment_pk: int, team_pk: int) -> None:
    enrolment = _own_enrolment(user, enrolment_pk)
    join_organisation(enrolment.person_id, _team_for(enrolment, team_pk))


@transaction.atomic
def leave_team(user, enrolment_pk: int, team_pk: int) -> None:
    enrolment = _own_enrolment(user, enrolment_pk)
    team = _team_for(enrolment, team_pk)
    OrganisationMember.objects.filter(organisation=team, person_id=enrolment.person_id,
                                      valid_to__isnull=True).update(valid_to=_today())

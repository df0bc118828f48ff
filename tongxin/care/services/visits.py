"""Visits (走访): the schedule, recording a visit from a phone, overdue notices. One transaction per write.

- **Schedule**: :func:`reschedule` sets ``CareSubject.next_visit_due`` from the subject's
  categories (person tags), risk and override (``care.visit_rules``); the register part calls
  it when a subject is created or changed, :func:`record` after every visit.
- **Recording**: a subject's current paired helpers and holders of ``care.manage`` at the
  subject's home record visits. A micro-wish raised on the spot becomes a claimable wish
  (``volunteering``); a problem becomes a demand at the subject's home (source ``visit``).
  The form's key makes a double submit record one visit: the second gets the first back.
- **Overdue**: :func:`notify_overdue` (a daily ``Recurring`` job) tells the grid worker(s)
  of the subject's grid once per overdue episode (``overdue_notified_on``), then the
  community's staff when it is still overdue ``visit_rules.ESCALATE_AFTER_DAYS`` later.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from tongxin.care import visit_rules
from tongxin.care.apps import MANAGE
from tongxin.care.models import CareSubject, Pairing, Visit, VisitKind, VisitPhoto
from tongxin.core import access, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, User
from tongxin.core.tree import lineage
from tongxin.core.validators import normalise_phone

MAX_PHOTOS = 3
#: Overdue subjects handled per run of the daily job (the rest the next day; oldest first).
OVERDUE_BATCH = 2000
GRID_WORKER_ROLES = ("grid_worker", "grid_chief")
COMMUNITY_STAFF_ROLES = ("community_staff",)
OVERDUE_URL = "/care/overdue/"


# --- the schedule ----------------------------------------------------------------------------


def categories_of(subject: CareSubject) -> list[str]:
    return list(subject.person.tags.values_list("tag", flat=True))


def due_for(subject: CareSubject, last_visit: datetime.date | None = None) -> datetime.date:
    days = visit_rules.interval_days(categories_of(subject), subject.risk, subject.visit_every_days)
    registered = timezone.localdate(subject.created_at) if subject.created_at else timezone.localdate()
    if last_visit is None:
        latest = subject.visits.aggregate(at=Max("visited_at"))["at"] if subject.pk else None
        last_visit = timezone.localdate(latest) if latest else None
    return visit_rules.next_due(last_visit, registered, days)


def reschedule(subject: CareSubject) -> CareSubject:
    """Keep ``next_visit_due`` in step (a subject closed has none); call after creating or
    changing a subject (categories, risk, the override)."""
    due = None if subject.closed_on else due_for(subject)
    if due != subject.next_visit_due:
        subject.next_visit_due = due
        if subject.overdue_notified_on and (due is None or due >= timezone.localdate()):
            subject.overdue_notified_on = None  # no longer overdue: a later episode is a new one
        CareSubject.objects.filter(pk=subject.pk).update(next_visit_due=due,
                                                         overdue_notified_on=subject.overdue_notified_on)
    return subject


# --- who --------------------------------------------------------------------------------------


def current_pairings(on: datetime.date | None = None):
    on = on or timezone.localdate()
    return Pairing.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def is_helper(user, subject: CareSubject) -> bool:
    return bool(user.is_authenticated and user.person_id
                and current_pairings().filter(subject=subject, helper_id=user.person_id).exists())


def can_manage(user, subject: CareSubject) -> bool:
    return access.can_see_path(user, MANAGE, subject.home_path)


def can_record(user, subject: CareSubject) -> bool:
    """The subject's current paired helpers, and holders of ``care.manage`` at the subject's home."""
    if subject.closed_on:
        return False
    return can_manage(user, subject) or is_helper(user, subject)


# --- recording ----------------------------------------------------------------------------------


def _phone_or_blank(phone: str) -> str:
    try:
        return normalise_phone(phone or "")
    except ValidationError:
        return ""  # a landline or an old number: the wish or demand goes without it


def home_place(subject: CareSubject) -> Place | None:
    person = subject.person
    if person.household_id:
        return person.household.place
    return Place.objects.filter(path=subject.home_path).first()


def _wish(user, subject: CareSubject, place: Place, text: str, form_key: str):
    """A micro-wish raised at the visit, as a claimable wish. A recorder who publishes wishes
    in volunteering (a grid worker) publishes it at once for the subject; a paired helper,
    who does not, files it as a 微心愿 demand recorded by them, which volunteering turns into
    a wish when it is taken in, here in the same transaction."""
    from tongxin.demands import services as demand_services
    from tongxin.demands.models import Category, Source
    from tongxin.volunteering.apps import MANAGE as PUBLISH
    from tongxin.volunteering.models import Task
    from tongxin.volunteering.services import claims

    person = subject.person
    if access.can_see_path(user, PUBLISH, place.path):
        return claims.publish_wish(user, place=place, title=text[:120], description=text, beneficiary=person,
                                   contact_phone=_phone_or_blank(person.phone))
    category = Category.objects.get(code=claims.WISH_CATEGORY)
    demand = demand_services.report(place, category=category, description=text, name=person.name,
                                    phone=_phone_or_blank(person.phone), key=f"{form_key}:wish"[:64],
                                    source=Source.VISIT, recorded_by=user)
    demand_services.take_in_locked(demand)
    return Task.objects.filter(demand=demand).first()


def _problem(user, subject: CareSubject, place: Place, text: str, category, form_key: str):
    from tongxin.demands import services as demand_services
    from tongxin.demands.models import Source

    if category is None:
        raise RefusedError("category_missing", "请选择问题的类别", "Choose what kind of problem it is")
    person = subject.person
    return demand_services.report(place, category=category, description=text, name=person.name,
                                  phone=_phone_or_blank(person.phone), key=f"{form_key}:problem"[:64],
                                  source=Source.VISIT, recorded_by=user)


def record(user, subject: CareSubject, *, kind: str = VisitKind.HOME, visited_at: datetime.datetime | None = None,
           observations: str = "", needs: str = "", wish: str = "", problem: str = "", problem_category=None,
           photos=(), form_key: str = "") -> Visit:
    """Record a visit (see the module's docstring); returns the visit, or the first one of a double submit."""
    from tongxin.demands.photos import clean as clean_photo

    if not form_key or len(form_key) > 48:
        raise RefusedError("form_key_missing", "页面已过期，请刷新后重试",
                           "This page has expired; reload it and try again")
    if not can_record(user, subject):
        raise RefusedError("not_helper", "您不是这位居民的结对帮扶人，不能记录走访",
                           "You are not paired with this resident, so you cannot record a visit")
    if (first := Visit.objects.filter(form_key=form_key, subject=subject).first()) is not None:
        return first
    if user.person_id is None:
        raise RefusedError("no_person", "您的账号没有登记人员信息", "Your account has no person record")
    if kind not in VisitKind.values:
        raise RefusedError("kind_invalid", "请选择走访方式", "Choose how you visited")
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now + datetime.timedelta(minutes=10):
        raise RefusedError("in_future", "走访时间不能晚于现在", "The visit cannot be in the future")
    if visited_at < now - datetime.timedelta(days=60):
        raise RefusedError("too_old", "只能补记60天以内的走访", "Visits more than 60 days ago cannot be recorded")
    observations, needs = (observations or "").strip(), (needs or "").strip()
    wish, problem = (wish or "").strip(), (problem or "").strip()
    if not (observations or needs):
        raise RefusedError("observations_missing", "请写一写看到的情况", "Please say what you saw")
    for text in (wish, problem):
        if text and len(text) < 2:
            raise RefusedError("too_short", "心愿或问题请至少写两个字",
                               "Please say a little more about the wish or problem")
    if len(photos) > MAX_PHOTOS:
        raise RefusedError("too_many_photos", "最多上传3张照片", "At most 3 photos")
    images = [clean_photo(upload) for upload in photos]  # refused before anything is written
    place = home_place(subject) if (wish or problem) else None
    if (wish or problem) and place is None:
        raise RefusedError("no_home", "这位居民没有登记住址，不能生成诉求", "This resident has no home on the register")
    try:
        with transaction.atomic():
            locked = CareSubject.objects.select_for_update(of=("self",))
            subject = locked.select_related("person__household__place").get(pk=subject.pk)
            visit = Visit.objects.create(
                subject=subject, visitor_id=user.person_id, recorded_by=user, kind=kind, visited_at=visited_at,
                observations=observations[:2000], needs=needs[:2000], form_key=form_key,
            )
            for image in images:
                VisitPhoto.objects.create(visit=visit, image=image)
            if wish:
                visit.wish = _wish(user, subject, place, wish[:2000], form_key)
            if problem:
                visit.demand = _problem(user, subject, place, problem[:2000], problem_category, form_key)
            if visit.wish_id or visit.demand_id:
                visit.save(update_fields=["wish", "demand"])
            subject.overdue_notified_on = None
            subject.next_visit_due = due_for(subject)
            CareSubject.objects.filter(pk=subject.pk).update(next_visit_due=subject.next_visit_due,
                                                             overdue_notified_on=None)
    except IntegrityError:
        if (first := Visit.objects.filter(form_key=form_key, subject=subject).first()) is not None:
            return first  # the other click of a double click won the race
        raise
    return visit


# --- overdue --------------------------------------------------------------------------------------


def _holders(roles, places: list[str]) -> dict[str, list[User]]:
    """Place path -> active users holding one of ``roles`` at it, for these paths (one query)."""
    found: dict[str, list[User]] = {}
    held = (access.current_assignments().filter(role__in=roles, place__path__in=places)
            .values_list("place__path", "person_id"))
    people: dict[int, list[str]] = {}
    for path, person_id in held:
        people.setdefault(person_id, []).append(path)
    for user in User.objects.filter(person_id__in=people, is_active=True).order_by("pk"):
        for path in people[user.person_id]:
            found.setdefault(path, []).append(user)
    return found


def grids_of(paths: set[str]) -> dict[str, list[str]]:
    """Home path -> the paths of the grids covering it now (at it or above it)."""
    from tongxin.core.models import GridCoverage

    above = {p for path in paths for p in lineage(path)}
    coverage = (GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True)
                .values_list("place__path", "grid__path"))
    by_place: dict[str, list[str]] = {}
    for place_path, grid_path in coverage:
        by_place.setdefault(place_path, []).append(grid_path)
    return {path: sorted({g for p in lineage(path) for g in by_place.get(p, [])}) for path in paths}


def notify_overdue(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: tell grid workers of subjects newly overdue, escalate to the community's
    staff those still overdue ``ESCALATE_AFTER_DAYS`` after. Returns the counts."""
    from tongxin.core.models import Place as PlaceModel

    today = today or timezone.localdate()
    subjects = list(
        CareSubject.objects.filter(closed_on__isnull=True, next_visit_due__lt=today)
        .order_by("next_visit_due", "pk").select_related("person")[:OVERDUE_BATCH]
    )
    steps = {s.pk: visit_rules.overdue_step(s.next_visit_due, s.overdue_notified_on, today) for s in subjects}
    subjects = [s for s in subjects if steps[s.pk]]
    done = {visit_rules.NOTIFY: 0, visit_rules.ESCALATE: 0}
    if not subjects:
        return done
    paths = {s.home_path for s in subjects}
    grids = grids_of(paths)
    workers = _holders(GRID_WORKER_ROLES, sorted({g for gs in grids.values() for g in gs}))
    communities = {c.path: c for c in PlaceModel.objects.filter(
        path__in={p for path in paths for p in lineage(path)}, kind__in=("community", "village"))}
    staff = _holders(COMMUNITY_STAFF_ROLES, list(communities))
    for subject in subjects:
        step = steps[subject.pk]
        community = next((communities[p] for p in reversed(lineage(subject.home_path)) if p in communities), None)
        late = (today - subject.next_visit_due).days
        name = subject.person.name
        with transaction.atomic():
            if step == visit_rules.NOTIFY:
                users = [u for g in grids[subject.home_path] for u in workers.get(g, [])]
                if not users and community is not None:  # no grid worker: the community's staff
                    users = staff.get(community.path, [])
                outbox.notify(
                    "care_visit_overdue", f"care:subject:{subject.pk}:overdue:{subject.next_visit_due}:{today}",
                    users=users, place=community, webhooks=False, url=OVERDUE_URL,
                    subject=f"走访逾期：{name}，已超过{late}天 / Care visit overdue by {late} days",
                    body=f"应走访日期 / Due on {subject.next_visit_due:%Y-%m-%d}",
                )
                CareSubject.objects.filter(pk=subject.pk).update(overdue_notified_on=today)
            else:
                users = staff.get(community.path, []) if community is not None else []
                outbox.notify(
                    "care_visit_escalated",
                    f"care:subject:{subject.pk}:overdue:{subject.overdue_notified_on}:escalated", users=users,
                    place=community, webhooks=False, url=OVERDUE_URL,
                    subject=f"走访逾期未处理：{name}，已超过{late}天 / Care visit still overdue after {late} days",
                    body=f"网格员已于{subject.overdue_notified_on:%Y-%m-%d}收到提醒 / The grid worker was told on "
                         f"{subject.overdue_notified_on:%Y-%m-%d}",
                )
        done[step] += 1
    return done

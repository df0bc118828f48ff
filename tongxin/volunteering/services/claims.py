"""Claimable tasks and micro-wishes (认领, 微心愿): every write, one transaction each.

- **Publishing**: a manager publishes a task from an open demand of their places, or a
  micro-wish directly; a 微心愿 reported at a QR code becomes a wish by itself when the
  demand is taken in (:func:`wish_from_report`, connected in ``apps.py``). The approved
  members whose community covers the place are told, nearest first (``task_published``).
- **Claiming**: one live claim per task is the partial unique index ``claim_one_live``; the
  INSERT runs in a savepoint and the loser's ``IntegrityError`` becomes a clear refusal.
  Each claim gets a task at its deadline (:func:`expire_claim`) and a reminder before it
  (:func:`remind_claim`); :func:`release_overdue` is the sweep behind them.
- **Completing and confirming**: the claimant completes it with a note and photos; a
  manager confirms it (or returns it), or the resident does from the wish's public page.
  Confirmation writes the ledger (``services.ledger.record_claim``) and, for a task from a
  demand, takes the demand through its own workflow as the confirming staff user.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from tongxin.core import access, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, User
from tongxin.core.tree import lineage
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import Claim, ClaimPhoto, ClaimState, Enrolment, Status, Task, TaskKind, TaskState
from tongxin.volunteering.models.claims import LIVE_CLAIM
from tongxin.volunteering.services import ledger

WISH_CATEGORY = "wish"  # the demands category whose reports become micro-wishes here
MAX_PHOTOS = 3
#: A reminder goes this long before the deadline (at most a quarter of the time given).
REMIND_BEFORE = datetime.timedelta(hours=12)
SWEEP_MOST = 500
TASK_URL = "/volunteering/tasks/{pk}/"
RESIDENT_RECEIVED = "居民确认已收到，志愿服务已完成 / The resident confirms receiving it"

ALREADY_CLAIMED = ("already_claimed", "这个任务已经被别人认领了", "Someone else has already claimed this task")


def _refuse(code: str, zh: str, en: str):
    return RefusedError(code, zh, en)


def task_url(task: Task) -> str:
    return TASK_URL.format(pk=task.pk)


# --- who ---------------------------------------------------------------------------------


def can_manage(user, task: Task) -> bool:
    return access.can_see_path(user, MANAGE, task.place_path)


def enrolment_for(user, task: Task) -> Enrolment | None:
    """The user's approved enrolment in a community covering the task's place (the nearest community first)."""
    if not user.is_authenticated or user.person_id is None:
        return None
    return (Enrolment.objects.filter(person_id=user.person_id, status=Status.APPROVED,
                                     community_path__in=lineage(task.place_path))
            .order_by("-community_path").first())


def nearness(home_path: str, place_path: str) -> int:
    """How far a member's home is from a task's place, by the tree: the number of segments of
    the task's path they do not share (0: the same door; smaller is nearer)."""
    shared = 0
    for mine, theirs in zip(home_path or "", place_path, strict=False):
        if mine != theirs:
            break
        shared += 1
    return len(place_path) - shared


def audience(task: Task) -> list[User]:
    """The users of the approved enrolments whose community covers the task's place, members
    living nearest first (same entrance, building, compound, then the rest of the community)."""
    rows = (Enrolment.objects.filter(status=Status.APPROVED, community_path__in=lineage(task.place_path),
                                     user__isnull=False, user__is_active=True)
            .select_related("user").order_by("pk"))
    seen, found = set(), []
    for enrolment in sorted(rows, key=lambda e: nearness(e.home_path, task.place_path)):
        if enrolment.user_id not in seen:
            seen.add(enrolment.user_id)
            found.append(enrolment.user)
    return found


def managers_for(place: Place) -> list[User]:
    """Users whose roles grant ``volunteering.manage`` over ``place``: at it or above, or at a
    grid covering it (the grid's workers, the community's staff)."""
    from tongxin.core.registry import role_permissions
    from tongxin.demands.selectors import covering

    roles = [role for role, perms in role_permissions().items() if MANAGE in perms and role != "administrator"]
    above = lineage(place.path)
    held = access.current_assignments().filter(role__in=roles).filter(
        Q(place__path__in=above) | Q(place__in=covering(above).values("grid")))
    return list(User.objects.filter(person__roles__in=held, is_active=True).distinct().order_by("pk"))


def _announce(task: Task, event: str, *, leave_out=()) -> int:
    """Tell the members in scope, in bulk (one statement for the notices)."""
    users = [u for u in audience(task) if u.pk not in set(leave_out)]
    return outbox.notify(
        "task_published", f"task:{task.pk}:{event}", users=users, place=task.place, webhooks=False,
        subject=f"可认领：{task.title[:60]} / To claim: {task.get_kind_display()}",
        body=task.description[:200], url=task_url(task),
    )


# --- publishing ------------------------------------------------------------------------------


def _hours(value, default: int = 72) -> int:
    try:
        hours = int(value or default)
    except (TypeError, ValueError):
        raise _refuse("hours_invalid", "完成时限应为1到720小时", "Give 1 to 720 hours to complete it") from None
    if not 1 <= hours <= 720:
        raise _refuse("hours_invalid", "完成时限应为1到720小时", "Give 1 to 720 hours to complete it")
    return hours


def _credit(value, default: str = "1") -> Decimal:
    try:
        credit = Decimal(str(value or default)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise _refuse("credit_invalid", "服务时长应为0到24小时", "Credit 0 to 24 hours of service") from None
    if not Decimal(0) <= credit <= Decimal(24):
        raise _refuse("credit_invalid", "服务时长应为0到24小时", "Credit 0 to 24 hours of service")
    return credit


def _title(title: str, fallback: str = "") -> str:
    title = (title or "").strip() or (fallback or "").strip()[:40]
    if len(title) < 2:
        raise _refuse("title_missing", "请写一个标题", "Please give it a title")
    return title[:120]


def publishable_demands(user):
    """Open demands of the user's places not published yet, newest first (for the publish form)."""
    from tongxin.demands import rules
    from tongxin.demands.models import Demand

    return (Demand.objects.filter(access.path_filter(user, MANAGE, "place_path"), state__in=rules.OPEN_STATES,
                                  claimable_task__isnull=True)
            .select_related("place", "category").order_by("-id"))


def publish_from_demand(user, demand, *, title: str = "", description: str = "", act_within_hours=72,
                        hours_credit="1") -> Task:
    """A demand of the manager's places, published to be claimed; a demand still ``received``
    is accepted by the manager in the same step (through the demands workflow)."""
    from tongxin.demands import rules
    from tongxin.demands import services as demand_services

    if not access.can_see_path(user, MANAGE, demand.place_path):
        raise _refuse("not_yours", "这件诉求不在您负责的范围内", "This demand is not in your places")
    if not rules.is_open(demand.state):
        raise _refuse("demand_closed", "这件诉求已经办结，不能发布", "This demand is closed; it cannot be published")
    hours, credit = _hours(act_within_hours), _credit(hours_credit)
    with transaction.atomic():
        if demand.state == "received" and _may(user, demand, "accept"):
            demand = demand_services.act(user, demand, "accept")
        try:
            with transaction.atomic():
                task = Task.objects.create(
                    kind=TaskKind.WISH if demand.category.code == WISH_CATEGORY else TaskKind.DEMAND,
                    title=_title(title, demand.description), description=(description or demand.description)[:2000],
                    place=demand.place, place_path=demand.place_path, demand=demand,
                    contact_name=demand.reporter_name, contact_phone=demand.reporter_phone,
                    act_within_hours=hours, hours_credit=credit, published_by=user,
                )
        except IntegrityError:
            raise _refuse("already_published", "这件诉求已经发布过了", "This demand is already published") from None
        _announce(task, "published")
    return task


def publish_wish(user, *, place: Place, title: str, description: str = "", contact_name: str = "",
                 contact_phone: str = "", beneficiary=None, act_within_hours=72, hours_credit="1") -> Task:
    """A micro-wish (微心愿) of a resident or care subject, published by a manager of the place."""
    from tongxin.demands.services import resident_phone

    if place is None or not access.can_see_path(user, MANAGE, place.path):
        raise _refuse("place_not_yours", "请选择您负责范围内的地点", "Choose a place in your scope")
    if beneficiary is not None:
        contact_name = contact_name or beneficiary.name
        contact_phone = contact_phone or beneficiary.phone
    contact_name = (contact_name or "").strip()[:50]
    if not contact_name:
        raise _refuse("contact_missing", "请填写联系人", "Please give the contact's name")
    phone = resident_phone(contact_phone)
    hours, credit = _hours(act_within_hours), _credit(hours_credit)
    with transaction.atomic():
        task = Task.objects.create(
            kind=TaskKind.WISH, title=_title(title), description=(description or "").strip()[:2000], place=place,
            place_path=place.path, beneficiary=beneficiary, contact_name=contact_name, contact_phone=phone,
            act_within_hours=hours, hours_credit=credit, published_by=user,
        )
        _announce(task, "published")
    return task


def wish_from_report(demand) -> Task | None:
    """A 微心愿 reported at a QR code becomes a wish when it is taken in (in the intake's
    transaction); once, however often it is called."""
    if demand.category.code != WISH_CATEGORY:
        return None
    task, created = Task.objects.get_or_create(demand=demand, defaults={
        "kind": TaskKind.WISH, "title": _title("", demand.description) if len(demand.description.strip()) >= 2
        else "微心愿", "description": demand.description[:2000], "place": demand.place, "place_path": demand.place_path,
        "contact_name": demand.reporter_name, "contact_phone": demand.reporter_phone,
    })
    if created:
        _announce(task, "published")
        from tongxin.demands.services import accept_for_mechanism

        accept_for_mechanism(demand, "已转为微心愿，等待志愿者认领 / Became a micro-wish for volunteers to claim")
    return task


def on_demand_event(sender, instance, created, **kwargs) -> None:
    """``post_save`` of ``demands.DemandEvent``: the report's step, written at intake."""
    if created and instance.action == "report":
        wish_from_report(instance.demand)


def withdraw(user, task: Task, reason: str = "") -> Task:
    """A manager takes an open task down (no live claim)."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if not can_manage(user, task):
            raise _refuse("not_yours", "这个任务不在您负责的范围内", "This task is not in your places")
        if task.state != TaskState.OPEN:
            raise _refuse("not_open", "只有待认领的任务可以撤回", "Only a task waiting to be claimed can be withdrawn")
        task.state, task.closed_at = TaskState.WITHDRAWN, timezone.now()
        task.save(update_fields=["state", "closed_at"])
    return task


# --- claiming ------------------------------------------------------------------------------


def claim(user, task: Task) -> Claim:
    """Claim a task as the user's enrolment in its community. Of many at once, the database
    lets exactly one in (``claim_one_live``); the others are refused with a clear message."""
    enrolment = enrolment_for(user, task)
    if enrolment is None:
        raise _refuse("not_enrolled", "您还没有在这个社区登记为志愿者或报到党员",
                      "You are not registered to serve in this community")
    now = timezone.now()
    with transaction.atomic():
        state = Task.objects.filter(pk=task.pk).values_list("state", flat=True).first()
        if state in (TaskState.CLAIMED, TaskState.DONE, TaskState.CONFIRMED):
            return _mine_or_refuse(enrolment, task)
        if state != TaskState.OPEN:
            raise _refuse("not_open", "这个任务已经不能认领了", "This task can no longer be claimed")
        act_by = now + datetime.timedelta(hours=task.act_within_hours)
        try:
            with transaction.atomic():
                made = Claim.objects.create(task_id=task.pk, enrolment=enrolment, act_by=act_by)
        except IntegrityError:
            return _mine_or_refuse(enrolment, task)
        Task.objects.filter(pk=task.pk).update(state=TaskState.CLAIMED)
        schedule(made)
    return made


def _mine_or_refuse(enrolment: Enrolment, task: Task) -> Claim:
    """A second click of the winner gets its own claim back; anyone else a clear refusal."""
    mine = Claim.objects.filter(task_id=task.pk, state__in=LIVE_CLAIM, enrolment__person_id=enrolment.person_id).first()
    if mine is None:
        raise _refuse(*ALREADY_CLAIMED)
    return mine


def schedule(made: Claim) -> None:
    """The claim's deadline task, and its reminder (committed with the claim)."""
    expire_claim.using(run_after=made.act_by).enqueue(made.pk, made.act_by.isoformat())
    before = min(REMIND_BEFORE, (made.act_by - made.claimed_at) / 4)
    remind_claim.using(run_after=made.act_by - before).enqueue(made.pk, made.act_by.isoformat())


def _own_claim(user, claim_id: int, *states) -> Claim:
    """The user's own claim, locked, in one of ``states``."""
    found = (Claim.objects.select_for_update(of=("self",)).select_related("task", "enrolment")
             .filter(pk=claim_id).first())
    if found is None or found.enrolment.person_id != getattr(user, "person_id", None):
        raise _refuse("not_your_claim", "这不是您认领的任务", "This is not your claim")
    if found.state not in states:
        raise _refuse("claim_not_live", "这个认领已经结束了", "This claim has ended")
    return found


def _reopen(task: Task, ended: Claim, event: str) -> None:
    Task.objects.filter(pk=task.pk).update(state=TaskState.OPEN)
    task.state = TaskState.OPEN
    _announce(task, f"again:{ended.pk}:{event}", leave_out=[ended.enrolment.user_id])


def release(user, claim_id: int, reason: str) -> Claim:
    """The claimant gives a task back, saying why; it is open again and the others are told."""
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason_missing", "请说明放弃的原因", "Please say why you give it back")
    with transaction.atomic():
        found = _own_claim(user, claim_id, ClaimState.ACTIVE)
        found.state, found.ended_at, found.reason = ClaimState.RELEASED, timezone.now(), reason[:200]
        found.save(update_fields=["state", "ended_at", "reason"])
        _reopen(found.task, found, "released")
    return found


def expire(claim_id: int, act_by_iso: str) -> bool:
    """Release a claim not completed by its deadline ``act_by_iso``; a no-op if it was
    completed, released or ended meanwhile. The claimant is told, the task is open again and
    the next people are told."""
    due = datetime.datetime.fromisoformat(act_by_iso)
    with transaction.atomic():
        found = (Claim.objects.select_for_update(of=("self",)).select_related("task", "task__place", "enrolment")
                 .filter(pk=claim_id).first())
        if found is None or found.state != ClaimState.ACTIVE or found.act_by != due or timezone.now() < due:
            return False
        found.state, found.ended_at = ClaimState.EXPIRED, timezone.now()
        found.reason = "超过完成时限，自动释放 / Not done in time: released"
        found.save(update_fields=["state", "ended_at", "reason"])
        task = found.task
        claimant = User.objects.filter(pk=found.enrolment.user_id).first()
        outbox.notify("claim_due", f"claim:{found.pk}:expired", users=[claimant], place=task.place, webhooks=False,
                      subject=f"认领已释放：{task.title[:60]} / Your claim was released",
                      body="超过完成时限，任务已重新开放 / Not done in time: the task is open again",
                      url=task_url(task))
        _reopen(task, found, "expired")
    return True


def remind(claim_id: int, act_by_iso: str) -> bool:
    """Before the deadline: remind the claimant, if the claim is still active with that deadline."""
    found = Claim.objects.select_related("task", "task__place", "enrolment").filter(pk=claim_id).first()
    if found is None or found.state != ClaimState.ACTIVE or found.act_by != datetime.datetime.fromisoformat(act_by_iso):
        return False
    claimant = User.objects.filter(pk=found.enrolment.user_id).first()
    due = timezone.localtime(found.act_by).strftime("%Y-%m-%d %H:%M")
    return bool(outbox.notify(
        "claim_due", f"claim:{found.pk}:reminder", users=[claimant], place=found.task.place, webhooks=False,
        subject=f"请在 {due} 前完成：{found.task.title[:60]} / Due {due}",
        body="逾期未完成将自动释放给其他志愿者 / If not done by then, it goes to someone else",
        url=task_url(found.task),
    ))


@task
def expire_claim(claim_id: int, act_by: str) -> bool:
    return expire(claim_id, act_by)


@task
def remind_claim(claim_id: int, act_by: str) -> bool:
    return remind(claim_id, act_by)


def release_overdue() -> int:
    """The sweep behind the deadline tasks (a task lost with a worker): active claims past
    their deadline, oldest first, through the partial index ``claim_active_due``."""
    late = Claim.objects.filter(state=ClaimState.ACTIVE, act_by__lt=timezone.now()).order_by("act_by")
    return sum(expire(pk, due.isoformat()) for pk, due in late.values_list("pk", "act_by")[:SWEEP_MOST])


# --- completing and confirming -------------------------------------------------------------


def complete(user, claim_id: int, note: str, photos=()) -> Claim:
    """The claimant reports it done, with a note and up to three photos (re-encoded, EXIF-free);
    the managers of the place are told."""
    from tongxin.demands.photos import clean as clean_photo

    note = (note or "").strip()
    if len(note) < 2:
        raise _refuse("note_missing", "请简单写写做了什么", "Please say briefly what was done")
    if len(photos) > MAX_PHOTOS:
        raise _refuse("too_many_photos", "最多上传3张照片", "At most 3 photos")
    images = [clean_photo(upload) for upload in photos]  # refused before anything is written
    with transaction.atomic():
        found = _own_claim(user, claim_id, ClaimState.ACTIVE)
        now = timezone.now()
        found.state, found.completed_at, found.note = ClaimState.DONE, now, note[:2000]
        found.save(update_fields=["state", "completed_at", "note"])
        for image in images:
            ClaimPhoto.objects.create(claim=found, image=image)
        task = found.task
        Task.objects.filter(pk=task.pk).update(state=TaskState.DONE)
        outbox.notify("claim_completed", f"claim:{found.pk}:done", users=managers_for(task.place), place=task.place,
                      webhooks=False, subject=f"待确认：{task.title[:60]} / To confirm", body=note[:200],
                      url=task_url(task))
    return found


def _confirm(found: Claim, by: User | None) -> None:
    now = timezone.now()
    found.state, found.confirmed_at, found.confirmed_by = ClaimState.CONFIRMED, now, by
    found.save(update_fields=["state", "confirmed_at", "confirmed_by"])
    task = found.task
    Task.objects.filter(pk=task.pk).update(state=TaskState.CONFIRMED, closed_at=now)
    task.state, task.closed_at = TaskState.CONFIRMED, now
    ledger.record_claim(found)
    claimant = User.objects.filter(pk=found.enrolment.user_id).first()
    outbox.notify("claim_confirmed", f"claim:{found.pk}:confirmed", users=[claimant], place=task.place,
                  webhooks=False, subject=f"已确认完成：{task.title[:60]} / Confirmed",
                  body=f"服务时长 {task.hours_credit} 小时已记入台账 / {task.hours_credit} h in your ledger",
                  url=task_url(task))


def _locked_done(task: Task) -> Claim:
    found = (Claim.objects.select_for_update(of=("self",)).select_related("task", "task__place", "enrolment")
             .filter(task_id=task.pk, state=ClaimState.DONE).first())
    if found is None:
        raise _refuse("nothing_to_confirm", "没有等待确认的完成情况", "Nothing is waiting for confirmation")
    return found


def confirm(user, task: Task) -> Claim:
    """A manager of the place confirms the work: claim and task confirmed, the hours in the
    ledger, the claimant told; a task from a demand takes the demand on through its workflow
    as this user (accept, resolve, verify, close, as far as their role in it allows)."""
    if not can_manage(user, task):
        raise _refuse("not_yours", "这个任务不在您负责的范围内", "This task is not in your places")
    with transaction.atomic():
        found = _locked_done(task)
        _confirm(found, user)
        if found.task.demand_id:
            _resolve_demand(user, found)
    return found


def _resolve_demand(user, found: Claim) -> None:
    """Walk the demand to closed through ``demands.services.act`` as the confirming user, each
    step only if the workflow lets their role take it; where it cannot (dispatched to a
    handler, escalated above them), a comment on the timeline says the work was done."""
    from tongxin.demands import rules
    from tongxin.demands import services as demand_services
    from tongxin.demands.models import Demand

    demand = Demand.objects.get(pk=found.task.demand_id)
    note = f"志愿者已完成并经确认：{found.note[:300]} / A volunteer did it; confirmed"
    steps = {"received": "accept", "accepted": "resolve", "resolved": "verify", "verified": "close"}
    while demand.state in steps:
        action = steps[demand.state]
        if not _may(user, demand, action):
            break
        demand = demand_services.act(user, demand, action, note=note)
    if rules.is_open(demand.state) and _may(user, demand, "comment"):
        demand_services.act(user, demand, "comment", note=note)


def _may(user, demand, action: str) -> bool:
    """Whether one of the user's roles in the demand may take ``action`` now (``demands.rules``)."""
    from tongxin.demands import rules
    from tongxin.demands import services as demand_services

    return any(rules.allows(demand.state, action, role) for role in demand_services.roles_of(user, demand))


def return_claim(user, task: Task, reason: str) -> Claim:
    """A manager does not accept the work: the claim is returned (with the reason, the claimant
    told) and the task is open again."""
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason_missing", "请说明退回的原因", "Please say why it is returned")
    if not can_manage(user, task):
        raise _refuse("not_yours", "这个任务不在您负责的范围内", "This task is not in your places")
    with transaction.atomic():
        found = _locked_done(task)
        found.state, found.ended_at, found.reason = ClaimState.RETURNED, timezone.now(), reason[:200]
        found.save(update_fields=["state", "ended_at", "reason"])
        claimant = User.objects.filter(pk=found.enrolment.user_id).first()
        outbox.notify("claim_due", f"claim:{found.pk}:returned", users=[claimant], place=found.task.place,
                      webhooks=False, subject=f"已退回：{found.task.title[:60]} / Returned", body=reason[:200],
                      url=task_url(found.task))
        _reopen(found.task, found, "returned")
    return found


def confirm_by_resident(task: Task) -> Claim:
    """The resident says "received" on the wish's public page (the tracking code, their phone
    confirmed): the claim is confirmed and counted. The resident is not staff, so the demand
    is not closed for them: their words go on its timeline (as the reporter) for the grid's
    staff, who close it."""
    from tongxin.demands import rules
    from tongxin.demands import services as demand_services

    with transaction.atomic():
        found = _locked_done(task)
        _confirm(found, None)
        demand = found.task.demand
        if demand is not None and rules.is_open(demand.state):
            demand_services.add_information(demand, RESIDENT_RECEIVED)
    return found


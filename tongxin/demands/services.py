"""Every write to demands: reporting, the workflow's actions, the resident's information and rating.

Each runs in one transaction with its timeline event and its notices (``core.outbox``),
so a committed report always has its notices queued, whatever fails after the commit.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from contextlib import nullcontext

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import access, memo, outbox, workdays
from tongxin.core.errors import RefusedError
from tongxin.core.inserts import insert
from tongxin.core.models import Place, User
from tongxin.core.validators import normalise_phone
from tongxin.demands import deadlines, rules, selectors
from tongxin.demands.apps import DISPATCH, SUPERVISE
from tongxin.demands.models import Category, Demand, DemandEvent, DemandPhoto, MeToo, QrCode, Referral, Source
from tongxin.demands.photos import MAX_PHOTOS
from tongxin.demands.photos import clean as clean_photo
from tongxin.demands.tasks import intake

RATINGS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
REOPEN_DAYS = 7
ROLE_PREFERENCE = (rules.DISPATCHER, rules.SUPERVISOR, rules.HANDLER)
#: Actions the resident will read about: they say why, or what was done.
NEEDS_NOTE = frozenset({"reject", "resolve", "close", "rework", "escalate", "suspend", "comment", "decline"})


#: Places that get a QR code on their door: entrances, gates (compounds), villager groups, facilities.
QR_KINDS = ("entrance", "compound", "villager_group", "courtyard", "facility")


def qr_for(place: Place) -> QrCode:
    return QrCode.objects.get_or_create(place=place)[0]


def ensure_qr_codes(places: list[Place]) -> dict[int, str]:
    """place id → QR token, creating the missing codes in one statement."""
    ids = [p.pk for p in places]
    have = dict(QrCode.objects.filter(place_id__in=ids).values_list("place_id", "token"))
    if len(have) == len(set(ids)):
        return have  # every door printed before: one statement
    QrCode.objects.bulk_create([QrCode(place_id=pid) for pid in ids if pid not in have], ignore_conflicts=True)
    return dict(QrCode.objects.filter(place_id__in=ids).values_list("place_id", "token"))


def dispatchers_for(place: Place) -> list[User]:
    return access.holders(place, DISPATCH)


def supervisors_for(place: Place) -> list[User]:
    return access.holders(place, SUPERVISE)


def resident_phone(value: str) -> str:
    """A resident's optional mobile number, normalised, or a refusal they understand."""
    try:
        return normalise_phone(value or "")
    except ValidationError:
        raise RefusedError(
            "phone_invalid", "手机号应为11位数字，以1开头", "A mobile number has 11 digits and starts with 1"
        ) from None


def _clean_report(description: str, phone: str) -> tuple[str, str]:
    description = (description or "").strip()
    if len(description) < 2:
        raise RefusedError("description_missing", "请简单说说遇到了什么问题", "Please say briefly what the problem is")
    if len(description) > 2000:
        raise RefusedError(
            "description_long", "描述太长了，请控制在2000字以内", "Please keep it under 2,000 characters"
        )
    phone = resident_phone(phone)
    return description, phone


def client_key(address: str | None) -> str:
    """A keyed hash of a client address: enough to count one sender's reports, not to find them."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"client:{address}".encode(), hashlib.sha256).hexdigest()[:32]


#: Per sender, never per building: a flood from one phone never blocks the neighbours.
LIMITS = ((datetime.timedelta(minutes=10), 3, True), (datetime.timedelta(hours=1), 10, False))


def _count_report(client: str, place: Place) -> None:
    """Count a sender's report against ``LIMITS``, refusing it past one. The counters live in
    the cache, each for one window from the sender's first report in it: every resident's
    report passes here, and a count in the database cost as much as filing the report
    (``bench/bench_demands.py``). A shared cache
    (Redis, ``docs/deployment.md``) counts across web processes; a per-process cache lets a
    sender at most one limit per process. A double submit is caught by the form key in the
    database, whatever the counters say."""
    for window, most, same_place in LIMITS:
        key = f"demands:rate:{client}:{place.pk if same_place else '*'}"
        cache.add(key, 0, int(window.total_seconds()))  # the window opens; incr keeps its expiry
        if cache.incr(key) > most:
            raise RefusedError("too_many_reports", "提交太频繁了，请过一会儿再试；紧急情况请直接打电话给网格员",
                               "Too many reports from this phone just now; try again later, or call your grid worker")


def report(place: Place, *, category: Category, description: str, name: str = "", phone: str = "", key: str,
           source: str = Source.QR, recorded_by=None, photos=(), client: str = "", errand=None) -> Demand:
    """File a demand (from a QR page, or by staff on a resident's behalf). The form's key makes a
    double-clicked submit file one demand: the second submit gets the first one back."""
    description, phone = _clean_report(description, phone)
    if not category.active:
        raise RefusedError("category_inactive", "请选择一个类别", "Please choose a category")
    if len(photos) > MAX_PHOTOS:
        raise RefusedError("too_many_photos", "最多上传3张照片", "At most 3 photos")
    if client and recorded_by is None:
        try:
            _count_report(client, place)
        except RefusedError:
            if key and (first := Demand.objects.filter(form_key=key).first()):
                return first  # the second click of a double click, not a flood
            raise
    images = [clean_photo(upload) for upload in photos]  # refused before anything is written
    respond_by, resolve_by = deadlines_for(category, timezone.now())
    # One INSERT in autocommit, as cheap as a write gets; a transaction only with photos, or
    # a savepoint inside a caller's (a refused duplicate key must not spoil the caller's).
    in_caller = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if images or in_caller else nullcontext():
            demand = Demand(
                respond_by=respond_by, resolve_by=resolve_by, place=place, place_path=place.path,
                category=category, description=description,
                reporter_name=(name or "").strip()[:50], reporter_phone=phone, source=source,
                recorded_by=recorded_by, form_key=key or None, client_key=client,
                errand=errand if errand is not None and errand.active else None,
            )
            insert(demand)  # no save signals: see tongxin.core.inserts
            for image in images:
                DemandPhoto.objects.create(demand=demand, image=image)
    except IntegrityError:
        if key and (demand := Demand.objects.filter(form_key=key).first()):
            return demand  # the other click of a double click won the race
        raise
    transaction.on_commit(ask_for_intake)
    return demand


#: A web process asks for an intake at most this often; the intake then takes in every
#: report waiting (``take_in_waiting``), so a burst of reports costs one task, not one each.
INTAKE_EVERY = 2.0


def ask_for_intake() -> None:
    """Ask a worker to take in the reports waiting, unless this process asked within the last
    ``INTAKE_EVERY`` seconds. The task is due after that window closes (plus a margin for
    the clocks), so every report this process filed while the window was open, having
    committed before it saw the window, is already waiting when the task runs. The report
    itself is the durable record: if the task is lost, ``sweep_intake`` finds the report."""
    if cache.add("demands:intake-asked", True, INTAKE_EVERY):
        intake.using(run_after=timezone.now() + datetime.timedelta(seconds=INTAKE_EVERY + 0.5)).enqueue()


def take_in_waiting(most: int = 500) -> int:
    """Take in the reports waiting (oldest first, at most ``most``), one by one; several
    workers share the work (each demand is taken in once). Returns how many it took in."""
    waiting = Demand.objects.filter(taken_in_at__isnull=True).order_by("created_at")
    return sum(take_in(pk) for pk in waiting.values_list("pk", flat=True)[:most])


def take_in(demand_id: int) -> bool:
    """What follows a report (``tasks.intake``, within seconds): the report's step on the
    timeline (dated at the report), the demand's unit (the grid it counts in, the level that
    answers for it), the duplicate check, the notice to the grid's staff (naming likely
    duplicates) and the deadline checks. From here the indicators count it.

    The resident's request writes only the demand row (``report``), so a QR code answers
    fast under load (``bench/bench_demands.py``); whatever fails here, the report is kept
    and taken in again. Runs once per demand."""
    from tongxin.demands.duplicates import likely_duplicates

    demand = Demand.objects.select_related("place", "category").filter(pk=demand_id, taken_in_at__isnull=True).first()
    if demand is None:
        return False
    alike = likely_duplicates(demand) if demand.is_open else []  # outside the transaction: text work
    with transaction.atomic():
        # NO KEY: the foreign-key checks of rows written meanwhile that point at this demand
        # do not wait for it. SKIP LOCKED: a demand another worker, or a staff step, holds is theirs.
        locked = Demand.objects.select_for_update(skip_locked=True, no_key=True)
        if locked.filter(pk=demand_id, taken_in_at__isnull=True).values_list("pk", flat=True).first() is None:
            return False  # another worker is taking it in, or took it in meanwhile
        _complete_intake(demand, alike)
    return True


def take_in_locked(demand: Demand) -> None:
    """Staff quicker than the intake task: inside the staff step's transaction, which holds
    the demand's row lock (and its place and category), take the report in first, so their
    step comes after the report's on the timeline and the demand has its unit. No duplicate
    hint: staff have the demand in hand."""
    if demand.taken_in_at is None:
        _complete_intake(demand, [])


def _complete_intake(demand: Demand, alike) -> None:
    unit = unit_for(demand.place)
    demand.unit, demand.unit_path, demand.level, demand.taken_in_at = unit, unit.path, unit, timezone.now()
    Demand.objects.filter(pk=demand.pk).update(unit=unit, unit_path=unit.path, level=unit,
                                               taken_in_at=demand.taken_in_at)
    DemandEvent.objects.create(
        demand=demand, action="report", to_state="received", actor_id=demand.recorded_by_id,
        actor_role=rules.DISPATCHER if demand.recorded_by_id else rules.REPORTER, at=demand.created_at,
    )
    schedule_check(demand, RESPONSE)
    schedule_check(demand, RESOLUTION)
    place, category = demand.place, demand.category
    hint = "".join(f"\n可能重复 / Possibly the same as: {d.tracking_code}" for d, _score in alike)
    outbox.notify(
        "demand_received", f"demand:{demand.pk}:received", users=dispatchers_for(place), place=place,
        subject=f"新诉求：{category.name} · {place.name}", body=demand.description[:200] + hint,
        url=f"/demands/{demand.pk}/", webhooks=False,  # people's notice; systems get demand_created
    )
    announce("demand_created", demand, "created", at=demand.created_at)


def announce(kind: str, demand: Demand, key: str, *, from_state: str = "", at=None, **extra) -> None:
    """A demand event for other systems (``docs/api.md``, "Webhooks"): to the webhook
    subscribers of ``kind`` at the demand's place, and to nobody's inbox (staff have their
    own notices, which go to no webhook: they quote the resident's words). In the caller's
    transaction; ``key`` makes it once per event however often it is raised. The payload
    names the demand by id and tracking code, never the resident."""
    at = at or timezone.now()
    payload = {
        "demand": demand.pk, "tracking_code": demand.tracking_code, "state": demand.state, "from_state": from_state,
        "category": demand.category.code, "place": demand.place.code, "at": at.isoformat(), **extra,
    }
    outbox.notify(kind, f"demand:{demand.pk}:{key}", users=(), place=demand.place, webhooks=True,
                  subject=f"{kind} {demand.tracking_code} {demand.state}", url=f"/api/v1/demands/{demand.pk}/",
                  payload=payload)


def unit_for(place: Place) -> Place:
    """The grid (else community or village) a report at ``place`` belongs to; cached for five
    minutes, since grids change rarely and every intake asks."""
    return cache.get_or_set(f"demands:unit:{place.pk}", lambda: selectors.unit_of(place), 300)


def roles_of(user, demand: Demand) -> set[str]:
    """The user's roles in this demand (``demands.rules``)."""
    found = set()
    if user is None or not user.is_authenticated:
        return found
    if access.can_see_path(user, DISPATCH, demand.place_path):
        found.add(rules.DISPATCHER)
    if access.can_see_path(user, SUPERVISE, demand.place_path) or _holds_level(user, demand):
        found.add(rules.SUPERVISOR)
    if demand.handler_id == user.pk:
        found.add(rules.HANDLER)
    return found


def _holds_level(user, demand: Demand) -> bool:
    """After an escalation, whoever dispatches for the level it reached supervises it (the
    community's staff for a grid's demand, the street's for a community's)."""
    if not demand.escalations or demand.level_id is None:
        return False
    level = demand.level
    return access.can_see_path(user, DISPATCH, level.path) or access.can_see_path(user, SUPERVISE, level.path)


def can_see(user, demand: Demand) -> bool:
    return bool(roles_of(user, demand))


def act(user, demand: Demand, action: str, *, note: str = "", handler: User | None = None,
        referral: dict | None = None) -> Demand:
    """Take a workflow action as whichever of the user's roles may; the timeline records it.

    ``dispatch`` and ``reassign`` name a handler from ``selectors.handler_candidates``;
    ``refer`` records a hand-off (``referral``: office, contact, reference) to an office
    outside the community; ``resolve`` of a referred demand records the office's answer."""
    if action in rules.OWN_ROUTE:  # a merge needs the demand it goes into: ``merging.merge``
        raise RefusedError("merge_needs_target", "请在“可能重复”里选择要合并到哪一件",
                           "Merge from the list of possible duplicates, choosing the one to merge into")
    with transaction.atomic():
        demand = Demand.objects.select_for_update().select_related("place", "category").get(pk=demand.pk)
        take_in_locked(demand)
        role = _role_for(user, demand, action)
        target = rules.next_state(demand.state, action, role)
        if action in NEEDS_NOTE and not note.strip():
            raise RefusedError("note_missing", "请写明理由或处理结果", "Please give a reason or the outcome")
        if action in rules.HANDS_OVER:
            _check_handler(demand, handler)
            demand.handler = handler
        if action == "refer":
            note = _refer(demand, user, note, referral or {})
        if action == "resolve" and demand.state == "referred":
            demand.referrals.filter(answered_at__isnull=True).update(answer=note.strip(), answered_at=timezone.now())
        return _move(demand, action, target, user, role, note)


def _acting_role(user, demand: Demand, action: str) -> str | None:
    """Which of the user's roles in this demand may take the action now (dispatcher first)."""
    roles = roles_of(user, demand)
    return next((r for r in ROLE_PREFERENCE if r in roles and rules.allows(demand.state, action, r)), None)


def _role_for(user, demand: Demand, action: str) -> str:
    role = _acting_role(user, demand, action)
    if role is None:
        raise rules.NotAllowed(f"{action} is not possible now")
    return role


def _check_handler(demand: Demand, handler: User | None) -> None:
    if handler is None:
        raise RefusedError("handler_missing", "请选择处理人", "Please choose who handles it")
    if not selectors.is_candidate(demand.place, handler):
        raise RefusedError("handler_not_here", "此人不在这个地方任职，不能派给他（她）",
                           "This person holds no role here; choose someone from the list")


REFERRAL_FIELDS = {"office": 100, "contact": 100, "reference": 60}


def _refer(demand: Demand, user, note: str, referral: dict) -> str:
    """Record the hand-off; the timeline's note names the office (the resident reads it)."""
    given = {key: (referral.get(key) or "").strip()[:most] for key, most in REFERRAL_FIELDS.items()}
    if not given["office"]:
        raise RefusedError("office_missing", "请填写转交的部门", "Please say which office it goes to")
    if not note.strip():
        raise RefusedError("note_missing", "请写明转交了什么", "Please say what was handed over")
    Referral.objects.create(demand=demand, referred_by=user, note=note.strip(), **given)
    return f"{given['office']}：{note.strip()}"


def bulk_act(user, demand_ids, action: str, *, note: str = "", handler: User | None = None):
    """The same action on many demands from the workbench, each in its own transaction: one
    that cannot take it (another state, another place) is reported back, the rest go ahead."""
    done, refused = [], []
    for demand in Demand.objects.filter(pk__in=list(demand_ids)[:BULK_MOST]).order_by("id"):
        try:
            act(user, demand, action, note=note, handler=handler)
        except (rules.NotAllowed, RefusedError) as why:
            refused.append((demand, getattr(why, "message", None) or str(why)))
        else:
            done.append(demand)
    return done, refused


BULK_MOST = 200  # one page of the workbench is 30; a longer list is a mistake


def hand_over(user, departing: User, successor: User, *, note: str = "") -> list[Demand]:
    """A departing handler's whole open queue, within the user's places, goes to a successor:
    one timeline step per demand and one notice to the successor for the lot. Demands the
    successor cannot take (not a candidate at that place) stay with the departing handler;
    the demands moved are returned."""
    if departing.pk == successor.pk:
        raise RefusedError("same_person", "交接双方不能是同一人", "Choose a different successor")
    moved, allowed = [], {}
    reason = note.strip() or f"工作交接：{departing.name} → {successor.name} / Hand-over"
    with transaction.atomic():
        queue = (
            Demand.objects.select_for_update().select_related("place", "category")
            .filter(handler=departing, state__in=rules.OPEN_STATES)
            .filter(selectors.places_q(user))
            .order_by("id")
        )
        for demand in queue:
            action = "dispatch" if demand.state == "dispatched" else "reassign"
            role = _acting_role(user, demand, action)
            if demand.place_id not in allowed:
                allowed[demand.place_id] = selectors.is_candidate(demand.place, successor)
            if role is None or not allowed[demand.place_id]:
                continue
            demand.handler = successor
            target = rules.next_state(demand.state, action, role)  # the same state: the work goes on
            moved.append(_move(demand, action, target, user, role, reason, tell=False))
        if moved:
            outbox.notify(
                "demand_assigned", f"handover:{departing.pk}:{successor.pk}:{moved[-1].events.latest('id').pk}",
                users=[successor], subject=f"交接给您的诉求 {len(moved)} 件 / {len(moved)} demands handed over to you",
                body="\n".join(f"{d.tracking_code} {d.category.name} · {d.place.name}" for d in moved[:20]),
                url="/demands/?show=mine", webhooks=False,
            )
    return moved


def _move(demand: Demand, action: str, target: str, user, role: str, note: str, *, tell: bool = True) -> Demand:
    before = demand.state
    demand.state = target
    now = timezone.now()
    if role in STAFF_ROLES and action != "comment" and demand.responded_at is None:
        demand.responded_at = now
    if action == "resolve":
        demand.resolved_at = now
    elif action in ("rework", "reopen"):
        demand.reworks += 1
    elif action == "extend":
        demand.extensions += 1
        demand.resolve_by = extended(demand, now)
        schedule_check(demand, RESOLUTION)
    elif action == "escalate":
        _climb(demand, now)
    if not rules.is_open(target):
        demand.closed_at = timezone.now()
    elif action == "reopen":
        demand.closed_at = None
    demand.save()
    event = DemandEvent.objects.create(demand=demand, action=action, from_state=before, to_state=target,
                                       actor=user, actor_role=role, note=note.strip())
    if target != before:
        announce("demand_state_changed", demand, f"event:{event.pk}", from_state=before, at=event.at, action=action)
        if not rules.is_open(target):  # closed, not accepted or merged: the demand is done
            announce("demand_closed", demand, f"closed:{event.pk}", from_state=before, at=event.at, action=action)
    place = demand.place
    if tell and action in rules.HANDS_OVER and demand.handler_id:
        outbox.notify(
            "demand_assigned", f"demand:{demand.pk}:dispatch:{demand.events.count()}", users=[demand.handler],
            place=place, subject=f"请处理：{demand.category.name} · {place.name}", body=demand.description[:200],
            url=f"/demands/{demand.pk}/", webhooks=False,
        )
    if action == "escalate":
        told = {u.pk: u for u in [*level_holders(demand.level or place), demand.handler] if u is not None}
        outbox.notify("demand_escalated", f"demand:{demand.pk}:escalate:{demand.events.count()}",
                      users=told.values(), place=place, subject=f"上报：{demand.category.name} · {place.name}",
                      body=note[:200], url=f"/demands/{demand.pk}/", webhooks=False)
    return demand


def accept_for_mechanism(demand: Demand, note: str) -> Demand:
    """Another mechanism takes a received demand on (a 微心愿 reported at a QR code becomes a
    wish for volunteers to claim): accepted by the system, which is the community's answer, so
    the response deadline is met and nothing escalates. A demand past ``received`` is left as
    it is. Call it where the demand is locked (the intake, a staff step)."""
    if not rules.allows(demand.state, "accept", rules.SYSTEM):
        return demand
    demand.responded_at = demand.responded_at or timezone.now()
    return _move(demand, "accept", rules.next_state(demand.state, "accept", rules.SYSTEM), None, rules.SYSTEM, note,
                 tell=False)


def add_information(demand: Demand, note: str) -> Demand:
    """The reporter adds information (by tracking code) while the demand is open."""
    note = (note or "").strip()
    if not note:
        raise RefusedError("note_missing", "请填写补充内容", "Please write what you want to add")
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        target = rules.next_state(demand.state, "comment", rules.REPORTER)
        return _move(demand, "comment", target, None, rules.REPORTER, note[:2000])


def rate(demand: Demand, rating: int, comment: str = "") -> Demand:
    """The reporter rates a closed demand once; 不满意 or worse within 7 days reopens it."""
    if rating not in RATINGS:
        raise RefusedError("rating_invalid", "请选择满意程度", "Please choose how satisfied you are")
    with transaction.atomic():
        demand = Demand.objects.select_for_update().select_related("place", "category").get(pk=demand.pk)
        # A merged duplicate's target carried the work: it is rated once that is closed, on the
        # reporter's own demand, and an unsatisfied rating reopens the target.
        target = demand if demand.state != "merged" else Demand.objects.select_for_update().select_related(
            "place", "category").get(pk=demand.merged_into_id)
        if target.state != "closed":
            raise RefusedError("not_closed", "办结后才能评价", "You can rate it once it is closed")
        if demand.rating is not None:
            raise RefusedError("already_rated", "已经评价过了，谢谢", "It is already rated; thank you")
        demand.rating, demand.rating_comment, demand.rated_at = rating, (comment or "").strip()[:500], timezone.now()
        demand.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        DemandEvent.objects.create(demand=demand, action="rate", from_state=demand.state, to_state=demand.state,
                                   actor_role=rules.REPORTER, note=f"{RATINGS[rating]} {demand.rating_comment}".strip())
        # The rating, not the resident's words: those may name them.
        announce("demand_rated", demand, "rated", from_state=demand.state, at=demand.rated_at, rating=rating)
        recent = target.closed_at and timezone.now() - target.closed_at <= datetime.timedelta(days=REOPEN_DAYS)
        if rating <= 2 and recent:
            why = ("居民不满意，重新办理 / The resident is not satisfied: reopened" if target is demand else
                   f"合并诉求 {demand.tracking_code} 的居民不满意，重新办理 / "
                   f"The resident of merged {demand.tracking_code} is not satisfied: reopened")
            _move(target, "reopen", rules.next_state("closed", "reopen", rules.SYSTEM), None, rules.SYSTEM, why)
        return demand


def me_too(demand: Demand, *, phone: str = "", client: str = "") -> int:
    """我也遇到: count another affected resident once (by phone, else by address); their phone
    then opens the demand's follow-up page like the reporter's. Returns how many are affected."""
    if not demand.is_open or demand.category.sensitive:
        raise RefusedError("metoo_closed", "这件事已经办结或不能附议", "This one is closed or cannot be joined")
    phone = resident_phone(phone)
    try:
        with transaction.atomic():
            MeToo.objects.create(demand=demand, phone=phone, client_key=client)
    except IntegrityError:
        pass  # counted already
    return affected(demand)


def affected(demand: Demand) -> int:
    return 1 + demand.me_too.count()


def follows(demand: Demand, phone: str) -> bool:
    """Does this phone belong to the reporter or to someone who said "me too"?"""
    return bool(phone) and (phone == demand.reporter_phone or demand.me_too.filter(phone=phone).exists())


# --- Deadlines and escalation (``demands.deadlines``; the table is in its docstring) -----------

RESPONSE, RESOLUTION = "response", "resolution"
STAFF_ROLES = frozenset({rules.DISPATCHER, rules.HANDLER, rules.SUPERVISOR})


def _exceptions(now) -> dict:
    """The calendar's exceptions for the weeks ahead; cached for ten minutes (a new year's
    holidays are entered weeks before they matter)."""
    today = timezone.localdate(now)
    last = today + datetime.timedelta(days=workdays.working_days_span(15))
    return memo.get_or_set(f"workdays:{today}:{last}", lambda: workdays.exceptions_between(today, last), 600)


def deadlines_for(category: Category, now) -> tuple:
    return deadlines.deadlines(now, category, _exceptions(now), timezone.get_current_timezone())


def extended(demand: Demand, now):
    """One more resolution period, from the old deadline or from now if it has passed."""
    tier = deadlines.TIERS.get(demand.category.tier, deadlines.TIERS["ordinary"])
    start = max(now, demand.resolve_by or now)
    return deadlines.due(start, tier.resolution, _exceptions(start), timezone.get_current_timezone(),
                         demand.category.resolution_time)


def _climb(demand: Demand, now) -> None:
    """One level up the tree; the new level has the category's response time to take it."""
    level = demand.level or selectors.unit_of(demand.place)
    demand.level = selectors.next_level(level) or level
    demand.escalations += 1
    tier = deadlines.TIERS.get(demand.category.tier, deadlines.TIERS["ordinary"])
    demand.respond_by = deadlines.due(now, tier.response, _exceptions(now), timezone.get_current_timezone(),
                                      demand.category.response_time)
    schedule_check(demand, RESPONSE)


def level_holders(level: Place) -> list[User]:
    """The people who dispatch or supervise at exactly this level (the next level's staff);
    if nobody holds a role there, everyone above who may."""
    from tongxin.core.registry import role_permissions

    roles = [role for role, perms in role_permissions().items() if DISPATCH in perms or SUPERVISE in perms]
    here = access.current_assignments().filter(role__in=roles, place=level)
    users = list(User.objects.filter(person__roles__in=here, is_active=True).distinct())
    return users or supervisors_for(level) or dispatchers_for(level)


def schedule_check(demand: Demand, which: str) -> None:
    """A task at the deadline itself (committed with the demand); ``check_overdue`` decides then."""
    from tongxin.demands.tasks import check_deadline

    due = demand.respond_by if which == RESPONSE else demand.resolve_by
    if due is not None:
        check_deadline.using(run_after=due).enqueue(demand.pk, which, due.isoformat())


def check_overdue(demand_id: int, which: str, due_iso: str) -> bool:
    """Escalate a demand whose deadline ``due_iso`` passed with nothing done; a no-op if the
    deadline moved (extended, escalated already) or the step was taken in time."""
    due = datetime.datetime.fromisoformat(due_iso)
    with transaction.atomic():
        demand = Demand.objects.select_for_update(of=("self",)).select_related("place", "category", "level").filter(
            pk=demand_id).first()  # ``of``: PostgreSQL locks no outer-joined row (the level may be empty)
        if demand is None or not rules.allows(demand.state, "escalate", rules.SYSTEM):
            return False
        if which == RESPONSE:
            late = demand.respond_by == due and (demand.responded_at is None or demand.state == "escalated")
        else:
            late = demand.resolve_by == due and not demand.events.filter(action="escalate", at__gte=due).exists()
        if not late or timezone.now() < due:
            return False
        if demand.state == "escalated" and selectors.next_level(demand.level) is None:
            return False  # at the top already: it stays on the district's desk
        note = ("超过响应时限，自动上报上一级 / Not taken up in time: escalated" if which == RESPONSE
                else "超过办结时限，自动上报上一级 / Not resolved in time: escalated")
        _move(demand, "escalate", rules.next_state(demand.state, "escalate", rules.SYSTEM), None, rules.SYSTEM, note)
        return True


SWEEP_MOST = 500


def sweep_intake() -> int:
    """The safety net behind ``ask_for_intake``: reports still waiting (a task lost, a worker
    killed mid-intake), oldest first, through the partial index ``demand_awaiting_intake``."""
    return take_in_waiting(SWEEP_MOST)


def sweep_overdue() -> int:
    """The safety net behind the deadline tasks (a task lost, a deadline set by hand): every
    overdue demand is checked, at most ``SWEEP_MOST`` a run, oldest deadline first."""
    now = timezone.now()
    found = 0
    late_response = Demand.objects.filter(selectors.late_response_q(now))
    for pk, due in late_response.order_by("respond_by").values_list("pk", "respond_by")[:SWEEP_MOST]:
        found += check_overdue(pk, RESPONSE, due.isoformat())
    late = Demand.objects.filter(selectors.late_resolution_q(now))
    for pk, due in late.order_by("resolve_by").values_list("pk", "resolve_by")[:SWEEP_MOST]:
        found += check_overdue(pk, RESOLUTION, due.isoformat())
    return found

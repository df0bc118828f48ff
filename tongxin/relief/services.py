"""Every write of relief, one transaction each (``docs/relief.md``)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, once, outbox, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.core.tree import is_within
from tongxin.relief import rules, selectors
from tongxin.relief.apps import MANAGE
from tongxin.relief.models import AddedHousehold, Distribution, Entitlement, HandOver, Item, Kind


def _require_manage(user, distribution: Distribution) -> None:
    if not selectors.can_manage(user, distribution):
        raise RefusedError("not_allowed", "您不能管理这次发放", "You may not manage this distribution")


def _locked(distribution: Distribution) -> Distribution:
    return Distribution.objects.select_for_update().select_related("place").get(pk=distribution.pk)


def create(user, place: Place, *, title: str, kind: str = Kind.COLD_WEATHER, rule_tags=()) -> Distribution:
    if not access.can_see_path(user, MANAGE, place.path):
        raise RefusedError("not_allowed", "您不能在这里组织发放", "You may not organise a distribution here")
    title = (title or "").strip()
    if not title:
        raise RefusedError("title_missing", "请填写发放名称", "Give the distribution a title")
    if kind not in Kind.values:
        raise RefusedError("kind_unknown", "发放类型不对", "Unknown kind of distribution")
    return Distribution.objects.create(place=place, place_path=place.path, title=title[:100], kind=kind,
                                       rule_tags=rules.clean_tags(rule_tags), created_by=user)


@transaction.atomic
def add_item(user, distribution: Distribution, *, name: str, unit: str, stock: int, per_household: int = 1) -> Item:
    distribution = _locked(distribution)
    _require_manage(user, distribution)
    if distribution.state == rules.CLOSED:
        raise RefusedError("distribution_closed", "这次发放已结束", "This distribution is closed")
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name or not unit:
        raise RefusedError("item_missing", "请填写物品名称和单位", "Give the item's name and unit")
    if stock < 0 or per_household < 1:
        raise RefusedError("item_quantity", "数量不对", "The quantities are wrong")
    if Item.objects.filter(distribution=distribution, name=name).exists():
        raise RefusedError("item_exists", "已有同名物品，请补充它的库存", "That item is listed; add to its stock")
    return Item.objects.create(distribution=distribution, name=name[:60], unit=unit[:10], stock_quantity=stock,
                               per_household=per_household)


@transaction.atomic
def add_stock(user, item: Item, quantity: int) -> Item:
    distribution = _locked(item.distribution)
    _require_manage(user, distribution)
    if distribution.state == rules.CLOSED:
        raise RefusedError("distribution_closed", "这次发放已结束", "This distribution is closed")
    if quantity < 1:
        raise RefusedError("item_quantity", "数量不对", "The quantities are wrong")
    Item.objects.filter(pk=item.pk).update(stock_quantity=F("stock_quantity") + quantity)
    item.refresh_from_db()
    return item


@transaction.atomic
def add_household(user, distribution: Distribution, household: Household, *, reason: str) -> AddedHousehold:
    """Put a household on the list by hand, with the reason (before the list is frozen)."""
    distribution = _locked(distribution)
    _require_manage(user, distribution)
    if distribution.state != rules.DRAFT:
        raise RefusedError("list_frozen", "名单已在开始发放时确定", "The list was fixed when the distribution opened")
    if not is_within(household.place_path, distribution.place_path) or household.closed_on:
        raise RefusedError("household_outside", "这户不在发放范围内", "That household is outside the distribution")
    reason = (reason or "").strip()
    if not reason:
        raise RefusedError("reason_missing", "请填写加入名单的原因", "Give the reason for adding the household")
    try:
        with transaction.atomic():
            return AddedHousehold.objects.create(distribution=distribution, household=household,
                                                 reason=reason[:200], added_by=user)
    except IntegrityError:
        raise RefusedError("household_added", "这户已在名单上", "That household is on the list already") from None


@transaction.atomic
def open_distribution(user, distribution: Distribution) -> Distribution:
    """Freeze the eligible list (one query, one bulk insert) and start handing over."""
    distribution = _locked(distribution)
    _require_manage(user, distribution)
    distribution.state = rules.next_state(distribution.state, "open")
    if not distribution.items.exists():
        raise RefusedError("items_missing", "请先添加发放的物品", "Add the items first")
    buildings = selectors.buildings_under(distribution.place_path)
    Entitlement.objects.bulk_create([
        Entitlement(distribution=distribution, household_id=h.pk, place_path=h.place_path, added_by_hand=h.by_hand,
                    building_id=selectors.building_of(h.place_path, h.place_id, buildings))
        for h in selectors.eligible_households(distribution).only("id", "place_path", "place_id")
    ], batch_size=1000)
    distribution.opened_at = timezone.now()
    distribution.save(update_fields=["state", "opened_at"])
    return distribution


@transaction.atomic
def close(user, distribution: Distribution) -> Distribution:
    distribution = _locked(distribution)
    _require_manage(user, distribution)
    distribution.state = rules.next_state(distribution.state, "close")
    distribution.closed_at = timezone.now()
    distribution.save(update_fields=["state", "closed_at"])
    return distribution


@transaction.atomic
def publish(user, distribution: Distribution) -> Distribution:
    """Make the public list visible and post it on the place's notice board."""
    distribution = _locked(distribution)
    _require_manage(user, distribution)
    if distribution.state == rules.DRAFT:
        raise RefusedError("distribution_state", "开始发放后才能公示", "Publish once the distribution has opened")
    if distribution.published_at:
        raise RefusedError("published", "已经公示过了", "The list is published already")
    distribution.published_at = timezone.now()
    distribution.save(update_fields=["published_at"])
    link = reverse("relief-public", kwargs={"token": distribution.public_token})
    place_notices.create_by_rule(
        distribution.place, by=user, title=f"物资发放公示：{distribution.title}",
        body="按楼栋公示已领取的户数及户号、户主姓名（部分遮挡）。如有疑问请联系社区。", link=link,
    )
    return distribution


def _code_hash(entitlement_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"relief-code:{entitlement_pk}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def _entitlement_for_hand_over(user, entitlement: Entitlement) -> Entitlement:
    entitlement = Entitlement.objects.select_related("distribution", "household").get(pk=entitlement.pk)
    if not selectors.can_hand_over(user, entitlement):
        raise RefusedError("not_allowed", "您不能为这户发放", "You may not hand over to this household")
    if entitlement.distribution.state != rules.OPEN:
        raise RefusedError("distribution_not_open", "这次发放没有在进行中", "This distribution is not open")
    if HandOver.objects.filter(entitlement=entitlement).exists():
        raise _already()
    return entitlement


def _already() -> RefusedError:
    return RefusedError("already_handed_over", "这户已经领取过了，不能重复发放",
                        "This household has received it already: it cannot be handed out twice")


def send_code(user, entitlement: Entitlement) -> int:
    """A six-digit code to the logins of the household's current members (their inbox on the
    phone); the recipient reads it back. Only its keyed hash is kept. Returns the logins told."""
    with transaction.atomic():
        entitlement = _entitlement_for_hand_over(user, entitlement)
        logins = list(get_user_model().objects.filter(
            is_active=True, person__memberships__household=entitlement.household_id,
            person__memberships__valid_to__isnull=True).distinct())
        if not logins:
            raise RefusedError("no_login", "这户没有人开通平台账号，请让领取人在手机上签名",
                               "No one in this household has a login: ask the recipient to sign instead")
        code = f"{secrets.randbelow(1_000_000):06d}"
        entitlement.code_hash = _code_hash(entitlement.pk, code)
        entitlement.code_expires_at = timezone.now() + datetime.timedelta(minutes=rules.CODE_MINUTES)
        entitlement.save(update_fields=["code_hash", "code_expires_at"])
        outbox.notify("relief_code", f"relief-code-{entitlement.pk}-{code}", users=logins, webhooks=False,
                      subject=f"物资领取确认码：{code}",
                      body=f"领取“{entitlement.distribution.title}”时请把确认码告诉工作人员，"
                           f"{rules.CODE_MINUTES}分钟内有效。")
    return len(logins)


def hand_over(user, entitlement: Entitlement, *, code: str = "", signature: str = "",
              form_key: str | None = None) -> HandOver:
    """Record the hand-over with the recipient's confirmation (a code or a signature) and take
    every item from stock. A second hand-over to the household is refused by the database
    (``hand_over`` is one-to-one), a shelf that cannot cover it by the conditional UPDATE."""
    with transaction.atomic():
        entitlement = _entitlement_for_hand_over(user, entitlement)
        if signature:
            method, signature = rules.SIGNATURE, rules.check_signature(signature)
        else:
            method, code = rules.CODE, rules.check_code_format(code)
            if not entitlement.code_hash:
                raise RefusedError("no_code", "请先发送确认码", "Send a code first")
            if entitlement.code_expires_at < timezone.now():
                raise RefusedError("code_expired", "确认码已过期，请重新发送", "The code has expired; send a new one")
            if not hmac.compare_digest(entitlement.code_hash, _code_hash(entitlement.pk, code)):
                raise RefusedError("code_wrong", "确认码不对", "The code is wrong")
        if form_key is not None:
            once.claim(form_key, user)
        try:
            with transaction.atomic():
                done = HandOver.objects.create(entitlement=entitlement, method=method, signature=signature,
                                               handed_by=user)
        except IntegrityError:
            raise _already() from None
        for item in Item.objects.filter(distribution_id=entitlement.distribution_id).order_by("id"):
            taken = Item.objects.filter(
                pk=item.pk, handed_out__lte=F("stock_quantity") - item.per_household,
            ).update(handed_out=F("handed_out") + item.per_household)
            if not taken:
                raise RefusedError("stock_out", f"{item.name}库存不足，请先补充库存",
                                   f"Not enough {item.name} left: add stock first")
        if entitlement.code_hash:
            Entitlement.objects.filter(pk=entitlement.pk).update(code_hash="", code_expires_at=None)
    return done

"""Open311 service requests: filing a demand from another system, and reading demands back
(``docs/open311.md``). Every call carries an API key; a key reaches only its places.

A request goes through ``demands.services.report`` exactly as a QR report does: the same
checks, rate limits (per the client's end user: its account or device id, else its
phone, else its address), intake, duplicate check and workflow. Tongxin files in real
time, so ``POST requests`` answers with the tracking code as ``service_request_id``."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.demands import rules, selectors, services
from tongxin.demands.catalogue import ERRAND
from tongxin.demands.models import Category, Demand, DemandEvent, ErrandItem, Source
from tongxin.open311 import keys
from tongxin.open311.models import ApiKey, ClientRequest

DEFAULT_DAYS, MOST = 90, 1000  # the specification's defaults for GET requests
CJK = re.compile(r"[\u3400-\u9fff]")


class Problem(Exception):
    """An Open311 error: the HTTP status (also the error's code) and a description."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def refused(error: RefusedError, status: int = 400) -> Problem:
    return Problem(status, f"{error.message_zh} / {error.message_en} ({error.code})")


def authorise(raw: str) -> ApiKey:
    key = keys.authenticate(raw)
    if key is None:
        raise Problem(403, "api_key missing or not valid / 缺少有效的 api_key")
    try:
        keys.count_use(key)
    except RefusedError as error:
        raise refused(error, 429) from error
    return key


JURISDICTION_KINDS = ("community", "village", "street", "town", "district")


def jurisdiction(code: str) -> Place | None:
    """The place a ``jurisdiction_id`` names: a community or street (or village, town,
    district) by its code. Absent, None: the key or the address settles the place, and
    the default catalogue applies (the specification allows leaving it out)."""
    if not code:
        return None
    place = Place.objects.filter(code=code, kind__in=JURISDICTION_KINDS, retired_on__isnull=True).first()
    if place is None:
        raise Problem(404, f"jurisdiction_id not found: {code}")
    return place


def _place(key: ApiKey, data, within: Place | None) -> Place:
    """The place a request names: ``address_id`` (a door's QR token, or a place code), else
    ``address_string`` matching one place's name or address exactly, within the key's reach."""
    reach = keys.ranges(key)
    address_id, address = data.get("address_id", "").strip(), data.get("address_string", "").strip()
    if address_id:
        door = selectors.door(address_id)
        place = door.place if door else Place.objects.filter(code=address_id).first()
        if place is None:
            raise Problem(404, f"address_id not found: {address_id}")
    elif address:
        named = Q(name=address) | Q(address=address)
        found = list(Place.objects.filter(access.ranges_q(reach), named, retired_on__isnull=True)[:2])
        if len(found) != 1:
            raise Problem(400, "address_string matches no single place; give address_id (the door's QR code) "
                               "/ 地址对应不到唯一的地点，请用 address_id（门上二维码）")
        place = found[0]
    elif data.get("lat") or data.get("long"):
        raise Problem(400, "lat/long cannot be placed here; give address_id (the door's QR code) or address_string "
                           "/ 本系统不按经纬度定位，请用 address_id 或 address_string")
    else:
        raise Problem(400, "a location is required: address_id, address_string, or lat and long "
                           "/ 请提供地点")
    if place.retired_on is not None:
        raise Problem(400, "that place is no longer in use / 该地点已停用")
    if not keys.within(reach, place):
        raise Problem(403, "this api_key may not post at that place / 该密钥不能在此地点提交")
    if within is not None and not place.path.startswith(within.path):
        raise Problem(400, "the address lies outside jurisdiction_id / 地点不在 jurisdiction_id 之内")
    return place


def _name(data) -> str:
    first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
    return f"{last}{first}" if CJK.search(first + last) else f"{first} {last}".strip()


def file(data, client_address: str | None) -> tuple[Demand, ClientRequest]:
    """``POST requests``: validate, then file through ``services.report``."""
    key = authorise(data.get("api_key", ""))
    within = jurisdiction(data.get("jurisdiction_id", "").strip())
    code = data.get("service_code", "").strip()
    if not code:
        raise Problem(400, "service_code missing / 缺少 service_code")
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Problem(404, f"service_code not found: {code}")
    place = _place(key, data, within)
    errand = None
    if category.code == ERRAND:
        item = data.get("attribute[errand]", "").strip()
        errand = ErrandItem.objects.filter(code=item, active=True).first() if item else None
        if errand is None:
            raise Problem(400, "attribute[errand] is required: one of the service's values / 请选择代办事项")
    extra = {name: data.get(name, "").strip() for name in ("account_id", "device_id", "email", "media_url")}
    sender = extra["account_id"] or extra["device_id"] or data.get("phone", "").strip() or client_address or ""
    try:
        with transaction.atomic():
            demand = services.report(
                place, category=category, description=data.get("description", ""), name=_name(data),
                phone=data.get("phone", ""), key="", source=Source.API, errand=errand,
                client=services.client_key(f"open311:{key.pk}:{sender}"),
            )
            kept = ClientRequest(demand=demand, key=key, **{k: v[:500] for k, v in extra.items()})
            kept.full_clean(exclude=["demand", "key"])
            kept.save()
    except RefusedError as error:
        raise refused(error, 429 if error.code == "too_many_reports" else 400) from error
    except ValidationError as error:  # the kept fields (an e-mail, a media URL): say which
        fields = ", ".join(sorted(error.message_dict))
        raise Problem(400, f"not valid: {fields} / 格式不对：{fields}") from error
    return demand, kept


def _when(value: str, name: str) -> datetime.datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise Problem(400, f"{name} is not a W3C date-time, e.g. 2026-11-25T09:00:00+08:00 / {name} 日期格式不对")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def scoped(key: ApiKey):
    last_note = DemandEvent.objects.filter(demand=OuterRef("pk")).exclude(note="").exclude(
        actor_role=rules.REPORTER).order_by("-at", "-id").values("note")[:1]
    return (Demand.objects.filter(access.ranges_q(keys.ranges(key), "place_path"))
            .select_related("place", "category", "unit", "open311").annotate(status_note=Subquery(last_note)))


def search(key: ApiKey, query) -> list[Demand]:
    """``GET requests`` with the specification's filters and defaults."""
    found = scoped(key)
    if (within := jurisdiction(query.get("jurisdiction_id", "").strip())) is not None:
        found = found.filter(place_path__startswith=within.path)
    ids = [i.strip().upper() for i in query.get("service_request_id", "").split(",") if i.strip()]
    if ids:  # overrides every other filter (the specification)
        return list(found.filter(tracking_code__in=ids[:MOST]).order_by("-created_at", "-id"))
    if codes := [c.strip() for c in query.get("service_code", "").split(",") if c.strip()]:
        found = found.filter(category__code__in=codes)
    end = _when(query.get("end_date", ""), "end_date") or timezone.now()
    start = _when(query.get("start_date", ""), "start_date") or end - datetime.timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Problem(400, "start_date is after end_date / 开始日期晚于结束日期")
    found = found.filter(created_at__gte=start, created_at__lte=end)
    if statuses := {s.strip() for s in query.get("status", "").split(",") if s.strip()}:
        if not statuses <= {"open", "closed"}:
            raise Problem(400, "status is open or closed / status 只能是 open 或 closed")
        if statuses == {"open"}:
            found = found.filter(state__in=rules.OPEN_STATES)
        elif statuses == {"closed"}:
            found = found.exclude(state__in=rules.OPEN_STATES)
    return list(found.order_by("-created_at", "-id")[:MOST])


def _moment(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def as_record(demand: Demand) -> dict:
    """One service request as the specification lists its fields. Never a name or a phone; the
    description of a sensitive category (邻里纠纷) is withheld."""
    kept = getattr(demand, "open311", None)
    return {
        "service_request_id": demand.tracking_code,
        "status": "open" if rules.is_open(demand.state) else "closed",
        "status_notes": demand.status_note or str(rules.STATES[demand.state].label),
        "service_name": demand.category.name,
        "service_code": demand.category.code,
        "description": "" if demand.category.sensitive else demand.description,
        "agency_responsible": demand.unit.name if demand.unit else "",
        "service_notice": "",
        "requested_datetime": _moment(demand.created_at),
        "updated_datetime": _moment(demand.updated_at),
        "expected_datetime": _moment(demand.resolve_by),
        "address": demand.place.address or demand.place.name,
        "address_id": demand.place.code,
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": kept.media_url if kept else "",
    }

"""Form helpers shared by the meetings' views."""

import datetime

from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.meetings.apps import MANAGE
from tongxin.meetings.services.meetings import PLACE_KINDS


def managed_places(user):
    return list(Place.objects.filter(access.path_filter(user, MANAGE, "path"), kind__in=PLACE_KINDS)
                .order_by("path")[:200])


def place_from(user, value) -> Place | None:
    if not str(value or "").isdigit():
        return None
    place = Place.objects.filter(pk=int(value)).first()
    return place if place is not None and access.can_see_path(user, MANAGE, place.path) else None


def date_from(value: str, code: str = "date_invalid") -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RefusedError(code, "日期格式不对", "The date is not valid") from None


def time_from(value: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        raise RefusedError("time_invalid", "请填写开会时间", "Give the time of the meeting") from None


def moment_from(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise RefusedError("when_invalid", "请填写开会时间", "Give the date and time of the meeting") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def int_or_none(value):
    value = str(value or "").strip()
    if value.lstrip("-").isdigit():
        return int(value)
    return None

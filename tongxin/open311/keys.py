"""Issuing, checking and revoking API keys (``models.ApiKey``).

A key reads ``tx_<prefix>_<secret>``: the prefix finds the row, the secret is checked
against a SHA-256 digest in constant time (the secret has 192 random bits, so a plain hash
is enough; nothing to stretch). Each key has its own rate limit per minute, counted in
the cache like the residents' report limits."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.open311.models import ApiKey


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue(name: str, places: list[Place], per_minute: int = 120) -> tuple[ApiKey, str]:
    """A new key for ``places``; returns the row and the key, which is never shown again."""
    if not name.strip():
        raise RefusedError("key_name_missing", "请填写客户端名称", "Please name the client")
    if not places:
        raise RefusedError("key_places_missing", "请至少选择一个地点", "A key needs at least one place")
    key = ApiKey(name=name.strip(), per_minute=per_minute)
    raw = give_secret(key)
    key.save()
    key.places.set(places)
    return key, raw


def give_secret(key: ApiKey) -> str:
    """Set a new key's prefix and digest; returns the key to hand over, never stored."""
    key.prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
    key.digest = _digest(secret)
    return f"tx_{key.prefix}_{secret}"


def authenticate(raw: str) -> ApiKey | None:
    """The key ``raw`` names, if it is whole and not revoked."""
    parts = (raw or "").strip().split("_", 2)  # the secret itself may hold "_"
    if len(parts) != 3 or parts[0] != "tx":
        return None
    key = ApiKey.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(parts[2])):
        return None
    return key


def revoke(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def count_use(key: ApiKey) -> None:
    """Count one request against the key's limit per minute, refusing it past the limit."""
    counter = f"open311:key:{key.pk}"
    if cache.add(counter, 0, 60):  # a new minute: note the key in use (once a minute, not every call)
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    if cache.incr(counter) > key.per_minute:
        raise RefusedError("key_rate_limited", "请求太频繁，请一分钟后再试", "Too many requests; try again in a minute")


def ranges(key: ApiKey) -> list[tuple[str, str]]:
    """The path ranges the key reaches (its places and what lies under them)."""
    found = []
    for place in key.places.all():
        found += access.place_ranges(place)
    return found


def within(found: list[tuple[str, str]], place: Place) -> bool:
    """Whether ``place`` lies in the ranges ``found`` (``ranges``, read once per request)."""
    return any(start <= place.path < end for start, end in found)


def reaches(key: ApiKey, place: Place) -> bool:
    return within(ranges(key), place)

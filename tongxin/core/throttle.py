"""Login throttling against password guessing, kept in the database.

The database (not a per-process cache) holds the failures so that every web process
sees the same count. A phone is locked after ``TONGXIN_LOGIN_MAX_FAILURES`` failures in
the window; a client address after ``TONGXIN_LOGIN_MAX_FAILURES_PER_IP`` (one address
trying many phones). A success clears the phone's failures.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from tongxin.core.models import LoginFailure


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.TONGXIN_LOGIN_WINDOW_SECONDS)


def is_locked(phone: str, ip: str | None) -> bool:
    since = _window_start()
    if LoginFailure.objects.filter(phone=phone, at__gte=since).count() >= settings.TONGXIN_LOGIN_MAX_FAILURES:
        return True
    if ip and LoginFailure.objects.filter(ip=ip, at__gte=since).count() >= settings.TONGXIN_LOGIN_MAX_FAILURES_PER_IP:
        return True
    return False


def record_failure(phone: str, ip: str | None) -> None:
    LoginFailure.objects.create(phone=phone[:20], ip=ip)


def record_success(phone: str) -> None:
    LoginFailure.objects.filter(phone=phone).delete()


def client_ip(request) -> str | None:
    """The client's address. Behind a reverse proxy (nginx) every request comes from the
    proxy, so its ``X-Forwarded-For`` is believed when the direct peer is one of
    ``TONGXIN_TRUSTED_PROXIES``: the rightmost address not itself a trusted proxy (the
    leftmost ones are whatever the client wrote). Otherwise rate limits per address would
    be limits per site, and one resident could block every other."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.TONGXIN_TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:45]
    return remote

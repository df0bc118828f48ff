"""Notices to a place (停水停电, a meeting, a typhoon warning): publish now or at a time, withdraw.

A notice shows on the pages of its place and of every place under it while it is live
(published, not withdrawn, not expired), and goes out through the outbox to the people
holding a role there and to webhook subscribers of the place (an SMS gateway). A notice
published later is a task with ``run_after`` that re-checks the notice when it runs: an
edit bumps ``version``, so the task queued for the old version does nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, PlaceNotice, User
from tongxin.core.roles import MANAGE_REGISTER
from tongxin.core.tree import lineage

KIND = "place_notice"


def can_publish(user, place: Place) -> bool:
    return access.can_see_path(user, MANAGE_REGISTER, place.path)


def live_for(place: Place, now=None):
    """Live notices of this place and of the places above it, newest first (one query)."""
    now = now or timezone.now()
    return PlaceNotice.objects.filter(
        place__path__in=lineage(place.path), published_at__isnull=False,
        withdrawn_at__isnull=True, expires_at__gt=now,
    ).select_related("place").order_by("-published_at")


def _check_dates(publish_at: datetime.datetime, expires_at: datetime.datetime) -> None:
    if expires_at <= publish_at:
        raise RefusedError("notice_dates", "结束时间须晚于发布时间", "The notice must end after it is published")


@transaction.atomic
def create(user, place: Place, *, title: str, body: str, publish_at=None, expires_at=None,
           link: str = "") -> PlaceNotice:
    """``link``: a path on this site with the full text ("/deliberation/c/…/"), shown as
    "查看全文"; anything not starting with a single "/" is refused (no other sites, no scripts)."""
    if not can_publish(user, place):
        raise PermissionDenied("not allowed to publish notices here")
    return _create(user, place, title=title, body=body, publish_at=publish_at, expires_at=expires_at, link=link)


@transaction.atomic
def create_by_rule(place: Place, *, by=None, title: str, body: str, link: str = "", expires_at=None) -> PlaceNotice:
    """A publication a rule requires (an owners' vote's result, a quarterly statement): by
    ``by`` when they may publish here, otherwise by the rule itself (no author), so it is
    published even when whoever set it going may no longer publish here (moved on, role ended,
    an owners' committee member who keeps the books but has no notice board)."""
    author = by if by is not None and can_publish(by, place) else None
    return _create(author, place, title=title, body=body, publish_at=None, expires_at=expires_at, link=link)


def _create(user, place: Place, *, title: str, body: str, publish_at, expires_at, link: str) -> PlaceNotice:
    if link and (not link.startswith("/") or link.startswith("//")):
        raise RefusedError("link_invalid", "链接只能是本站页面", "The link must be a page of this site")
    now = timezone.now()
    publish_at = publish_at or now
    expires_at = expires_at or publish_at + datetime.timedelta(days=7)
    _check_dates(publish_at, expires_at)
    notice = PlaceNotice.objects.create(
        place=place, title=title.strip(), body=body.strip(), publish_at=publish_at, expires_at=expires_at,
        created_by=user, link=link[:300],
    )
    _schedule(notice)
    return notice


@transaction.atomic
def reschedule(user, notice: PlaceNotice, *, publish_at, expires_at) -> PlaceNotice:
    """Move a notice not yet published to another time: the old scheduled task will do nothing."""
    notice = PlaceNotice.objects.select_for_update().get(pk=notice.pk)
    if not can_publish(user, notice.place):
        raise PermissionDenied("not allowed to change this notice")
    if notice.published_at is not None:
        raise RefusedError("notice_published", "通知已发布，不能再改时间", "The notice is already published")
    _check_dates(publish_at, expires_at)
    notice.publish_at, notice.expires_at, notice.version = publish_at, expires_at, notice.version + 1
    notice.save(update_fields=["publish_at", "expires_at", "version"])
    _schedule(notice)
    return notice


@transaction.atomic
def withdraw(user, notice: PlaceNotice) -> None:
    if not can_publish(user, notice.place):
        raise PermissionDenied("not allowed to withdraw this notice")
    PlaceNotice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), version=notice.version + 1
    )


def _schedule(notice: PlaceNotice) -> None:
    from tongxin.core.tasks import publish_place_notice

    if notice.publish_at <= timezone.now():
        _publish(notice)
    else:
        publish_place_notice.using(run_after=notice.publish_at).enqueue(notice.pk, notice.version)


def publish_due(notice_id: int, version: int) -> bool:
    """The scheduled task: publish if the notice is still the one it was queued for."""
    with transaction.atomic():
        notice = PlaceNotice.objects.select_for_update().filter(pk=notice_id).select_related("place").first()
        if notice is None or notice.version != version or notice.withdrawn_at or notice.published_at:
            return False
        _publish(notice)
        return True


def _publish(notice: PlaceNotice) -> None:
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    place = notice.place
    holders = access.current_assignments().filter(
        place__path__gte=place.path, place__path__lt=place.path_end, person__user__isnull=False
    ).values("person__user")
    users = list(User.objects.filter(pk__in=holders, is_active=True))
    outbox.notify(
        KIND, f"place-notice:{notice.pk}", users=users, place=place, subject=notice.title, body=notice.body,
        url=f"/places/{place.code}/", payload={"notice_id": notice.pk, "expires_at": notice.expires_at.isoformat()},
    )

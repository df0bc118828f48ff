"""Demo notices: what a community's staff published this week, so the bell has something to show."""

import datetime

from django.utils import timezone

from tongxin.core import delivery, place_notices
from tongxin.core.models import RoleAssignment


def staff_of(place, role: str = "community_staff"):
    """The first user holding ``role`` at ``place`` or under it: who the demo loaders act as."""
    found = (RoleAssignment.objects.filter(role=role, person__user__isnull=False,
                                           place__path__gte=place.path, place__path__lt=place.path_end)
             .select_related("person__user").order_by("id").first())
    return found.person.user if found else None


def load(stdout) -> None:
    staff = (
        RoleAssignment.objects.filter(role="community_staff", person__user__isnull=False, place__isnull=False)
        .select_related("place", "person__user").order_by("id").first()
    )
    if staff is None:
        return
    user, community = staff.person.user, staff.place
    now = timezone.now()
    place_notices.create(
        user, community, title="本周六上午停水通知",
        body="因供水管网检修，本周六 8:00–12:00 全社区停水，请提前储水。如有困难请联系网格员。",
        expires_at=now + datetime.timedelta(days=5),
    )
    place_notices.create(
        user, community, title="居民议事会（民情民意收集会）",
        body="下周三 19:30 在社区党群服务中心召开，议题：小区停车秩序、加装电梯意见征集。欢迎居民参加。",
        publish_at=now + datetime.timedelta(days=1), expires_at=now + datetime.timedelta(days=8),
    )
    delivered = delivery.deliver_due()
    stdout.write(f"  notices: 2 at {community.name} (one published, one tomorrow); {delivered} delivered to inboxes\n")

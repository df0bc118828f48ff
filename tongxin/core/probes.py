"""Scope-walker probes for the core's routes (see ``core.scopewalker``)."""

import uuid

from tongxin.core.registry import Probe, exports


def probes(world) -> list[Probe]:
    import datetime

    from django.utils import timezone

    from tongxin.core.models import InboxItem, PlaceNotice
    from tongxin.core.testing import OUTSIDE_MARKER

    outsider = world.people["worker_b"]
    now = timezone.now()
    notice = PlaceNotice.objects.create(
        place=world.places["b2"], title=f"{OUTSIDE_MARKER} 停水", body="…", publish_at=now, published_at=now,
        expires_at=now + datetime.timedelta(days=1),
    )
    item = InboxItem.objects.create(
        user=outsider.user, delivery_id=uuid.uuid4(), kind="place_notice", subject=f"{OUTSIDE_MARKER} 通知"
    )
    return [
        Probe("inbox"),
        Probe("inbox-open", {"pk": item.pk}),
        Probe("inbox-read-all", method="post"),
        Probe("notice-preferences"),
        Probe("notice-preferences", method="post", data={"place_notice:inbox": "off"}),
        Probe("place-notice-new", {"code": world.places["b2"].code}),
        Probe(
            "place-notice-new", {"code": world.places["b2"].code}, method="post", data={"title": "闯入", "body": "x"}
        ),
        Probe("place-notice-withdraw", {"pk": notice.pk}, method="post"),
        Probe("home"),
        Probe("login"),
        Probe("logout", method="post"),
        Probe("toggle-display", method="post", data={"flag": "large"}),
        Probe("healthz"),
        Probe("favicon"),
        Probe("set_language", method="post", data={"language": "en", "next": "/"}),
        Probe("api-token", method="post", data={"phone": outsider.user.phone, "password": "wrong-password"}),
        Probe("schema"),
        Probe("api-docs"),
        Probe("api:api-root"),
        *(Probe("export-download", {"code": e.code, "place_code": world.places["b2"].code}) for e in exports()),
        Probe("export-download", {"code": "no-such-export", "place_code": world.places["b1"].code}),
    ]

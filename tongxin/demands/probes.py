"""Scope-walker probes for demands: a report planted in grid B, and every route aimed at it."""

from tongxin.core.registry import Probe
from tongxin.core.testing import OUTSIDE_MARKER


def _tiny_jpeg():
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def probes(world) -> list[Probe]:
    from tongxin.demands import services
    from tongxin.demands.catalogue import ensure_seeded
    from tongxin.demands.models import Category

    ensure_seeded()  # present after migrate; a transactional test may have flushed it
    entrance = world.places["b2u1"]
    # The reporter's name in the text: a redacted summary must take it out.
    demand = services.report(entrance, category=Category.objects.get(code="repairs"),
                             description=f"电梯坏了，请联系{OUTSIDE_MARKER}", name=OUTSIDE_MARKER, phone="13912340000",
                             key="walker-demand", photos=[_tiny_jpeg()])
    photo = demand.photos.get()
    # The same problem again at the next door: what a merge would merge into.
    twin = services.report(world.places["b2u2"], category=demand.category, description="电梯又坏了",
                           key="walker-twin")
    token = services.qr_for(entrance).token
    return [
        Probe("qr-page", {"token": token}, public=True),
        Probe("qr-similar", {"token": token}, query="description=电梯坏了", public=True),
        Probe("qr-me-too", {"token": token, "code": demand.tracking_code}, method="post", public=True),
        Probe("demand-photo-resident", {"code": demand.tracking_code, "photo_pk": photo.pk}, public=True),
        Probe("demand-photo", {"pk": demand.pk, "photo_pk": photo.pk}),
        Probe("demand-track-lookup"),
        Probe("demand-track", {"code": demand.tracking_code}, public=True),  # phone not confirmed: no details
        Probe("demand-reported", {"code": demand.tracking_code}, public=True),
        Probe("api:demand-list"),
        Probe("api:demand-list", query=f"place={entrance.code}&state=received&category=repairs"),
        Probe("api:demand-list", query="created_after=2000-01-01T00:00:00Z&updated_after=2000-01-01"),
        Probe("api:demand-detail", {"pk": demand.pk}),
        Probe("api:category-list"),
        Probe("api:category-detail", {"code": "repairs"}),
        Probe("api:demand-timeline", {"pk": demand.pk}),
        Probe("api:demand-act", {"pk": demand.pk}, method="post", data={"action": "accept"}),
        Probe("api:demand-candidates", {"pk": demand.pk}),
        Probe("api:demand-duplicates", {"pk": demand.pk}),
        Probe("api:demand-merge", {"pk": demand.pk}, method="post", data={"into": twin.pk}),
        Probe("demand-merge", {"pk": demand.pk}, method="post", data={"into": twin.pk}),
        Probe("demand-workbench"),
        Probe("demand-workbench", query="show=received"),
        Probe("demand-detail", {"pk": demand.pk}),
        Probe("demand-act", {"pk": demand.pk}, method="post", data={"action": "accept"}),
        Probe("demand-bulk", method="post", data={"ids": [demand.pk], "action": "accept"}),
        Probe("demand-hand-over"),
        Probe("demand-hand-over", query=f"place={entrance.code}"),
        Probe("demand-on-behalf", {"code": entrance.code}),
        Probe("demand-posters", {"code": entrance.code}),
        Probe("demand-posters", {"code": world.places["compound"].code}),
        Probe("demand-on-behalf", {"code": entrance.code}, method="post",
              data={"form_key": "walk-d", "category": "1", "description": "x"}),
    ]

"""Scope-walker probes for demands: a report planted in grid B, and every route aimed at it."""

from tongxin.core.registry import Probe
from tongxin.core.testing import OUTSIDE_MARKER


def probes(world) -> list[Probe]:
    from tongxin.demands import services
    from tongxin.demands.models import Category

    entrance = world.places["b2u1"]
    demand = services.report(entrance, category=Category.objects.get(code="repairs"),
                             description=f"{OUTSIDE_MARKER} 电梯坏了", name=OUTSIDE_MARKER, phone="13912340000",
                             key="walker-demand")
    token = services.qr_for(entrance).token
    return [
        Probe("qr-page", {"token": token}, public=True),
        Probe("demand-track-lookup"),
        Probe("demand-track", {"code": demand.tracking_code}, public=True),  # phone not confirmed: no details
        Probe("demand-reported", {"code": demand.tracking_code}, public=True),
        Probe("demand-workbench"),
        Probe("demand-workbench", query="show=received"),
        Probe("demand-detail", {"pk": demand.pk}),
        Probe("demand-act", {"pk": demand.pk}, method="post", data={"action": "accept"}),
        Probe("demand-on-behalf", {"code": entrance.code}),
        Probe("demand-on-behalf", {"code": entrance.code}, method="post",
              data={"form_key": "walk-d", "category": "1", "description": "x"}),
    ]

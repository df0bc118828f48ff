"""Scope-walker probes: the Open311 catalogue is public (no place, no person in it); the
service requests answer only to an API key, never to a signed-in user's session."""

from tongxin.core.registry import Probe


def probes(world) -> list[Probe]:
    from tongxin.demands.catalogue import ensure_seeded
    from tongxin.demands.models import Category
    from tongxin.demands.testing import file_report

    ensure_seeded()
    demand = file_report(world.places["b2u1"], category=Category.objects.get(code="repairs"),
                         description="楼道漏水", key="walker-open311")
    found = []
    for fmt in ("json", "xml"):
        found += [Probe("open311-discovery", {"fmt": fmt}, public=True),
                  Probe("open311-services", {"fmt": fmt}, public=True),
                  Probe("open311-service", {"code": "lighting", "fmt": fmt}, public=True),
                  Probe("open311-requests", {"fmt": fmt}),
                  Probe("open311-requests", {"fmt": fmt}, method="post",
                        data={"service_code": "repairs", "address_id": world.places["b2u1"].code,
                              "description": "楼道漏水"}),
                  Probe("open311-request", {"code": demand.tracking_code, "fmt": fmt}),
                  Probe("open311-token", {"token_id": demand.tracking_code, "fmt": fmt})]
    return found

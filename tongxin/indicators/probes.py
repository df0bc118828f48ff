"""Scope-walker probes for the indicators: a demand reported in grid B, then every route
asked for grid B's place (a 404 for anyone scoped to grid A) and for the caller's own."""

from tongxin.core.registry import Probe


def probes(world) -> list[Probe]:
    from tongxin.demands.catalogue import ensure_seeded
    from tongxin.demands.models import Category
    from tongxin.demands.testing import file_report

    ensure_seeded()
    file_report(world.places["b2u1"], category=Category.objects.get(code="repairs"),
                    description="楼道漏水", key="walker-indicators")
    grid_b, b2 = world.places["grid_b"].code, world.places["b2"].code
    found = []
    for name in ("indicators-dashboard", "indicators-screen", "indicators-export"):
        found += [Probe(name), Probe(name, query=f"place={grid_b}"), Probe(name, query=f"place={b2}&period=week")]
    return found

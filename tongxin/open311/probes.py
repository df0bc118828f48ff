"""Scope-walker probes: the Open311 catalogue is public (no place, no person in it)."""

from tongxin.core.registry import Probe


def probes(world) -> list[Probe]:
    found = []
    for fmt in ("json", "xml"):
        found += [Probe("open311-discovery", {"fmt": fmt}, public=True),
                  Probe("open311-services", {"fmt": fmt}, public=True),
                  Probe("open311-service", {"code": "lighting", "fmt": fmt}, public=True)]
    return found

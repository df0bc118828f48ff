"""The scope walker's requests for care's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe  # noqa: F401


def probes(world) -> list:
    return [*_register(world), *_visits(world)]


# --- the register and pairing ------------------------------------------------------------
def _register(world) -> list:
    return []


# --- visits and campaigns ----------------------------------------------------------------
def _visits(world) -> list:
    return []

"""The scope walker's requests for volunteering's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    return [Probe("volunteering-home"), *_registration(world), *_claims(world), *_activities(world), *_links(world)]


# --- registration ------------------------------------------------------------------------
def _registration(world) -> list:
    return []


# --- claims ------------------------------------------------------------------------------
def _claims(world) -> list:
    return []


# --- activities and the ledger -----------------------------------------------------------
def _activities(world) -> list:
    return []


# --- the three links ---------------------------------------------------------------------
def _links(world) -> list:
    return []

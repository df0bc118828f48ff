"""Scope-walker probes for the organisations directory."""

import datetime

from tongxin.core.models import Organisation
from tongxin.core.registry import Probe


def probes(world) -> list[Probe]:
    from tongxin.core.testing import OUTSIDE_MARKER

    outside, _ = Organisation.objects.get_or_create(
        code="walk-org-b", defaults={
            "name": f"{OUTSIDE_MARKER}党支部", "kind": "party_branch", "place": world.places["b2"],
            "started_on": datetime.date(2020, 1, 1),
        },
    )
    return [
        Probe("organisation-list"),
        Probe("organisation-list", query="kind=party_branch&ended=1"),
        Probe("organisation-detail", {"code": outside.code}),
        Probe("api:organisation-list"),
        Probe("api:organisation-detail", {"code": outside.code}),
    ]

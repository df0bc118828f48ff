"""Reads: the decisions a user may see, live turnout, the published ballot list, receipts."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from tongxin.core import access
from tongxin.voting import rules
from tongxin.voting.apps import VIEW
from tongxin.voting.models import Ballot, Decision, DecisionState, ExclusiveUnit


def visible_decisions(user):
    return Decision.objects.filter(access.path_filter(user, VIEW, "place_path")).select_related("place")


def visible_decision(user, pk) -> Decision | None:
    return visible_decisions(user).filter(pk=pk).first()


def visible_units(user, permission: str):
    return ExclusiveUnit.objects.filter(access.path_filter(user, permission, "place_path")).select_related("place")


def turnout(decision: Decision) -> dict:
    """Live turnout in one query, whatever the size: ballots and the area they carry."""
    row = Ballot.objects.filter(decision=decision).aggregate(heads=Count("id"), area=Sum("voter__area"))
    heads, area = row["heads"] or 0, row["area"] or Decimal(0)
    return {"heads": heads, "area": area, "total_heads": decision.total_heads, "total_area": decision.total_area,
            "heads_percent": rules.percent(heads, decision.total_heads),
            "area_percent": rules.percent(area, decision.total_area)}


def published_list(decision: Decision) -> list[dict]:
    """After the close: one line per ballot, receipt and answers only, in receipt order (random,
    so neither the voter's place in the register nor the time of voting shows)."""
    if decision.state != DecisionState.CLOSED:
        return []
    return list(Ballot.objects.filter(decision=decision).order_by("receipt").values("receipt", "choice", "how",
                                                                                     "picks"))


def receipt_line(decision: Decision, receipt: str) -> dict | None:
    if decision.state != DecisionState.CLOSED:
        return None
    receipt = (receipt or "").strip().upper().replace(" ", "")
    return Ballot.objects.filter(decision=decision, receipt=receipt).values("receipt", "choice", "how",
                                                                            "picks").first()


def retally(decision: Decision) -> rules.Outcome | None:
    """The outcome recomputed from the published list and group totals alone (as anyone can)."""
    if decision.state != DecisionState.CLOSED or not decision.result:
        return None
    result = decision.result
    return rules.retally_from_published(
        published_list(decision), result.get("published_area", {}), result.get("published_households", {}),
        item=decision.item, total_area=decision.total_area, total_heads=decision.total_heads,
        two_thirds=decision.two_step, count_by=decision.count_by, total_households=decision.total_households,
        election=decision.is_election, candidates=list(decision.candidates.values_list("pk", flat=True)),
        seats=decision.seats)


def matches_published(decision: Decision) -> bool:
    again = retally(decision)
    if again is None:
        return False
    stored = {key: value for key, value in decision.result.items() if key in again.as_dict()}
    return again.as_dict() == stored

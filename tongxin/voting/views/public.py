"""Public pages, no login: the result with its arithmetic, the published ballot list (receipt
and answers only) with the area totals per answer, and the receipt check."""

from django.http import Http404
from django.shortcuts import render

from tongxin.voting.models import Decision, DecisionState
from tongxin.voting.rules import group_key
from tongxin.voting.selectors import decisions as selectors
from tongxin.voting.templatetags.voting_tags import answer_label


def _closed_or_404(pk) -> Decision:
    decision = Decision.objects.select_related("place").filter(pk=pk, state=DecisionState.CLOSED).first()
    if decision is None:
        raise Http404("no published result")
    return decision


def _candidates(decision):
    names = dict(decision.candidates.values_list("pk", "name"))
    rows = []
    for row in (decision.result or {}).get("candidates", []):
        rows.append({**row, "name": names.get(row["candidate"], "")})
    return names, rows


def result(request, pk):
    decision = _closed_or_404(pk)
    names, candidates = _candidates(decision)
    area = (decision.result or {}).get("published_area", {})
    return render(request, "voting/public/result.html", {
        "decision": decision, "result": decision.result, "candidates": candidates, "area_totals": sorted(area.items()),
    })


def ballot_list(request, pk):
    decision = _closed_or_404(pk)
    names, _rows = _candidates(decision)
    lines = selectors.published_list(decision)
    for line in lines:
        line["names"] = "、".join(names.get(pk_, "") for pk_ in line["picks"])
    result = decision.result or {}
    homes = result.get("published_households", {})
    groups = []
    for key, area in sorted(result.get("published_area", {}).items()):
        if key.startswith("picks:"):
            label = "、".join(names.get(int(pk_), "") for pk_ in key[6:].split(",") if pk_) or "—"
        else:
            label = answer_label(key)
        count = sum(1 for line in lines if group_key(line["choice"], line["how"], line["picks"]) == key)
        groups.append({"label": label, "area": area, "households": homes.get(key, 0), "ballots": count})
    return render(request, "voting/public/ballots.html", {"decision": decision, "lines": lines, "groups": groups,
                                                           "matches": selectors.matches_published(decision)})


def receipt(request, pk):
    decision = _closed_or_404(pk)
    names, _rows = _candidates(decision)
    code = request.GET.get("code", "")
    line = selectors.receipt_line(decision, code) if code else None
    if line:
        line["names"] = "、".join(names.get(pk_, "") for pk_ in line["picks"])
    return render(request, "voting/public/receipt.html", {"decision": decision, "code": code, "line": line})

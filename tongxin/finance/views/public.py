"""Public pages, no login: a published quarterly statement (公开账目)."""

from django.http import Http404
from django.shortcuts import render

from tongxin.finance.models import Direction, Statement
from tongxin.finance.shares import to_yuan


def statement(request, pk):
    found = (Statement.objects.select_related("account__place", "corrects", "correction")
             .filter(pk=pk, published_at__isnull=False).first())
    if found is None:
        raise Http404("no published statement")
    # Only a published correction counts (a draft one is not public).
    correction = getattr(found, "correction", None)
    if correction is not None and correction.published_at is None:
        correction = None
    categories: dict[tuple[str, str], int] = {}
    for line in found.lines:
        key = (line["direction"], line["category"])
        categories[key] = categories.get(key, 0) + line["amount_fen"]
    labels = dict(Direction.choices)
    return render(request, "finance/public/statement.html", {
        "statement": found, "correction": correction,
        "opening": to_yuan(found.opening_fen), "income": to_yuan(found.income_fen),
        "spending": to_yuan(found.spending_fen), "closing": to_yuan(found.closing_fen),
        "categories": [{"direction": labels.get(d, d), "category": c, "amount": to_yuan(a)}
                       for (d, c), a in sorted(categories.items())],
        "lines": [{**line, "direction_label": labels.get(line["direction"], ""), "amount": to_yuan(line["amount_fen"])}
                  for line in found.lines],
    })

"""Finance's reads (``docs/finance.md``): a published statement as its page and PDF show it,
the questions on its lines, and the questions a keeper has to answer. Query counts do not
grow with the lines or the questions."""

from __future__ import annotations

from django.db.models import Q

from tongxin.core import access
from tongxin.core.privacy import mask_name
from tongxin.finance.apps import KEEP
from tongxin.finance.models import Direction, LineQuestion, Statement
from tongxin.finance.shares import to_yuan

#: Answered questions shown at most on the staff page (newest first); unanswered are all shown.
ANSWERED_SHOWN = 100


def published(pk) -> Statement | None:
    return (Statement.objects.select_related("account__place", "corrects", "correction")
            .filter(pk=pk, published_at__isnull=False).first())


def asker_name(question: LineQuestion) -> str:
    """The asker, masked (张**): the page is public."""
    person = question.asked_by.person if question.asked_by.person_id else None
    return mask_name(person.name) if person else ""


def statement_view(found: Statement, user=None) -> dict:
    """What the public page and the PDF show: totals, by category, every line with its
    answered questions (and the viewer's own pending ones). Two statements at most."""
    correction = getattr(found, "correction", None)
    if correction is not None and correction.published_at is None:
        correction = None   # only a published correction counts (a draft one is not public)
    categories: dict[tuple[str, str], int] = {}
    for line in found.lines:
        key = (line["direction"], line["category"])
        categories[key] = categories.get(key, 0) + line["amount_fen"]
    labels = dict(Direction.choices)
    shown = Q(answered_at__isnull=False)
    if user is not None and user.is_authenticated:
        shown |= Q(asked_by=user)
    by_line: dict[int, list[dict]] = {}
    for question in (LineQuestion.objects.filter(shown, statement=found)
                     .select_related("asked_by__person").order_by("asked_at", "id")):
        by_line.setdefault(question.entry_id, []).append({
            "question": question, "asker": asker_name(question),
            "mine": user is not None and question.asked_by_id == getattr(user, "pk", None),
        })
    return {
        "statement": found, "correction": correction,
        "opening": to_yuan(found.opening_fen), "income": to_yuan(found.income_fen),
        "spending": to_yuan(found.spending_fen), "closing": to_yuan(found.closing_fen),
        "categories": [{"direction": labels.get(d, d), "category": c, "amount": to_yuan(a)}
                       for (d, c), a in sorted(categories.items())],
        "lines": [{**line, "direction_label": labels.get(line["direction"], ""), "amount": to_yuan(line["amount_fen"]),
                   "questions": by_line.get(line["entry"], [])}
                  for line in found.lines],
    }


def to_answer(user) -> tuple[list[dict], list[dict]]:
    """(unanswered, answered) questions at the compounds ``user`` keeps the books of: the
    unanswered oldest first, each with its line; the latest answered ones below."""
    kept = LineQuestion.objects.filter(access.path_filter(user, KEEP, "statement__account__place_path"))
    related = ("statement__account__place", "asked_by__person", "answered_by__person")
    waiting = list(kept.filter(answered_at__isnull=True).select_related(*related).order_by("asked_at", "id"))
    answered = list(kept.filter(answered_at__isnull=False).select_related(*related)
                    .order_by("-answered_at", "-id")[:ANSWERED_SHOWN])
    labels = dict(Direction.choices)

    def row(question: LineQuestion) -> dict:
        line = next((x for x in question.statement.lines if x.get("entry") == question.entry_id), {})
        return {"question": question, "asker": asker_name(question), "line": {
            **line, "direction_label": labels.get(line.get("direction"), ""),
            "amount": to_yuan(line["amount_fen"]) if "amount_fen" in line else ""}}

    return [row(q) for q in waiting], [row(q) for q in answered]

"""Finance's reads (``docs/finance.md``), every one scoped with ``core.access``: the staff's
books (``finance.view`` at the account's compound), a published statement as its page and PDF
show it, the questions on its lines, and the questions a keeper has to answer. Query counts do
not grow with the entries, the lines or the questions."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tongxin.core import access
from tongxin.core.pagination import by_value_page
from tongxin.core.privacy import mask_name, mask_phone
from tongxin.finance import rules
from tongxin.finance.apps import KEEP, VIEW
from tongxin.finance.models import Account, Direction, Entry, LineQuestion, Statement
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


# --- the staff's books ---------------------------------------------------------------------
PAGE_SIZE = 30


def accounts(user):
    """The accounts at the compounds the user may see, each with its balance (opening plus
    approved income minus approved spending) and its entries awaiting approval: one query."""
    approved = Q(entries__approved_by__isnull=False)
    return (Account.objects.filter(access.path_filter(user, VIEW, "place_path")).select_related("place")
            .annotate(income_fen=Coalesce(Sum("entries__amount_fen",
                                              filter=approved & Q(entries__direction=rules.INCOME)), Value(0)),
                      spending_fen=Coalesce(Sum("entries__amount_fen",
                                                filter=approved & Q(entries__direction=rules.SPENDING)), Value(0)),
                      waiting=Count("entries", filter=Q(entries__approved_by__isnull=True)))
            .order_by("place_path", "kind"))


def account_for(user, pk) -> Account:
    """The account if the user may see its compound's books; 404 otherwise (no hint it exists)."""
    found = Account.objects.select_related("place").filter(pk=pk).first()
    if found is None or not access.can_see_path(user, VIEW, found.place_path):
        raise Http404("no such account")
    return found


def entry_for(user, pk, permission: str = VIEW) -> Entry:
    found = Entry.objects.select_related("account__place").filter(pk=pk).first()
    if found is None or not access.can_see_path(user, permission, found.account.place_path):
        raise Http404("no such entry")
    return found


def statement_for(user, pk) -> Statement:
    found = Statement.objects.select_related("account__place", "corrects", "correction").filter(pk=pk).first()
    if found is None or not access.can_see_path(user, VIEW, found.account.place_path):
        raise Http404("no such statement")
    return found


def parse_quarter(text: str) -> tuple[int, int] | None:
    """``"2026-3"`` → (2026, 3); anything else → None (no filter)."""
    year, _sep, quarter = (text or "").partition("-")
    if year.isdigit() and quarter in ("1", "2", "3", "4") and 2000 <= int(year) <= 2100:
        return int(year), int(quarter)
    return None


def who(user) -> str:
    """A staff member as the ledger names them: their name, else their phone masked."""
    if user is None:
        return ""
    return user.name or mask_phone(user.phone)


def ledger_page(account: Account, *, quarter: tuple[int, int] | None, cursor: str, size: int = PAGE_SIZE):
    """Entries newest first, keyset-paged on (date, id); the same few queries for any page."""
    entries = (Entry.objects.filter(account=account)
               .select_related("entered_by", "approved_by", "reviewed_by", "decision"))
    if quarter:
        start, end = rules.quarter_bounds(*quarter)
        entries = entries.filter(date__gte=start, date__lt=end)
    rows, following = by_value_page(entries, "date", cursor, size, parse=datetime.date.fromisoformat,
                                    descending=True)
    return rows, following


def quarters(account: Account) -> list[tuple[str, int, int]]:
    """The quarters the account has entries in, newest first (for the filter): ("2026-3", 2026, 3)."""
    found = set()
    for day in Entry.objects.filter(account=account).dates("date", "month", order="DESC"):
        found.add((day.year, (day.month - 1) // 3 + 1))
    return [(f"{y}-{q}", y, q) for y, q in sorted(found, reverse=True)]


def statements(account: Account):
    return Statement.objects.filter(account=account).select_related("corrects").order_by("-year", "-quarter", "-id")


def fund_decisions(account: Account):
    """The owners' decisions a maintenance-fund spending may cite (``rules.check_fund_citation``):
    closed, passed, art. 278 item 5, taken at the compound or a place containing it."""
    from tongxin.voting.models import Decision

    if account.kind != rules.MAINTENANCE_FUND:
        return Decision.objects.none()
    path = account.place.path
    return (Decision.objects.filter(state="closed", passed=True, item=rules.USE_FUND_ITEM,
                                    place__path__lte=path, place__path_end__gt=path)
            .select_related("place").order_by("-id"))


def awaiting_approval(user) -> int:
    """Entries not yet approved at the compounds where the user keeps the books."""
    return Entry.objects.filter(access.path_filter(user, KEEP, "account__place_path"),
                                approved_by__isnull=True).count()

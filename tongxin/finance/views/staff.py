"""Staff pages of the books (账目公开): accounts and balances, the ledger, the entry form,
approval and review, statements, the voucher. Thin: reads through ``selectors``, writes
through ``services``; every page is scoped to ``finance.view`` at the account's compound
(404 elsewhere), every write to ``finance.keep`` (checked again by the services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.finance import selectors, vouchers
from tongxin.finance.apps import KEEP, VIEW
from tongxin.finance.forms import COMMON_CATEGORIES, CorrectForm, EntryForm, GenerateForm
from tongxin.finance.models import AccountKind, Direction
from tongxin.finance.services import ledger, statements
from tongxin.finance.shares import to_yuan


def _require_view(user) -> None:
    if not access.has_permission(user, VIEW):
        raise PermissionDenied


def _keeps(user, account) -> bool:
    return access.can_see_path(user, KEEP, account.place_path)


@login_required
def books(request):
    """The accounts at one's compounds with their balances; "open an account" for keepers."""
    _require_view(request.user)
    keeps = access.has_permission(request.user, KEEP)
    compounds = (Place.objects.filter(access.path_filter(request.user, KEEP), kind="compound").order_by("path")[:300]
                 if keeps else [])
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        place = Place.objects.filter(access.path_filter(request.user, KEEP), kind="compound",
                                     code=request.POST.get("place", "")).first()
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择小区", "Choose a compound")
            account = ledger.open_account(request.user, place, request.POST.get("kind", ""),
                                          opening_yuan=request.POST.get("opening", "").strip() or "0")
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            return redirect("finance-ledger", pk=account.pk)
    rows = list(selectors.accounts(request.user)[:300])
    for row in rows:
        row.balance = to_yuan(row.opening_fen + row.income_fen - row.spending_fen)
    return render(request, "finance/staff/books.html", {
        "accounts": rows, "keeps": keeps, "compounds": compounds, "kinds": AccountKind.choices,
        "values": request.POST if request.method == "POST" else {},
    })


@login_required
def ledger_view(request, pk):
    """An account's entries, newest first, keyset-paged, filtered by quarter."""
    account = selectors.account_for(request.user, pk)
    quarter_text = request.GET.get("quarter", "")
    quarter = selectors.parse_quarter(quarter_text)
    rows, following = selectors.ledger_page(account, quarter=quarter, cursor=request.GET.get("after", ""))
    for row in rows:
        row.amount = to_yuan(row.amount_fen)
        row.entered_name = selectors.who(row.entered_by)
        row.approved_name = selectors.who(row.approved_by)
        row.reviewed_name = selectors.who(row.reviewed_by)
    return render(request, "finance/staff/ledger.html", {
        "account": account, "rows": rows, "following": following, "keeps": _keeps(request.user, account),
        "quarter": f"{quarter[0]}-{quarter[1]}" if quarter else "", "quarters": selectors.quarters(account),
    })


@login_required
def entry_new(request, pk):
    """A new entry: amount in yuan, a voucher checked from its bytes; a maintenance-fund
    spending cites an owners' decision. Nothing typed is lost on a refusal."""
    account = selectors.account_for(request.user, pk)
    if not _keeps(request.user, account):
        raise Http404("not a keeper here")
    decisions = selectors.fund_decisions(account) if account.kind == AccountKind.MAINTENANCE_FUND else None
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, decisions=decisions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # a double-clicked submit enters once (core.once)
                    once.claim(data["form_key"], request.user)
                    ledger.enter(request.user, account, date=data["date"], direction=data["direction"],
                                 category=data["category"], amount_yuan=data["amount"],
                                 description=data["description"], decision=data.get("decision"),
                                 voucher=data.get("voucher"))
            except RefusedError as refused:
                if refused.code == "already_submitted":
                    messages.info(request, refused.message)
                    return redirect("finance-ledger", pk=account.pk)
                form.refuse(refused)
            else:
                messages.success(request, _("The entry is recorded. Another person approves it."))
                return redirect("finance-ledger", pk=account.pk)
        status = 400
    else:
        form, status = EntryForm(decisions=decisions), 200
    return render(request, "finance/staff/entry_form.html", {
        "account": account, "form": form, "categories": sorted({c for cs in COMMON_CATEGORIES.values() for c in cs}),
        "is_fund": decisions is not None, "file_was_sent": bool(request.FILES),
    }, status=status)


def _entry_action(request, pk):
    entry = selectors.entry_for(request.user, pk)
    if not _keeps(request.user, entry.account):
        raise Http404("not a keeper here")
    return entry


def _back(request, entry):
    url = reverse("finance-ledger", args=[entry.account_id])
    back = request.POST.get("back", "")
    # Only back to this ledger (a quarter or a page of it), never elsewhere.
    return redirect(back if back.startswith(url) and "//" not in back else url)


@login_required
@require_POST
def entry_approve(request, pk):
    entry = _entry_action(request, pk)
    try:
        ledger.approve(request.user, entry)
    except RefusedError as refused:
        if refused.code == "already_approved":  # a double click, or a colleague was quicker
            messages.info(request, refused.message)
        else:
            messages.error(request, refused.message)
    else:
        messages.success(request, _("The entry is approved."))
    return _back(request, entry)


@login_required
@require_POST
def entry_review(request, pk):
    entry = _entry_action(request, pk)
    ledger.review(request.user, entry, request.POST.get("note", ""))  # a second click writes the same mark
    messages.success(request, _("Your review is noted."))
    return _back(request, entry)


def voucher(request, pk):
    """The entry's scan, only to those who may see the compound's books (never a MEDIA url);
    404 to anyone else, signed in or not (no hint that the entry exists)."""
    entry = selectors.entry_for(request.user, pk)
    if not entry.voucher:
        raise Http404("no voucher")
    try:
        content_type = vouchers.content_type_of(entry.voucher)
    except FileNotFoundError:
        raise Http404("voucher file missing") from None
    if content_type is None:
        raise Http404("not a voucher we serve")
    extension = entry.voucher.name.rsplit(".", 1)[-1]
    response = FileResponse(entry.voucher.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="voucher-{entry.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def statement_list(request, pk):
    """An account's statements with their state; "generate a draft" for a quarter (keepers)."""
    account = selectors.account_for(request.user, pk)
    keeps = _keeps(request.user, account)
    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1
    last_year, last_quarter = (today.year, current - 1) if current > 1 else (today.year - 1, 4)
    if request.method == "POST":
        if not keeps:
            raise Http404("not a keeper here")
        form = GenerateForm(request.POST)
        if form.is_valid():
            try:
                draft = statements.generate(request.user, account, form.cleaned_data["year"],
                                            form.cleaned_data["quarter"])
            except RefusedError as refused:
                messages.error(request, refused.message)
            else:
                return redirect("finance-statement-draft", pk=draft.pk)
    else:
        form = GenerateForm(initial={"year": last_year, "quarter": last_quarter})
    return render(request, "finance/staff/statements.html", {
        "account": account, "statements": selectors.statements(account), "keeps": keeps, "form": form,
    })


@login_required
def statement_draft(request, pk):
    """A statement for staff: a draft's preview (publish) or a published one (correct)."""
    found = selectors.statement_for(request.user, pk)
    keeps = _keeps(request.user, found.account)
    correct_form = CorrectForm()
    if request.method == "POST":
        if not keeps:
            raise Http404("not a keeper here")
        action = request.POST.get("action", "")
        try:
            if action == "publish":
                if not request.POST.get("confirm"):
                    raise RefusedError("confirm_publish", "请勾选确认：公开后不能修改",
                                       "Tick the box to confirm: once published it cannot change")
                found = statements.publish(request.user, found)
                messages.success(request, _("The statement is published on the compound's notice board."))
                return redirect("finance-statement-draft", pk=found.pk)
            if action == "correct":
                correct_form = CorrectForm(request.POST)
                if correct_form.is_valid():
                    draft = statements.generate(request.user, found.account, found.year, found.quarter,
                                                corrects=found, reason=correct_form.cleaned_data["reason"])
                    messages.success(request, _("A draft correction is ready; check it, then publish it."))
                    return redirect("finance-statement-draft", pk=draft.pk)
        except RefusedError as refused:
            if refused.code == "statement_frozen" and action == "publish":  # a double click
                messages.info(request, _("This statement is already published."))
                return redirect("finance-statement-draft", pk=found.pk)
            messages.error(request, refused.message)
    categories: dict[tuple[str, str], int] = {}
    for line in found.lines:
        key = (line["direction"], line["category"])
        categories[key] = categories.get(key, 0) + line["amount_fen"]
    labels = dict(Direction.choices)
    correction = getattr(found, "correction", None)
    return render(request, "finance/staff/statement.html", {
        "statement": found, "keeps": keeps, "correct_form": correct_form, "correction": correction,
        "opening": to_yuan(found.opening_fen), "income": to_yuan(found.income_fen),
        "spending": to_yuan(found.spending_fen), "closing": to_yuan(found.closing_fen),
        "categories": [{"direction": labels.get(d, d), "category": c, "amount": to_yuan(a)}
                       for (d, c), a in sorted(categories.items())],
        "lines": [{**line, "direction_label": labels.get(line["direction"], ""),
                   "amount": to_yuan(line["amount_fen"])} for line in found.lines],
        # Only the latest published statement of its quarter may be corrected (the service says so too).
        "can_correct": keeps and found.published_at is not None
        and (correction is None or correction.published_at is None),
    }, status=400 if request.method == "POST" else 200)

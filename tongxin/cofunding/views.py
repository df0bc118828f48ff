"""Co-funded projects' pages: the staff list, a new project, a project's page (sources,
shares by building, households with masked names, payments, progress, final accounts), a
resident's own shares, and the public page linked from the notice board."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.cofunding import rules, selectors, services
from tongxin.cofunding.apps import MANAGE, VIEW
from tongxin.cofunding.models import OwnersRule, Project, SourceKind, State
from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.pagination import newest_first_page

SOURCE_ROWS = 5
PAGE = 100


@login_required
def project_list(request):
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied
    found = (selectors.visible(request.user).select_related("place")
             .annotate(due=Sum("shares__amount_fen"), paid=Sum("shares__paid_fen"), households=Count("shares")))
    rows, following = newest_first_page(found, request.GET.get("before", ""), 50)
    for row in rows:
        row.rate = rules.rate(row.paid or 0, row.due or 0)
    return render(request, "cofunding/list.html", {
        "rows": rows, "following": following, "can_create": access.has_permission(request.user, MANAGE),
    })


def _sources(post) -> list[services.SourceInput]:
    found = []
    for n in range(1, SOURCE_ROWS + 1):
        name, fixed, share = (post.get(f"s{n}_{k}", "").strip() for k in ("name", "fixed", "percent"))
        if not (name or fixed or share):
            continue
        what = name or _("Source %(n)s") % {"n": n}
        found.append(services.SourceInput(
            kind=post.get(f"s{n}_kind", ""), name=name,
            fixed_fen=services.yuan_to_fen(fixed, what) if fixed else None,
            percent=services.percent(share) if share else None,
        ))
    return found


@login_required
def project_new(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    compounds = list(selectors.compounds(request.user)[:100])
    names = {c.pk: c.name for c in compounds}
    buildings = [(b, names[b.parent_id]) for b in selectors.buildings_of(names)]
    decisions = list(selectors.approving_decisions(request.user)[:100])
    values = request.POST if request.method == "POST" else {
        "s1_kind": SourceKind.POLICY, "s1_name": _("Policy funds"),
        "s2_kind": SourceKind.COMMITTEE, "s2_name": _("Owners' committee income"), "s2_percent": "50",
        "s3_kind": SourceKind.OWNERS, "s3_name": _("Owners who benefit"), "s3_percent": "50",
    }
    if request.method == "POST":
        post = request.POST
        try:
            compound = next((c for c in compounds if str(c.pk) == post.get("compound", "")), None)
            if compound is None:
                raise RefusedError("place_missing", "请选择小区", "Choose the compound")
            decision_id = post.get("decision", "")
            decision = next((d for d in decisions if str(d.pk) == decision_id), None) if decision_id else None
            project = services.create(
                request.user, compound, title=post.get("title", ""), description=post.get("description", ""),
                budget_fen=services.yuan_to_fen(post.get("budget", ""), _("Budget")),
                owners_rule=post.get("owners_rule", ""),
                buildings=[b for b in post.getlist("buildings") if b.isdigit()],
                sources=_sources(post), decision=decision,
            )
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The project is created as a draft."))
            return redirect("cofunding-project", pk=project.pk)
    return render(request, "cofunding/new.html", {
        "compounds": compounds, "buildings": buildings, "decisions": decisions, "values": values,
        "chosen": set(values.getlist("buildings")) if hasattr(values, "getlist") else set(),
        "rules": OwnersRule.choices, "kinds": SourceKind.choices,
        "source_rows": [(n, values.get(f"s{n}_kind", ""), values.get(f"s{n}_name", ""),
                         values.get(f"s{n}_fixed", ""), values.get(f"s{n}_percent", ""))
                        for n in range(1, SOURCE_ROWS + 1)],
    })


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise RefusedError("date_invalid", "日期格式不对", "Not a date") from None


def _spent_lines(raw: str) -> list[tuple[str, int]]:
    """"电梯设备 180000" per line: the item, then its amount in yuan."""
    lines = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        description, _sep, amount = line.strip().rpartition(" ")
        if not description.strip():
            raise RefusedError("spent_line", f"这一行缺少金额：{line.strip()}",
                               f"This line has no amount: {line.strip()}")
        lines.append((description.strip(), services.yuan_to_fen(amount, description.strip())))
    return lines


def _act(request, project: Project) -> str:
    post, action = request.POST, request.POST.get("action", "")
    if action == "compute":
        services.compute_shares(request.user, project)
        return _("The shares are computed again from the register.")
    if action == "open":
        services.open_collection(request.user, project)
        return _("Collection is open; the shares are frozen and the project is on the notice board.")
    if action == "start":
        services.start_work(request.user, project)
        return _("The work has started.")
    if action == "progress":
        services.add_progress(request.user, project, date=_date(post.get("date", "")), text=post.get("text", ""))
        return _("The progress is published.")
    if action == "pay":
        share = selectors.share_of(project, post.get("share", ""))
        if share is None:
            raise RefusedError("share_missing", "请选择缴款的住户", "Choose the household that paid")
        amount = services.yuan_to_fen(post.get("amount", ""), _("Amount"))
        services.record_payment(request.user, share, amount_fen=amount, receipt_no=post.get("receipt_no", ""))
        return _("The payment is recorded.")
    if action == "complete":
        services.complete(request.user, project, items=_spent_lines(post.get("items", "")), note=post.get("note", ""))
        return _("The project is completed and its final accounts are published.")
    raise RefusedError("action_unknown", "未知操作", "Unknown action")


@login_required
def project_detail(request, pk):
    project = get_object_or_404(Project.objects.select_related("place", "decision", "created_by"), pk=pk)
    if not access.can_see_path(request.user, VIEW, project.place_path):
        raise Http404
    manages = selectors.can_manage(request.user, project)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        try:
            done = _act(request, project)
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, done)
        return redirect("cofunding-project", pk=project.pk)
    after = request.GET.get("after", "")
    building = request.GET.get("building", "")
    rows, following = selectors.shares_page(project, int(after) if after.isdigit() else None, PAGE,
                                            int(building) if building.isdigit() else None)
    paying = selectors.share_of(project, request.GET.get("pay", "")) if manages else None
    if paying is not None:
        paying.head_masked = ""
    return render(request, "cofunding/detail.html", {
        "project": project, "manages": manages, "sources": project.sources.all(),
        "totals": selectors.totals(project), "buildings": selectors.by_building(project),
        "rows": rows, "following": following, "building": building, "paying": paying,
        "progress": project.progress.all(), "spent": project.spent_items.all(),
        "spent_total": project.spent_items.aggregate(t=Sum("amount_fen"))["t"] or 0,
        "allows": {a for a in ("compute_shares", "open", "start", "pay", "progress", "complete")
                   if rules.allows(project.state, a)},
        "today": timezone.localdate().isoformat(), "draft": project.state == State.DRAFT,
    })


@login_required
def mine(request):
    """A resident's own household's shares and what is paid."""
    return render(request, "cofunding/mine.html", {"shares": selectors.mine(request.user)})


def public(request, pk):
    """No login (linked from the notice): budget, sources, per-building totals and collection
    rate, progress, final accounts. No names and no household's amount."""
    project = selectors.public(pk)
    if project is None:
        raise Http404("no published project")
    spent = list(project.spent_items.all())
    spent_total = sum(item.amount_fen for item in spent)
    return render(request, "cofunding/public/project.html", {
        "project": project, "sources": project.sources.all(), "totals": selectors.totals(project),
        "buildings": selectors.by_building(project), "progress": project.progress.all(), "spent": spent,
        "spent_total": spent_total, "balance": project.budget_fen - spent_total,
    })


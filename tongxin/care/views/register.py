"""The care register's pages: the list (unpaired first, by building), putting a resident on the
register, a subject's page (details, emergency contacts, categories, pairing, closing), and a
helper's own subjects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.care.apps import MANAGE, VIEW
from tongxin.care.models import HelperRole, Pairing, RiskLevel
from tongxin.care.selectors import register as selectors
from tongxin.care.services import register as services
from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person
from tongxin.core.services.people import is_child
from tongxin.core.tags import TAG_BY_CODE


def _categories():
    return [(code, TAG_BY_CODE[code].label, TAG_BY_CODE[code].needs_consent) for code in services.CARE_CATEGORIES]


def _contacts(post) -> list:
    names, relations, phones = post.getlist("contact_name"), post.getlist("contact_relation"), post.getlist(
        "contact_phone")
    found = []
    for index, name in enumerate(names):
        relation = relations[index] if index < len(relations) else ""
        phone = phones[index] if index < len(phones) else ""
        if name.strip() or phone.strip():
            found.append(services.Contact(name, relation, phone))
    return found


@login_required
def subjects(request):
    if not access.has_permission(request.user, VIEW):
        raise Http404("no care register here")
    q = request.GET.get("q", "")
    closed = request.GET.get("closed") == "1"
    unpaired, paired, more = selectors.register_list(request.user, q=q, closed=closed)
    selectors.log_reads(request.user, [*unpaired, *paired], "care register list")
    return render(request, "care/register/list.html", {
        "unpaired": unpaired, "paired": paired, "more": more, "q": q, "closed": closed,
        "manager": access.has_permission(request.user, MANAGE),
    })


@login_required
def subject_new(request):
    """Search a resident of one's places by name or unit, then the register form."""
    if not access.has_permission(request.user, MANAGE):
        raise Http404("not a care manager")
    values = request.POST if request.method == "POST" else request.GET
    person = selectors.resident(request.user, values.get("person", ""))
    error = None
    if request.method == "POST":
        try:
            if person is None:
                raise RefusedError("person_missing", "请先选择居民", "Choose a resident first")
            with transaction.atomic():
                once.claim(request.POST.get("form_key", ""), request.user)
                subject = services.register(
                    request.user, person, categories=request.POST.getlist("categories"),
                    consent_by=request.POST.get("consent_by", ""), by_guardian=request.POST.get("by_guardian") == "1",
                    risk=request.POST.get("risk", ""), needs=request.POST.get("needs", ""),
                    health_notes=request.POST.get("health_notes", ""),
                    visit_every_days=request.POST.get("visit_every_days", ""), contacts=_contacts(request.POST))
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("On the care register. Pair a helper now."))
            return HttpResponseRedirect(reverse("care-subject", args=[subject.pk]))
    q = request.GET.get("q", "")
    typed = _contacts(request.POST) if request.method == "POST" else []
    return render(request, "care/register/new.html", {
        "q": q, "found": selectors.residents(request.user, q) if person is None else [], "person": person,
        "child": person is not None and is_child(person), "categories": _categories(), "risks": RiskLevel.choices,
        "values": request.POST, "chosen": request.POST.getlist("categories"), "error": error,
        "form_key": once.new_key(), "contacts": typed, "contact_rows": range(max(len(typed) + 1, 3)),
    }, status=400 if error else 200)


def _subject_or_404(request, pk):
    subject = selectors.visible_subject(request.user, pk)
    if subject is None:
        raise Http404("no such care subject here")
    return subject


def _withdrawals(subject) -> list:
    rows = list(subject.withdrawals.select_related("withdrawn_by__person")[:20])
    for row in rows:
        row.label = TAG_BY_CODE[row.tag].label if row.tag in TAG_BY_CODE else row.tag
    return rows


def _detail(request, subject, *, error=None, status=200):
    row = selectors.shown(request.user, subject)
    manager = selectors.can_manage(request.user, subject)
    if row.unmasked:
        selectors.log_reads(request.user, [row], f"care subject {subject.pk}")
    contacts = list(subject.contacts.all()) if row.unmasked else []
    q = request.GET.get("helper_q", "")
    held = {t.tag for t in subject.person.tag_rows}
    held_categories = [(code, TAG_BY_CODE[code].label, TAG_BY_CODE[code].needs_consent)
                       for code in services.CARE_CATEGORIES if code in held] if manager else []
    withdrawing = request.GET.get("withdraw", "") if manager else ""
    confirm = next((c for c in held_categories if c[0] == withdrawing and c[2]), None)
    return render(request, "care/register/detail.html", {
        "row": row, "subject": subject, "manager": manager, "contacts": contacts,
        "pairings": subject.live_pairings, "history": selectors.history(subject) if manager else [],
        "candidates": selectors.candidate_rows(request.user, subject, q) if manager and not subject.closed_on else [],
        "helper_q": q, "helper_roles": HelperRole.choices, "risks": RiskLevel.choices, "categories": _categories(),
        "held": held, "child": is_child(subject.person), "held_categories": held_categories,
        "confirm_withdraw": confirm,
        "withdrawals": _withdrawals(subject) if manager else [],
        "contact_rows": range(max(len(contacts) + 1, 3)) if manager else [], "error": error,
        "viewer": access.has_permission(request.user, VIEW),
    }, status=status)


@login_required
def subject(request, pk):
    subject = _subject_or_404(request, pk)
    if request.method != "POST":
        return _detail(request, subject)
    if not selectors.can_manage(request.user, subject):
        raise Http404("not allowed")
    post, action = request.POST, request.POST.get("action", "")
    try:
        if action == "update":
            services.update(request.user, subject, risk=post.get("risk", ""), needs=post.get("needs", ""),
                            health_notes=post.get("health_notes", ""),
                            visit_every_days=post.get("visit_every_days", ""), contacts=_contacts(post))
            done = _("Saved.")
        elif action == "category":
            services.add_category(request.user, subject, post.get("category", ""),
                                  consent_by=post.get("consent_by", ""), by_guardian=post.get("by_guardian") == "1")
            done = _("Category added.")
        elif action == "withdraw":
            services.withdraw_category(request.user, subject, post.get("category", ""), reason=post.get("reason", ""))
            done = _("Consent withdrawn; the category is removed.")
        elif action == "pair":
            chosen = post.get("helper", "")
            helper = Person.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
            if helper is None:
                raise RefusedError("helper_missing", "请选择结对人", "Choose a helper")
            role = post.get("role", "") or next((row["role"] for row in selectors.candidate_rows(
                request.user, subject) if row["person"].pk == helper.pk), "neighbour")
            services.pair(request.user, subject, helper, role)
            done = _("Paired. The helper is told.")
        elif action == "unpair":
            chosen = post.get("pairing", "")
            pairing = Pairing.objects.filter(pk=int(chosen), subject=subject).first() if chosen.isdigit() else None
            if pairing is None:
                raise RefusedError("pairing_missing", "找不到该结对", "No such pairing")
            services.end_pairing(request.user, pairing)
            done = _("Pairing ended.")
        elif action == "close":
            services.close(request.user, subject, post.get("reason", ""))
            done = _("Left the care register.")
        else:
            raise RefusedError("action_unknown", "未知操作", "Unknown action")
    except RefusedError as refused:
        return _detail(request, selectors.visible_subject(request.user, pk), error=refused.message, status=400)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("care-subject", args=[subject.pk]))


@login_required
def my_subjects(request):
    """A helper's own live subjects with their details and emergency contacts (each read logged)."""
    rows = selectors.my_subjects(request.user)
    selectors.log_reads(request.user, rows, "care: my paired subjects")
    return render(request, "care/register/mine.html", {"rows": rows})

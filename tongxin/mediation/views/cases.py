"""The case files' pages: the list (keyset-paged), opening a case, a case's page with every
step as a small form, the agreement as a PDF, a signature's scan, and a mediator's own cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person, Place
from tongxin.core.roles import VIEW_REGISTER
from tongxin.mediation import rules
from tongxin.mediation.apps import MANAGE
from tongxin.mediation.models import (
    AgreementForm,
    CaseType,
    Channel,
    ConfirmationOutcome,
    HandOffTo,
    Kept,
    Signature,
    State,
)
from tongxin.mediation.selectors import cases as selectors
from tongxin.mediation.services import cases as services

CASE_PLACE_KINDS = ("community", "village", "compound", "villager_group", "courtyard", "building")


@login_required
def case_list(request):
    if not access.has_permission(request.user, MANAGE):
        raise Http404("no mediation cases here")
    return _list(request, mine=False)


@login_required
def my_cases(request):
    return _list(request, mine=True)


def _list(request, *, mine: bool):
    get = request.GET
    rows, next_before = selectors.case_list(
        request.user, state=get.get("state", "") if get.get("state") in State.values else "",
        case_type=get.get("type", "") if get.get("type") in CaseType.values else "",
        overdue=get.get("overdue") == "1", q=get.get("q", "")[:50], before=get.get("before", ""), mine=mine)
    today = timezone.localdate()
    for case in rows:
        case.overdue = rules.is_overdue(case.state, case.deadline, today)
    return render(request, "mediation/list.html", {
        "rows": rows, "next_before": next_before, "mine": mine, "states": State.choices, "types": CaseType.choices,
        "filters": get, "manager": not mine and access.has_permission(request.user, MANAGE),
    })


def _case_places(user):
    return list(Place.objects.filter(access.path_filter(user, MANAGE), kind__in=CASE_PLACE_KINDS,
                                     retired_on__isnull=True).order_by("path")[:300])


def _typed_parties(post) -> list:
    names, phones = post.getlist("party_name"), post.getlist("party_phone")
    return [services.PartyInput(name=name, phone=phones[i] if i < len(phones) else "")
            for i, name in enumerate(names)]


@login_required
def case_new(request):
    if not access.has_permission(request.user, MANAGE):
        raise Http404("not a mediation manager")
    values = request.POST if request.method == "POST" else request.GET
    chosen_ids = [int(v) for v in values.getlist("person") if v.isdigit()]
    visible = Person.objects.filter(access.person_filter(request.user, VIEW_REGISTER))
    chosen = list(visible.filter(pk__in=chosen_ids).order_by("name")) if chosen_ids else []
    error = None
    if request.method == "POST":
        post = request.POST
        place = Place.objects.filter(pk=post.get("place")).first() if post.get("place", "").isdigit() else None
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择纠纷发生地", "Choose where the dispute is")
            with transaction.atomic():
                once.claim(post.get("form_key", ""), request.user)
                case = services.open_case(
                    request.user, place, title=post.get("title", ""), case_type=post.get("case_type", ""),
                    channel=post.get("channel", ""), applicant=post.get("applicant", ""),
                    referred_by=post.get("referred_by", ""), facts=post.get("facts", ""),
                    parties=[services.PartyInput(person=p) for p in chosen] + _typed_parties(post))
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Case registered. Accept it or decline it."))
            return HttpResponseRedirect(reverse("mediation-case", args=[case.pk]))
    q = request.GET.get("q", "").strip()
    found = list(visible.filter(name__icontains=q, household__isnull=False).order_by("name")[:20]) if q else []
    return render(request, "mediation/new.html", {
        "places": _case_places(request.user), "types": CaseType.choices, "channels": Channel.choices,
        "values": values, "found": found, "chosen": chosen, "q": q, "error": error, "form_key": once.new_key(),
        "party_rows": range(3),
    }, status=400 if error else 200)


def _case_or_404(request, pk):
    case = selectors.visible_case(request.user, pk)
    if case is None:
        raise Http404("no such case here")
    return case


def _detail(request, case, *, error=None, status=200):
    manager = selectors.can_manage(request.user, case)
    reveal = request.GET.get("phones") == "1"
    agreement = selectors.related(case, "agreement")
    signed = {s.party_id: s for s in agreement.signatures.all()} if agreement else {}
    parties = selectors.parties(request.user, case, reveal=reveal, context=f"mediation case {case.pk}")
    for row in parties:
        row.signature = signed.get(row.party.pk)
    confirmation_last = (services.confirmation_last_day(agreement.effective_on)
                         if agreement and agreement.effective_on else None)
    return render(request, "mediation/detail.html", {
        "case": case, "manager": manager, "parties": parties, "reveal": reveal, "agreement": agreement,
        "confirmation": selectors.related(case, "confirmation"), "hand_off": selectors.related(case, "hand_off"),
        "actions": rules.allowed_actions(case.state), "deadline": selectors.deadline_info(case),
        "confirmation_last": confirmation_last, "today": timezone.localdate(),
        "candidates": services.mediator_candidates(case) if manager and case.state not in rules.FINAL_STATES else [],
        "types": CaseType.choices, "forms": AgreementForm.choices, "kept": Kept.choices,
        "hand_off_to": HandOffTo.choices,
        "confirmation_outcomes": [c for c in ConfirmationOutcome.choices if c[0] != "pending"],
        "error": error, "final": case.state in rules.FINAL_STATES,
    }, status=status)


def _post(request, case):
    post, user, action = request.POST, request.user, request.POST.get("action", "")
    if action == "accept":
        services.accept(user, case)
        return _("Accepted. The deadline is one month from today.")
    if action == "decline":
        services.decline(user, case, post.get("reason", ""))
        return _("Declined.")
    if action == "mediator":
        chosen = post.get("person", "")
        person = Person.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if person is None:
            raise RefusedError("mediator_missing", "请选择调解员", "Choose a mediator")
        services.add_mediator(user, case, person)
        return _("Mediator added.")
    if action == "unmediator":
        if not selectors.can_manage(user, case):
            raise RefusedError("not_allowed", "您不能管理这里的调解案件", "You may not keep the mediation cases here")
        services.remove_mediator(user, case, int(post.get("mediator", "0") or 0))
        return _("Mediator removed.")
    if action == "investigation":
        services.record_investigation(user, case, post.get("investigation", ""))
        return _("Saved.")
    if action == "extend":
        services.extend(user, case, post.get("deadline", ""), post.get("reason", ""),
                        parties_agree=post.get("parties_agree") == "1")
        return _("Deadline extended.")
    if action == "session":
        services.record_session(user, case, held_on=post.get("held_on", ""), attended=post.get("attended", ""),
                                record=post.get("record", ""))
        return _("Session recorded.")
    if action == "agreement":
        services.record_agreement(user, case, form=post.get("form", ""), text=post.get("text", ""),
                                  terms=post.get("terms", ""), performance=post.get("performance", ""),
                                  reached_on=post.get("reached_on", ""))
        return _("Agreement recorded.")
    if action == "sign_paper":
        services.sign_on_paper(user, case, post.get("party", ""), request.FILES.get("scan"))
        return _("Signature recorded.")
    if action == "send_code":
        services.send_code(user, case, post.get("party", ""))
        return _("A code was sent to the party's phone.")
    if action == "confirm_code":
        services.confirm_code(user, case, post.get("party", ""), post.get("code", ""))
        return _("Signature recorded.")
    if action == "fail":
        services.fail(user, case, post.get("reason", ""))
        return _("Mediation ended without agreement.")
    if action == "follow_up":
        services.follow_up(user, case, visited_on=post.get("visited_on", ""), kept=post.get("kept", ""),
                           note=post.get("note", ""))
        return _("Follow-up recorded.")
    if action == "close":
        services.close(user, case)
        return _("Case closed.")
    if action == "confirmation":
        services.apply_confirmation(user, case, applied_on=post.get("applied_on", ""), court=post.get("court", ""),
                                    both_parties=post.get("both_parties") == "1")
        return _("Application for judicial confirmation recorded.")
    if action == "confirmation_outcome":
        services.record_confirmation_outcome(user, case, outcome=post.get("outcome", ""),
                                             decided_on=post.get("decided_on", ""))
        return _("Saved.")
    if action == "hand_off":
        services.hand_off(user, case, to_kind=post.get("to_kind", ""), to_whom=post.get("to_whom", ""),
                          reason=post.get("reason", ""), on=post.get("on", ""))
        return _("Handed off. The case is closed.")
    raise RefusedError("action_unknown", "未知操作", "Unknown action")


@login_required
def case_detail(request, pk):
    case = _case_or_404(request, pk)
    if request.method != "POST":
        return _detail(request, case)
    try:
        done = _post(request, case)
    except RefusedError as refused:
        return _detail(request, _case_or_404(request, pk), error=refused.message, status=400)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("mediation-case", args=[case.pk]))


@login_required
def agreement_pdf(request, pk):
    """The agreement to print and sign (art. 29: each party keeps one, the committee one).
    Phones masked: every party gets the same paper."""
    from tongxin.mediation.files import agreement_pdf as render_agreement

    case = _case_or_404(request, pk)
    agreement = selectors.related(case, "agreement")
    if agreement is None:
        raise Http404("no agreement yet")
    response = HttpResponse(render_agreement(case, agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mediation-agreement-{case.pk}.pdf"'
    return response


@login_required
def signature_scan(request, pk, signature_pk):
    case = _case_or_404(request, pk)
    signature = Signature.objects.filter(pk=signature_pk, agreement__case=case).exclude(scan="").first()
    if signature is None:
        raise Http404("no such scan")
    return FileResponse(signature.scan.open("rb"), as_attachment=False)

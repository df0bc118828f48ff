"""The owner's ballot page (personal link or QR, confirmed with a code by SMS) and the staff's
paper ballot entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongxin.core.errors import RefusedError
from tongxin.voting import rules
from tongxin.voting.models import Ballot, DecisionState
from tongxin.voting.selectors import decisions as selectors
from tongxin.voting.services import ballots as services
from tongxin.voting.services.register import can_manage

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = ("image/jpeg", "image/png", "application/pdf")


def _answers(post) -> dict:
    return {"choice": post.get("choice", ""), "how": post.get("how", ""), "picks": post.getlist("picks")}


def ballot_page(request, token):
    """No login: the link is the capability. Ask for a code, then vote with it; see the receipt."""
    voter = services.voter_for_token(token)
    if voter is None:
        raise Http404("no such ballot")
    decision = voter.decision
    ballot = Ballot.objects.filter(voter=voter).first()
    context = {"voter": voter, "decision": decision, "ballot": ballot, "choices": rules.CHOICES,
               "candidates": list(decision.candidates.all()), "code_sent": False, "error": None}
    status = 200
    if request.method == "POST" and decision.state == DecisionState.OPEN:
        try:
            if request.POST.get("action") == "code":
                services.send_code(voter)
                context["code_sent"] = True
            else:
                context["code_sent"] = True
                ballot, changed = services.cast_by_link(voter, request.POST.get("code", ""),
                                                        **_answers(request.POST))
                context.update(ballot=ballot, just_voted=True, changed=changed, code_sent=False)
        except RefusedError as refused:
            context["error"] = refused.message
            status = 409 if refused.code == services.ALREADY_VOTED[0] else 400
            if refused.code in ("no_code", "code_locked"):
                context["code_sent"] = False
    context["can_vote"] = decision.state == DecisionState.OPEN and (ballot is None or decision.allow_change)
    return render(request, "voting/ballot.html", context, status=status)


@login_required
def paper_entry(request, pk):
    decision = selectors.visible_decision(request.user, pk)
    if decision is None or not can_manage(request.user, decision.place):
        raise Http404("no such decision here")
    error, status = None, 200
    if request.method == "POST":
        voter = decision.voters.filter(pk=request.POST.get("voter") or 0).first()
        scan = request.FILES.get("scan")
        try:
            if voter is None:
                raise RefusedError("no_voter", "请选择业主", "Choose the owner")
            if scan is None:
                raise RefusedError("no_scan", "请上传纸质选票的扫描件或照片",
                                   "Upload a scan or photo of the paper ballot")
            if scan.size > MAX_SCAN_BYTES or scan.content_type not in SCAN_TYPES:
                raise RefusedError("bad_scan", "扫描件须为 JPG、PNG 或 PDF，不超过 10MB",
                                   "The scan must be a JPG, PNG or PDF of at most 10 MB")
            ballot, changed = services.enter_paper(request.user, voter, scan=scan, **_answers(request.POST))
            messages.success(request, _("Paper ballot entered. Receipt: %(receipt)s") % {"receipt": ballot.receipt})
            return redirect("voting-paper", pk=decision.pk)
        except RefusedError as refused:
            error, status = refused.message, (409 if refused.code == services.ALREADY_VOTED[0] else 400)
    voters = list(decision.voters.select_related("person", "organisation", "ballot").order_by("id")[:2000])
    return render(request, "voting/paper.html", {
        "decision": decision, "voters": voters, "choices": rules.CHOICES, "error": error,
        "candidates": list(decision.candidates.all()),
    }, status=status)

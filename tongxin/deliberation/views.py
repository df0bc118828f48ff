"""Deliberation's pages: thin; reads in ``selectors``, writes in ``services``, rules in ``rules``."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.core import access, once, privacy
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.deliberation import rules, services
from tongxin.deliberation import selectors as sel
from tongxin.deliberation.apps import MANAGE, VIEW
from tongxin.deliberation.models import Basis, Body, ConsultationState, MatterState, Outcome, Step
from tongxin.demands.selectors import door

TEXT = {"rows": 4}


# --- forms -----------------------------------------------------------------------------------
class MatterForm(forms.Form):
    place = forms.ModelChoiceField(label=gettext_lazy("Community or village"), queryset=Place.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=4000,
                                  widget=forms.Textarea(attrs=TEXT))
    resolving_body = forms.ChoiceField(label=gettext_lazy("Resolved by"), choices=[
        (code, label) for code, label in Body.choices if code not in (rules.TWO_COMMITTEES, rules.PARTY_MEMBERS)])
    actor = forms.CharField(label=gettext_lazy("Proposed by (party organisation)"), max_length=120)
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = sel.matter_places(user)


class StepForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Who acted (body or meeting)"), max_length=120)
    held_on = forms.DateField(label=gettext_lazy("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(label=gettext_lazy("Attendance counted by"), choices=Basis.choices, required=False)
    entitled = forms.IntegerField(label=gettext_lazy("Entitled to attend"), min_value=1, required=False)
    present = forms.IntegerField(label=gettext_lazy("Present"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=gettext_lazy("For"), min_value=0, required=False)
    against = forms.IntegerField(label=gettext_lazy("Against"), min_value=0, required=False)
    abstain = forms.IntegerField(label=gettext_lazy("Abstain"), min_value=0, required=False)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome of the step"), choices=Outcome.choices)
    note = forms.CharField(label=gettext_lazy("Note (for the resolving meeting: the resolution)"), max_length=4000,
                           required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, meeting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not meeting:
            for name in ("basis", "entitled", "present", "votes_for", "against", "abstain"):
                del self.fields[name]
            self.fields["outcome"].choices = [(rules.PROCEED, Outcome.PROCEED.label)]
        else:
            for name in ("entitled", "present", "votes_for"):
                self.fields[name].required = True


class ResultForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("Implementation result"), max_length=4000,
                             widget=forms.Textarea(attrs=TEXT))


class RaiseForm(forms.Form):
    place = forms.ChoiceField(label=gettext_lazy("Where"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    body = forms.CharField(label=gettext_lazy("What should be decided, and why"), max_length=4000,
                           widget=forms.Textarea(attrs=TEXT))
    demand = forms.CharField(label=gettext_lazy("From a demand (its tracking code or number)"), max_length=20,
                             required=False)

    def __init__(self, *args, choices, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(str(place.pk), f"{label} · {place.name}") for label, place in choices]
        if not staff:
            del self.fields["demand"]


class CommentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your comment"), max_length=4000, widget=forms.Textarea(attrs=TEXT))


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    present = forms.IntegerField(label=gettext_lazy("Present"), min_value=0, required=False)
    text = forms.CharField(label=gettext_lazy("Meeting record"), max_length=4000, widget=forms.Textarea(attrs=TEXT))


class DecideForm(forms.Form):
    decision = forms.CharField(label=gettext_lazy("Decision"), max_length=4000, widget=forms.Textarea(attrs=TEXT))
    needs_owners_vote = forms.BooleanField(label=gettext_lazy("Needs an owners' vote"), required=False)


def _vote_items():
    from tongxin.voting import rules as voting_rules

    return [(n, f"{n}. {zh}") for n, zh, _en in voting_rules.ITEMS]


class VoteForm(forms.Form):
    """The matter goes to the owners' vote (Civil Code art. 278): which item, and until when."""

    item = forms.TypedChoiceField(label=gettext_lazy("Item of Civil Code art. 278"), coerce=int, choices=_vote_items)
    closes_on = forms.DateField(label=gettext_lazy("Voting closes at the end of"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(gettext_lazy("Choose today or a later day"))
        return day


class ReviewForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (required to decline)"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _pk(value) -> int:
    text = str(value or "")
    if not text.isdigit() or len(text) > 18:
        raise Http404("no such record")
    return int(text)


def _require(user, permission: str) -> None:
    if not (access.has_permission(user, permission) or access.has_permission(user, MANAGE)):
        raise Http404("not allowed")


LEVEL_LABELS = {"building": gettext_lazy("Building"), "area": gettext_lazy("Area"),
                "community": gettext_lazy("Community")}


# --- major matters ---------------------------------------------------------------------------
@login_required
def matter_list(request):
    _require(request.user, VIEW)
    state = request.GET.get("state", "")
    rows, more = sel.matters(request.user, state=state, before=request.GET.get("before", ""))
    return render(request, "deliberation/matters.html", {
        "rows": rows, "more": more, "show": state, "states": MatterState.choices,
        "can_add": access.has_permission(request.user, MANAGE),
    })


@login_required
def matter_new(request):
    _require(request.user, MANAGE)
    form = MatterForm(request.POST or None, user=request.user, initial={"held_on": timezone.localdate()})
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.propose(request.user, data["place"], title=data["title"],
                                      description=data["description"], resolving_body=data["resolving_body"],
                                      actor=data["actor"], held_on=data["held_on"], note=data["note"])
        except RefusedError as refused:
            error = refused
        else:
            return HttpResponseRedirect(reverse("deliberation-matter", kwargs={"pk": matter.pk}))
    return render(request, "deliberation/matter_new.html", {"form": form, "error": error},
                  status=400 if request.method == "POST" else 200)


@login_required
def matter_detail(request, pk):
    matter = sel.visible_matter(request.user, _pk(pk))
    if matter is None:
        raise Http404("no such matter")
    manage = sel.can_manage(request.user, matter.place_path)
    step = rules.next_step(matter.state)
    meeting = step in rules.MEETING_STEPS
    publishing = step in (rules.PUBLISH_RESOLUTION, rules.PUBLISH_RESULT)
    form = result_form = None
    error = None
    if manage and step and not publishing:
        body = rules.STEP_BODY.get(step, matter.resolving_body) if meeting else ""
        form = StepForm(request.POST if request.method == "POST" else None, meeting=meeting,
                        initial={"held_on": timezone.localdate(), "basis": rules.BY_PEOPLE})
        form.body_label = Body(body).label if body else ""
    if manage and step == rules.PUBLISH_RESULT:
        result_form = ResultForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("not allowed")
        try:
            if publishing:
                if result_form is not None and not result_form.is_valid():
                    raise RefusedError("matter_result", "请写明实施结果", "Write the implementation result")
                services.publish(request.user, matter,
                                 result=result_form.cleaned_data["result"] if result_form is not None else "")
                messages.success(request, _("Published on the notice board."))
                return HttpResponseRedirect(request.path)
            if form is not None and form.is_valid():
                data = form.cleaned_data
                services.record_step(
                    request.user, matter, step=step, actor=data["actor"], held_on=data["held_on"],
                    outcome=data["outcome"], note=data["note"], basis=data.get("basis") or rules.BY_PEOPLE,
                    present=data.get("present"), entitled=data.get("entitled"), votes_for=data.get("votes_for"),
                    against=data.get("against") or 0, abstain=data.get("abstain") or 0,
                )
                messages.success(request, _("The step was recorded."))
                return HttpResponseRedirect(request.path)
        except RefusedError as refused:
            error = refused
    steps = list(matter.steps.all())
    return render(request, "deliberation/matter.html", {
        "matter": matter, "steps": steps, "form": form, "result_form": result_form, "step": step,
        "publishing": publishing, "error": error, "manage": manage,
        "step_label": Step(step).label if step else "",
        "public_url": services.public_url(matter) if matter.state in (rules.PUBLISHED, rules.COMPLETED) else "",
    }, status=400 if request.method == "POST" else 200)


def matter_public(request, token):
    """两公开: the resolution, the steps' arithmetic and the result, for anyone with the link."""
    matter = sel.public_matter(token)
    if matter is None:
        raise Http404("no such matter")
    return render(request, "deliberation/public.html", {"matter": matter, "steps": list(matter.steps.all())})


# --- the four-step consultation ---------------------------------------------------------------
def consultation_public(request, token):
    """A decided consultation, for anyone with the notice board's link: the matter, the steps'
    dates and the decision; not the comments nor who wrote them."""
    consultation = sel.public_consultation(token)
    if consultation is None:
        raise Http404("no such matter")
    steps = [e for e in consultation.events.all() if e.kind != "comment"]
    return render(request, "deliberation/consultation_public.html", {"c": consultation, "steps": steps})


@login_required
def consultation_list(request):
    _require(request.user, VIEW)
    state = request.GET.get("state", "")
    rows, more = sel.consultations(request.user, state=state, before=request.GET.get("before", ""))
    return render(request, "deliberation/consultations.html", {
        "rows": rows, "more": more, "show": state, "states": ConsultationState.choices,
        "can_add": access.has_permission(request.user, MANAGE),
    })


@login_required
def mine(request):
    rows, more = sel.near_me(request.user, before=request.GET.get("before", ""))
    return render(request, "deliberation/mine.html", {"rows": rows, "more": more})


def _raise(request, choices, *, staff: bool, template_extra: dict):
    form = RaiseForm(request.POST or None, choices=choices, staff=staff)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = {str(p.pk): p for _label, p in choices}[data["place"]]
        try:
            consultation = services.raise_matter(request.user, place, title=data["title"], body=data["body"],
                                                 form_key=request.POST.get("form_key", "")[:64],
                                                 demand_ref=data.get("demand", ""))
        except RefusedError as refused:
            error = refused
        else:
            messages.success(request, _("Your matter was raised. You will get a notice at each step."))
            return HttpResponseRedirect(reverse("deliberation-consultation", kwargs={"pk": consultation.pk}))
    return render(request, "deliberation/raise.html", {
        "form": form, "form_key": once.new_key(), "error": error, **template_extra,
    }, status=400 if request.method == "POST" else 200)


def raise_at_door(request, token):
    """提议 from a door's QR code: a phone-sized form for the residents of the building."""
    qr = door(token) if token and len(token) <= 32 else None
    if qr is None:
        raise Http404("no such code")
    place = qr.place
    login_url = reverse("login") + "?" + urlencode({"next": request.path})
    if not request.user.is_authenticated:
        return render(request, "deliberation/raise.html", {"place": place, "login_url": login_url, "form": None})
    staff = sel.can_manage(request.user, place.path)
    mine_ = sel.neighbourhood(sel.home_path(request.user))
    choices = [(LEVEL_LABELS[level], p) for level, p in sel.consultation_places(place) if staff or p.pk in mine_]
    if not choices:
        return render(request, "deliberation/raise.html", {"place": place, "not_here": True, "form": None})
    return _raise(request, choices, staff=staff, template_extra={"place": place})


@login_required
def consultation_new(request):
    """Staff raise a matter (for instance from a demand that needs a collective decision)."""
    _require(request.user, MANAGE)
    places = Place.objects.filter(access.path_filter(request.user, MANAGE),
                                  kind__in=tuple(rules.CONSULTATION_LEVELS)).order_by("path")[:300]
    choices = [(LEVEL_LABELS[rules.consultation_level(p.kind)], p) for p in places]
    return _raise(request, choices, staff=True, template_extra={"staff": True})


@login_required
def consultation_detail(request, pk):
    consultation = sel.visible_consultation(request.user, _pk(pk))
    if consultation is None:
        raise Http404("no such matter")
    manage = sel.can_manage(request.user, consultation.place_path)
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if post else ""
    allowed = rules.consultation_actions(consultation.state)
    forms_ = {
        "comment": CommentForm(post if action == "comment" else None, prefix="c") if rules.COMMENT in allowed else None,
        "review": ReviewForm(post if action in ("accept", "decline") else None, prefix="r")
        if manage and rules.ACCEPT in allowed else None,
        "meeting": MeetingForm(post if action == "meeting" else None, prefix="m",
                               initial={"held_on": timezone.localdate()})
        if manage and rules.MEETING in allowed else None,
        "decide": DecideForm(post if action == "decide" else None, prefix="d")
        if manage and rules.DECIDE in allowed and consultation.state != rules.VOTING else None,
        "vote": VoteForm(post if action == "to_vote" else None, prefix="v",
                         initial={"closes_on": timezone.localdate() + datetime.timedelta(days=14)})
        if manage and rules.TO_VOTE in allowed else None,
    }
    error = None
    if post is not None:
        try:
            if action in ("accept", "decline") and forms_["review"] is not None and forms_["review"].is_valid():
                services.review(request.user, consultation, accept=action == "accept",
                                reason=forms_["review"].cleaned_data["reason"])
            elif action == "comment" and forms_["comment"] is not None and forms_["comment"].is_valid():
                services.comment(request.user, consultation, text=forms_["comment"].cleaned_data["text"])
            elif action == "meeting" and forms_["meeting"] is not None and forms_["meeting"].is_valid():
                data = forms_["meeting"].cleaned_data
                services.meeting(request.user, consultation, held_on=data["held_on"], present=data["present"],
                                 text=data["text"])
            elif action == "decide" and forms_["decide"] is not None and forms_["decide"].is_valid():
                data = forms_["decide"].cleaned_data
                services.decide(request.user, consultation, decision=data["decision"],
                                needs_owners_vote=data["needs_owners_vote"])
            elif action == "to_vote" and forms_["vote"] is not None and forms_["vote"].is_valid():
                data = forms_["vote"].cleaned_data
                closes = timezone.make_aware(datetime.datetime.combine(data["closes_on"], datetime.time(23, 59)))
                services.to_owners_vote(request.user, consultation, item=data["item"], closes_at=closes)
            else:
                raise RefusedError("consultation_state", "这个议题现在不能这样办理（可能已被他人处理）",
                                   "This matter cannot take this step now (someone may have done it already)")
        except PermissionDenied:
            raise Http404("not allowed") from None
        except RefusedError as refused:
            error = refused
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(request.path)
    events = list(consultation.events.all())
    for event in events:  # residents read each other's names masked; staff in full
        event.shown_name = event.by_name if manage else privacy.mask_name(event.by_name)
    return render(request, "deliberation/consultation.html", {
        "c": consultation, "events": events, "manage": manage, "forms": forms_,
        "error": error,
    }, status=400 if post is not None else 200)

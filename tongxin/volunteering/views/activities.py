"""Activities' pages: managers plan activities and see who came; members and residents sign
up; everyone at the venue checks in and out through the activity's QR code."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.core import once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OrganisationKind
from tongxin.volunteering import activity_rules as rules
from tongxin.volunteering import ledger_files
from tongxin.volunteering.models import Activity, Attendance, Recurrence, ServicePost, Session, SignUpState
from tongxin.volunteering.selectors import activities as selectors
from tongxin.volunteering.services import activities as services


class ActivityForm(forms.Form):
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    community = forms.ModelChoiceField(label=gettext_lazy("Community"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=120)
    team = forms.ModelChoiceField(label=gettext_lazy("Volunteer team"), queryset=None, required=False)
    post = forms.ModelChoiceField(label=gettext_lazy("Service post"), queryset=None, required=False)
    recurrence = forms.ChoiceField(label=gettext_lazy("Repeats"), choices=Recurrence.choices,
                                   help_text=gettext_lazy("Monthly: on the first date's day of each month "
                                                          "(the month's last day if it is shorter)."))
    first_date = forms.DateField(label=gettext_lazy("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    last_date = forms.DateField(label=gettext_lazy("Last date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=gettext_lazy("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=gettext_lazy("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=gettext_lazy("Places available"), required=False, min_value=1, max_value=1000,
                                  help_text=gettext_lazy("Leave blank for no limit."))

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_key", once.new_key())
        super().__init__(*args, **kwargs)
        communities = selectors.managed_communities(user)
        self.fields["community"].queryset = communities
        paths = list(communities.values_list("path", flat=True))
        teams = Organisation.objects.filter(kind=OrganisationKind.VOLUNTEER_TEAM, ended_on__isnull=True,
                                            place__path__in=paths)
        self.fields["team"].queryset = teams.order_by("name")
        self.fields["post"].queryset = ServicePost.objects.filter(community_path__in=paths, active=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must come after the start."))
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", _("The last date cannot come before the first."))
        return data


def _activity(request, pk) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("community", "team", "post"), pk=pk)
    if not selectors.can_see_activity(request.user, activity):
        raise Http404("not allowed")
    return activity


@login_required
def activity_list(request):
    """Managers: the activities they run. Members and residents: the coming sessions to sign up for."""
    user = request.user
    sessions = list(selectors.upcoming_sessions(user)[:100])
    mine = selectors.my_sign_ups(user, [s.pk for s in sessions])
    waiting = selectors.waiting_positions([pk for pk, s in mine.items() if s.state == SignUpState.WAITING],
                                          user.person_id)
    rows = [{"session": s, "sign_up": mine.get(s.pk), "position": waiting.get(s.pk)} for s in sessions]
    managed = list(selectors.managed_activities(user)[:200])
    can_create = selectors.managed_communities(user).exists()
    return render(request, "volunteering/activities/list.html", {
        "rows": rows, "managed": managed, "can_create": can_create,
    })


@login_required
def activity_new(request):
    if not selectors.managed_communities(request.user).exists():
        raise Http404("not allowed")
    form = ActivityForm(request.user, request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            once.claim(data["form_key"], request.user)
            activity = services.create_activity(
                community=data["community"], organiser=request.user, title=data["title"], venue=data["venue"],
                description=data["description"], recurrence=data["recurrence"], first_date=data["first_date"],
                last_date=data["last_date"], start_time=data["start_time"], end_time=data["end_time"],
                capacity=data["capacity"], team=data["team"], post=data["post"])
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("The activity is published."))
            return HttpResponseRedirect(reverse("volunteering-activity", kwargs={"pk": activity.pk}))
    return render(request, "volunteering/activities/form.html", {"form": form, "error": error})


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    user = request.user
    manager = selectors.manages(user, activity)
    sessions = list(selectors.sessions_of(activity))
    mine = selectors.my_sign_ups(user, [s.pk for s in sessions])
    now = timezone.now()
    rows = [{"session": s, "sign_up": mine.get(s.pk), "open": not s.cancelled and s.ends_at > now}
            for s in sessions]
    return render(request, "volunteering/activities/detail.html", {
        "activity": activity, "rows": rows, "manager": manager,
        "can_take_part": selectors.can_take_part(user, activity),
        "checkin_url": request.build_absolute_uri(reverse("volunteering-checkin", kwargs={"token": activity.token})),
    })


@login_required
@require_POST
def activity_cancel(request, pk):
    activity = _activity(request, pk)
    if not selectors.manages(request.user, activity):
        raise Http404("not allowed")
    services.cancel_activity(activity, by=request.user)
    messages.success(request, _("The activity is cancelled; the people signed up are told."))
    return HttpResponseRedirect(reverse("volunteering-activity", kwargs={"pk": activity.pk}))


@login_required
def activity_poster(request, pk):
    activity = _activity(request, pk)
    if not selectors.manages(request.user, activity):
        raise Http404("not allowed")
    url = settings.TONGXIN_SITE_URL.rstrip("/") + reverse("volunteering-checkin", kwargs={"token": activity.token})
    response = HttpResponse(ledger_files.activity_poster_pdf(activity, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-qr.pdf"'
    return response


@login_required
def session_detail(request, pk):
    """The organiser's attendance list: who signed up, who came, minutes; adjust with a reason."""
    session = selectors.session_for_manager(request.user, pk)
    if session is None:
        raise Http404("not allowed")
    return render(request, "volunteering/activities/session.html", {
        "session": session, "activity": session.activity, "rows": selectors.roster(session),
    })


@login_required
@require_POST
def session_cancel(request, pk):
    session = selectors.session_for_manager(request.user, pk)
    if session is None:
        raise Http404("not allowed")
    services.cancel_session(session, by=request.user)
    messages.success(request, _("The session is cancelled; the people signed up are told."))
    return HttpResponseRedirect(reverse("volunteering-activity", kwargs={"pk": session.activity_id}))


def _session_to_join(request, pk):
    session = get_object_or_404(Session.objects.select_related("activity"), pk=pk)
    if not selectors.can_take_part(request.user, session.activity) or request.user.person_id is None:
        raise Http404("not allowed")
    return session


def _back(request, session):
    target = request.POST.get("next", "")
    if target not in (reverse("volunteering-activities"),):
        target = reverse("volunteering-activity", kwargs={"pk": session.activity_id})
    return HttpResponseRedirect(target)


@login_required
@require_POST
def sign_up(request, pk):
    session = _session_to_join(request, pk)
    try:
        found = services.sign_up(session.pk, person=request.user.person,
                                 enrolment=selectors.enrolment_for(request.user, session.activity))
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        if found.state == SignUpState.BOOKED:
            messages.success(request, _("You are signed up."))
        else:
            messages.info(request, _("The session is full: you are on the waiting list, and we will tell you "
                                     "if a place comes free."))
    return _back(request, session)


@login_required
@require_POST
def withdraw(request, pk):
    session = _session_to_join(request, pk)
    services.withdraw(session.pk, person=request.user.person)
    messages.success(request, _("Your sign-up is cancelled."))
    return _back(request, session)


@login_required
@require_POST
def attendance_adjust(request, pk):
    attendance = selectors.attendance_for_manager(request.user, pk)
    if attendance is None:
        raise Http404("not allowed")
    minutes = request.POST.get("minutes", "").strip()
    try:
        if not minutes.isdigit():
            raise RefusedError("minutes_missing", "请填写分钟数", "Give the minutes as a whole number")
        services.adjust(attendance, minutes=int(minutes), reason=request.POST.get("reason", ""), by=request.user)
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The minutes are adjusted; the ledger follows."))
    return HttpResponseRedirect(reverse("volunteering-session", kwargs={"pk": attendance.session_id}))


def checkin(request, token):
    """The activity's QR page at the venue (public): the activity and today's session; a
    signed-in participant checks in, and later checks out. Not signed in: sign in and come back."""
    activity = get_object_or_404(Activity.objects.select_related("community"), token=token)
    session = None if activity.cancelled else services.today_session(activity)
    user = request.user
    attendance, error = None, ""
    allowed = user.is_authenticated and user.person_id is not None and selectors.can_take_part(user, activity)
    if session is not None and allowed:
        attendance = Attendance.objects.filter(session=session, person_id=user.person_id).first()
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if session is None or not allowed:
            error = _("You cannot check in here: there is no session today, or you are not registered "
                      "in this community.")
        else:
            try:
                if request.POST.get("action") == "out":
                    attendance = services.check_out(session, person=user.person)
                    messages.success(request, _("Checked out: %(minutes)s minutes counted. Thank you!")
                                     % {"minutes": attendance.minutes})
                else:
                    attendance = services.check_in(session, person=user.person,
                                                   enrolment=selectors.enrolment_for(user, activity))
                    messages.success(request, _("Checked in. Scan again to check out when you leave."))
            except RefusedError as refused:
                error = refused.message
            else:
                return HttpResponseRedirect(request.path)
    return render(request, "volunteering/activities/checkin.html", {
        "activity": activity, "session": session, "attendance": attendance, "allowed": allowed, "error": error,
        "hours": rules.hours(attendance.minutes) if attendance and attendance.minutes is not None else None,
    }, status=400 if error else 200)

"""Registration's pages: a member registering at a door, the community's approvals, work units
and joint projects, service posts and teams, and the member's own page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.core import access, once, privacy
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, PersonalDataRead, Place
from tongxin.core.roles import VIEW_PERSONAL
from tongxin.core.validators import normalise_phone
from tongxin.demands.selectors import door
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import EnrolmentKind, JointProject, PostKind, Status, TeamSpecialty
from tongxin.volunteering.selectors import registration as selectors
from tongxin.volunteering.services import registration as services

NOT_LISTED = "other"


# --- forms -----------------------------------------------------------------------------------
class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("I register as"), choices=EnrolmentKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=gettext_lazy("Password (to sign in later)"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    unit = forms.ChoiceField(label=gettext_lazy("Your work unit's party organisation"), required=False,
                             help_text=gettext_lazy("Party members working elsewhere: the branch of your work unit."))
    unit_other = forms.CharField(label=gettext_lazy("Not listed: its name"), max_length=150, required=False)
    skills = forms.CharField(label=gettext_lazy("Skills"), max_length=200, required=False,
                             help_text=gettext_lazy("For example: repairs, law, medicine, teaching, photography."))

    def __init__(self, *args, units=(), signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [("", _("None (not a party member working elsewhere)")),
                                       *[(str(u.pk), u.name) for u in units], (NOT_LISTED, _("Not listed"))]
        if signed_in:
            for name in ("name", "phone", "password"):
                del self.fields[name]

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise ValidationError(_("Please enter your mobile number."))
        return phone

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def clean(self):
        data = super().clean()
        if data.get("unit") == NOT_LISTED and not (data.get("unit_other") or "").strip():
            self.add_error("unit_other", _("Please write the name of your unit's party organisation."))
        return data

    def chosen_unit(self):
        return self.units.get(self.cleaned_data.get("unit") or "")


def _communities(form, user) -> None:
    """The communities a manager may act for; the only one chosen already."""
    communities = list(selectors.managed_communities(user)[:2])
    form.fields["community"].queryset = selectors.managed_communities(user)
    if len(communities) == 1:
        form.fields["community"].initial = communities[0].pk


class UnitForm(forms.Form):
    community = forms.ModelChoiceField(label=gettext_lazy("Community"), queryset=Place.objects.none())
    unit = forms.ModelChoiceField(label=gettext_lazy("Existing party organisation"),
                                  queryset=Organisation.objects.none(), required=False)
    new_name = forms.CharField(label=gettext_lazy("Or a new one: its name"), max_length=120, required=False,
                               help_text=gettext_lazy("Recorded as a party branch of subtype 单位党组织."))
    contact_name = forms.CharField(label=gettext_lazy("Contact"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _communities(self, user)
        self.fields["unit"].queryset = selectors.unit_candidates(user)

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not (data.get("new_name") or "").strip():
            self.add_error("unit", _("Choose an organisation or name a new one."))
        return data


class ProjectForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    goals = forms.CharField(label=gettext_lazy("Goals"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    review = forms.CharField(label=gettext_lazy("Year-end review"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    goals_met = forms.TypedChoiceField(label=gettext_lazy("Goals met?"), coerce=lambda v: v == "yes",
                                       choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])


class PostForm(forms.Form):
    community = forms.ModelChoiceField(label=gettext_lazy("Community"), queryset=Place.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind of post"), choices=PostKind.choices)
    name = forms.CharField(label=gettext_lazy("Post name"), max_length=80)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    places_needed = forms.IntegerField(label=gettext_lazy("People needed"), min_value=1, max_value=9999,
                                       required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _communities(self, user)


class TeamForm(forms.Form):
    community = forms.ModelChoiceField(label=gettext_lazy("Community"), queryset=Place.objects.none())
    name = forms.CharField(label=gettext_lazy("Team name"), max_length=120)
    specialty = forms.ChoiceField(label=gettext_lazy("Specialty"), choices=TeamSpecialty.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _communities(self, user)


def _require_manager(user) -> None:
    if not access.has_permission(user, MANAGE):
        raise Http404("not a volunteering manager")


def _pk(value) -> int:
    text = str(value or "")
    if not text.isdigit():
        raise Http404("no such record")
    return int(text)


# --- a member registers at a door ------------------------------------------------------------
def register(request, token):
    """党员报到 / 志愿者注册 from a door's QR code: public, phone-sized."""
    qr = door(token) if token and len(token) <= 32 else None
    if qr is None:
        raise Http404("no such code")
    place = qr.place
    community = selectors.community_of(place)
    if community is None:
        raise Http404("this code is not in a community")
    units = list(selectors.unit_choices(community))
    signed_in = request.user.is_authenticated
    form = RegisterForm(request.POST or None, units=units, signed_in=signed_in)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _enrolment, user = services.register(
                place, kind=data["kind"], key=request.POST.get("form_key", "")[:64],
                user=request.user if signed_in else None, name=data.get("name", ""), phone=data.get("phone", ""),
                password=data.get("password", ""), unit=form.chosen_unit(),
                unit_other=data.get("unit_other", "") if data.get("unit") == NOT_LISTED else "",
                skills=data.get("skills", ""),
            )
        except RefusedError as refused:
            error = refused
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your registration was sent: waiting for the community's approval."))
            return HttpResponseRedirect(reverse("volunteering-me"))
    login_url = reverse("login") + "?" + urlencode({"next": request.path})
    status = 400 if request.method == "POST" else 200
    return render(request, "volunteering/registration/register.html", {
        "place": place, "community": community, "form": form, "form_key": once.new_key(), "error": error,
        "signed_in": signed_in, "login_url": login_url,
        "needs_login": error is not None and error.code == "phone_has_login",
    }, status=status)


# --- the member's own page -------------------------------------------------------------------
@login_required
def me(request):
    if request.method == "POST":
        action = request.POST.get("action", "")
        enrolment, target = _pk(request.POST.get("enrolment")), _pk(request.POST.get("target"))
        handlers = {"choose": services.choose_post, "drop": services.drop_post,
                    "join": services.join_team, "leave": services.leave_team}
        if action not in handlers:
            raise Http404("no such action")
        try:
            handlers[action](request.user, enrolment, target)
        except PermissionDenied:
            raise Http404("not your registration") from None
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("volunteering-me"))
    enrolments = list(selectors.own_enrolments(request.user))
    approved = [e for e in enrolments if e.status == Status.APPROVED]
    communities = [e.community_id for e in approved]
    posts = list(selectors.posts_for(communities, open_only=True)) if communities else []
    teams = list(selectors.teams_for(communities)) if communities else []
    joined = selectors.teams_joined(request.user.person_id) if request.user.person_id else set()
    for enrolment in approved:
        chosen = {c.post_id for c in enrolment.post_choices.all()}
        enrolment.open_posts = [(p, p.pk in chosen) for p in posts if p.community_id == enrolment.community_id]
        enrolment.teams = [(t, t.pk in joined) for t in teams if t.place_id == enrolment.community_id]
    return render(request, "volunteering/registration/me.html", {"enrolments": enrolments, "approved": approved})


# --- the community's approvals ---------------------------------------------------------------
@login_required
def enrolments(request):
    _require_manager(request.user)
    status, kind, unit = (request.GET.get(k, "") for k in ("status", "kind", "unit"))
    status = status if status in Status.values else ""
    kind = kind if kind in EnrolmentKind.values else ""
    rows = list(selectors.manager_enrolments(request.user, status=status, kind=kind, unit=unit)
                [:selectors.LIST_LIMIT])
    reads = []
    for row in rows:
        row.shown_phone = privacy.mask_phone(row.person.phone)
        if row.person.phone and access.can_see_path(request.user, VIEW_PERSONAL, row.home_path or row.community_path):
            row.shown_phone = row.person.phone
            reads.append(PersonalDataRead(user=request.user, person=row.person, fields="phone",
                                          context=f"volunteering enrolments {row.pk}"))
    if reads:
        PersonalDataRead.objects.bulk_create(reads)
    communities = {row.community_id: row.community for row in rows if row.status == Status.APPROVED}
    areas = {pk: list(selectors.areas_of(c)) for pk, c in communities.items()
             if selectors.can_manage_community(request.user, c)}
    for row in rows:
        row.areas = areas.get(row.community_id, [])
    return render(request, "volunteering/registration/enrolments.html", {
        "rows": rows, "status": status, "kind": kind, "unit": unit, "statuses": Status.choices,
        "kinds": EnrolmentKind.choices, "units": selectors.units_of_enrolments(request.user),
        "limit": selectors.LIST_LIMIT,
    })


@login_required
@require_POST
def enrolment_act(request, pk):
    _require_manager(request.user)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            services.decide(request.user, pk, approve=True)
            messages.success(request, _("Approved; the member was told."))
        elif action == "refuse":
            services.decide(request.user, pk, approve=False, reason=request.POST.get("reason", ""))
            messages.success(request, _("Refused; the member was told why."))
        elif action == "end":
            services.end(request.user, pk)
            messages.success(request, _("Ended."))
        elif action == "leads":
            area = None
            if request.POST.get("area", "").isdigit():
                area = Place.objects.filter(pk=int(request.POST["area"])).first()
            services.set_leads(request.user, pk, area)
            messages.success(request, _("Saved."))
        else:
            raise Http404("no such action")
    except PermissionDenied:
        raise Http404("no such registration") from None
    except RefusedError as refused:
        messages.error(request, refused.message)
    return HttpResponseRedirect(reverse("volunteering-enrolments") + _back(request))


def _back(request) -> str:
    query = request.POST.get("back", "")
    return f"?{query}" if query and len(query) < 200 and "//" not in query else ""


# --- work units ------------------------------------------------------------------------------
@login_required
def units(request):
    _require_manager(request.user)
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register_unit(
                request.user, data["community"], unit=data["unit"], new_name=data["new_name"],
                contact_name=data["contact_name"], contact_phone=data["contact_phone"])
        except RefusedError as refused:
            form.add_error(None, refused.message)
        except PermissionDenied:
            raise Http404("not a community you manage") from None
        else:
            messages.success(request, _("The unit's registration was recorded."))
            return HttpResponseRedirect(reverse("volunteering-unit-registration", args=[registration.pk]))
    rows = list(selectors.unit_registrations(request.user)[:selectors.LIST_LIMIT])
    return render(request, "volunteering/registration/units.html", {"rows": rows, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def unit_registration(request, pk):
    _require_manager(request.user)
    registration = selectors.visible_unit_registration(request.user, pk)
    if registration is None:
        raise Http404("no such registration")
    project_form, review_form = ProjectForm(initial={"year": timezone.localdate().year}), ReviewForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("approve", "refuse"):
                services.decide_unit(request.user, pk, approve=action == "approve",
                                     reason=request.POST.get("reason", ""))
            elif action == "end":
                services.end_unit(request.user, pk)
            elif action == "project":
                project_form = ProjectForm(request.POST)
                if not project_form.is_valid():
                    raise _Invalid
                services.add_project(request.user, pk, **project_form.cleaned_data)
            elif action == "review":
                review_form = ReviewForm(request.POST)
                project = _pk(request.POST.get("project"))
                if not JointProject.objects.filter(pk=project, registration=registration).exists():
                    raise Http404("no such project")
                if not review_form.is_valid():
                    raise _Invalid
                services.review_project(request.user, project, **review_form.cleaned_data)
            else:
                raise Http404("no such action")
        except _Invalid:
            pass
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("volunteering-unit-registration", args=[pk]))
    return render(request, "volunteering/registration/unit.html", {
        "registration": registration, "projects": selectors.projects_of(registration),
        "project_form": project_form, "review_form": review_form,
        "members": registration.unit.enrolled_members.filter(
            community_id=registration.community_id, status=Status.APPROVED).count(),
    }, status=400 if request.method == "POST" else 200)


class _Invalid(Exception):
    """A form on the page did not validate: show it again with its errors."""


# --- posts and teams -------------------------------------------------------------------------
@login_required
def posts(request):
    _require_manager(request.user)
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if request.POST.get("action") in ("open", "close"):
            try:
                services.set_post_open(request.user, _pk(request.POST.get("post")), request.POST["action"] == "open")
            except PermissionDenied:
                raise Http404("no such post") from None
            return HttpResponseRedirect(reverse("volunteering-posts"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.create_post(request.user, data["community"], kind=data["kind"], name=data["name"],
                                     description=data["description"], places_needed=data["places_needed"])
            except RefusedError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The post was published."))
                return HttpResponseRedirect(reverse("volunteering-posts"))
    rows = list(selectors.managed_posts(request.user))
    counts = dict(_choice_counts(rows))
    for row in rows:
        row.chosen = counts.get(row.pk, 0)
    return render(request, "volunteering/registration/posts.html", {"rows": rows, "form": form},
                  status=400 if request.method == "POST" else 200)


def _choice_counts(posts):
    from django.db.models import Count

    from tongxin.volunteering.models import PostChoice

    return (PostChoice.objects.filter(post__in=posts, enrolment__status=Status.APPROVED).values("post")
            .annotate(n=Count("id")).values_list("post", "n"))


@login_required
def teams(request):
    _require_manager(request.user)
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_team(request.user, data["community"], name=data["name"], specialty=data["specialty"])
        except RefusedError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The team was created."))
            return HttpResponseRedirect(reverse("volunteering-teams"))
    rows = list(selectors.managed_teams(request.user))
    counts = selectors.team_member_counts(rows)
    labels = dict(TeamSpecialty.choices)
    for row in rows:
        row.member_count = counts.get(row.pk, 0)
        row.specialty = labels.get(row.subtype, row.subtype)
    return render(request, "volunteering/registration/teams.html", {"rows": rows, "form": form},
                  status=400 if request.method == "POST" else 200)

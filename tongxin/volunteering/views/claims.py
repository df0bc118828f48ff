"""Tasks and micro-wishes (认领, 微心愿): the list and a task's page for members and managers,
publishing, claiming, releasing, completing, confirming; and the resident's public wish page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once, privacy
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person, PersonalDataRead, Place
from tongxin.core.throttle import client_ip
from tongxin.core.tree import lineage
from tongxin.core.validators import normalise_phone
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import ClaimPhoto, ClaimState, Task, TaskState
from tongxin.volunteering.selectors import claims as selectors
from tongxin.volunteering.selectors.registration import enrolments_of
from tongxin.volunteering.services import claims as services

#: Places a wish may be published at, in the form's list (the doors and buildings people live at).
WISH_PLACE_KINDS = ("entrance", "building", "compound", "villager_group", "courtyard", "village", "community")
PLACES_LISTED = 300


@login_required
def task_list(request):
    """Members: open tasks in their communities, nearest first, and their own claims.
    Managers: the tasks of their places, by state."""
    manager = access.has_permission(request.user, MANAGE)
    enrolled = enrolments_of(request.user).exists()
    if not manager and not enrolled:
        return render(request, "volunteering/claims/not_enrolled.html", status=403)
    context = {"manager": manager, "enrolled": enrolled, "states": TaskState.choices}
    if enrolled:
        page = selectors.open_tasks(request.user, request.GET.get("after", ""))
        context.update(open_tasks=page.rows, next_cursor=page.next_cursor, mine=selectors.my_claims(request.user))
    if manager:
        show = request.GET.get("state", "")
        rows, more = selectors.managed_tasks(request.user, show, request.GET.get("before", ""))
        context.update(managed=rows, managed_more=more, show=show)
    return render(request, "volunteering/claims/list.html", context)


def _task_or_404(request, pk) -> Task:
    task = selectors.visible_task(request.user, pk)
    if task is None:
        raise Http404("no such task here")
    return task


def _detail(request, task, *, error=None, status=200, revealed=None):
    found = selectors.live_claim(task)
    claimant = selectors.is_claimant(request.user, found)
    manager = services.can_manage(request.user, task)
    contact = revealed or (selectors.unmasked(task) if claimant else selectors.masked(task))
    past = list(task.claims.exclude(state__in=(ClaimState.ACTIVE, ClaimState.DONE)).select_related(
        "enrolment__person").order_by("-id")[:10]) if manager else []
    return render(request, "volunteering/claims/detail.html", {
        "task": task, "claim": found, "claimant": claimant, "manager": manager, "contact": contact,
        "can_claim": task.state == TaskState.OPEN and services.enrolment_for(request.user, task) is not None,
        "can_reveal": manager and contact["masked"] and selectors.can_reveal(request.user, task),
        "photos": list(found.photos.all()) if found and (claimant or manager) else [],
        "past": past, "error": error, "form_key": once.new_key(),
    }, status=status)


@login_required
def task_detail(request, pk):
    return _detail(request, _task_or_404(request, pk))


def _refused(request, task, refused: RefusedError):
    status = 409 if refused.code in (services.ALREADY_CLAIMED[0], "not_open", "claim_not_live") else 400
    return _detail(request, task, error=refused.message, status=status)


def _own_live_claim(request, task):
    found = selectors.live_claim(task)
    if not selectors.is_claimant(request.user, found):
        raise RefusedError("not_your_claim", "这不是您认领的任务", "This is not your claim")
    return found


def _step(request, pk, write, done_message):
    """A POST on a task's page: ``write(task)`` does the step; a refusal shows the page again
    with the reason, success goes back to it with ``done_message``."""
    task = _task_or_404(request, pk)
    try:
        write(task)
    except RefusedError as refused:
        return _refused(request, task, refused)
    messages.success(request, done_message)
    return HttpResponseRedirect(reverse("volunteering-task", args=[task.pk]))


@login_required
@require_POST
def task_claim(request, pk):
    return _step(request, pk, lambda task: services.claim(request.user, task),
                 _("Claimed. The contact's details are shown below."))


@login_required
@require_POST
def task_release(request, pk):
    return _step(request, pk, lambda task: services.release(
        request.user, _own_live_claim(request, task).pk, request.POST.get("reason", "")),
        _("Released. Others may claim it now."))


@login_required
@require_POST
def task_complete(request, pk):
    def complete(task):
        with transaction.atomic():  # the form key is spent only if the step is done
            once.claim(request.POST.get("form_key", ""), request.user)
            services.complete(request.user, _own_live_claim(request, task).pk, request.POST.get("note", ""),
                              request.FILES.getlist("photos"))

    return _step(request, pk, complete, _("Reported as done. The grid's staff will confirm it."))


@login_required
@require_POST
def task_confirm(request, pk):
    return _step(request, pk, lambda task: services.confirm(request.user, task),
                 _("Confirmed. The hours are in the volunteer's ledger."))


@login_required
@require_POST
def task_return(request, pk):
    return _step(request, pk, lambda task: services.return_claim(request.user, task, request.POST.get("reason", "")),
                 _("Returned. The task is open again."))


@login_required
@require_POST
def task_withdraw(request, pk):
    return _step(request, pk, lambda task: services.withdraw(request.user, task), _("Withdrawn."))


def _person_behind(task: Task) -> Person | None:
    """Whose data a reveal shows: the beneficiary, else the registered resident of the
    task's community with the contact's phone (the read is logged against them)."""
    if task.beneficiary_id:
        return task.beneficiary
    if not task.contact_phone:
        return None
    community = Place.objects.filter(path__in=lineage(task.place_path), kind__in=("community", "village"))
    community = community.order_by("-path").first()
    people = Person.objects.filter(phone=task.contact_phone)
    if community is not None:
        people = people.filter(home_path__gte=community.path, home_path__lt=community.path_end)
    return people.first()


@login_required
@require_POST
def task_reveal(request, pk):
    """A manager who may see personal data sees the contact unmasked, once; the read is logged."""
    task = _task_or_404(request, pk)
    if not selectors.can_reveal(request.user, task):
        raise Http404("not allowed")
    person = _person_behind(task)
    if person is None and not task.contact_phone:
        return _detail(request, task, status=400, error=_(
            "The contact is neither in the residents' register nor left a phone: there is nothing to show. "
            "Reach them through the volunteer who claims it, or the demand."))
    # Someone outside the registers is logged by a keyed hash of their phone.
    PersonalDataRead.objects.create(user=request.user, person=person,
                                    phone_hash="" if person else privacy.phone_hash(task.contact_phone),
                                    fields="name,phone", context=f"volunteering task {task.pk}")
    return _detail(request, task, revealed=selectors.unmasked(task))


@login_required
def task_photo(request, pk, photo_pk):
    task = _task_or_404(request, pk)
    photo = get_object_or_404(ClaimPhoto.objects.select_related("claim__enrolment"), pk=photo_pk, claim__task=task)
    own = photo.claim.enrolment.person_id == request.user.person_id
    if not (own or services.can_manage(request.user, task)):
        raise Http404("not allowed")
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _wish_places(user):
    return (Place.objects.filter(access.path_filter(user, MANAGE), kind__in=WISH_PLACE_KINDS, retired_on__isnull=True)
            .order_by("path")[:PLACES_LISTED])


@login_required
def task_new(request):
    """Publish a task: from an open demand of the manager's places (chosen from the list or by
    tracking code), or a micro-wish for a resident or care subject."""
    if not access.has_permission(request.user, MANAGE):
        raise Http404("not a manager")
    from tongxin.demands.models import Demand

    error, values = None, request.POST
    if request.method == "POST":
        post = request.POST
        common = {"title": post.get("title", ""), "description": post.get("description", ""),
                  "act_within_hours": post.get("act_within_hours"), "hours_credit": post.get("hours_credit")}
        try:
            with transaction.atomic():
                once.claim(post.get("form_key", ""), request.user)
                if post.get("what") == "demand":
                    code = (post.get("tracking_code") or "").strip().upper()
                    chosen = post.get("demand", "")
                    demand = (Demand.objects.filter(tracking_code=code).first() if code else
                              Demand.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None)
                    if demand is None or not access.can_see_path(request.user, MANAGE, demand.place_path):
                        raise RefusedError("demand_missing", "请选择一件诉求，或填写正确的查询码",
                                           "Choose a demand, or give its tracking code")
                    task = services.publish_from_demand(request.user, demand, **common)
                else:
                    chosen = post.get("place", "")
                    place = Place.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
                    task = services.publish_wish(request.user, place=place, contact_name=post.get("contact_name", ""),
                                                 contact_phone=post.get("contact_phone", ""), **common)
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Published. Members nearby are told."))
            return HttpResponseRedirect(reverse("volunteering-task", args=[task.pk]))
    return render(request, "volunteering/claims/new.html", {
        "demands": list(services.publishable_demands(request.user)[:50]), "places": list(_wish_places(request.user)),
        "error": error, "values": values, "form_key": once.new_key(),
        "what": values.get("what") or request.GET.get("what", "demand"),
    }, status=400 if error else 200)


# --- The resident's wish page (public: the tracking code is the capability) ----------------


def wish_page(request, code):
    """A micro-wish's progress for its resident, by the demand's tracking code; "received"
    once the volunteer reports it done (after the resident's phone is confirmed, as on the
    demand's own follow-up page)."""
    from tongxin.demands import services as demand_services
    from tongxin.demands import views as demand_views
    from tongxin.demands.models import Demand

    code = (code or "").strip().upper()
    misses = f"demands:track-miss:{demand_services.client_key(client_ip(request))}"  # shared with demands' lookups
    if cache.get(misses, 0) >= demand_views.LOOKUP_MISSES:
        return render(request, "volunteering/claims/wish_unknown.html", {"too_many": True}, status=429)
    demand = Demand.objects.filter(tracking_code=code).select_related("place").first()
    task = Task.objects.filter(demand=demand).first() if demand else None
    if task is None:
        if demand is None:
            cache.add(misses, 0, demand_views.LOOKUP_WINDOW)
            cache.incr(misses)
        return render(request, "volunteering/claims/wish_unknown.html", {"demand": demand}, status=404)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("what") == "confirm":
                phone = normalise_phone(request.POST.get("phone", ""))
                if not demand_services.follows(demand, phone):
                    raise RefusedError("phone_mismatch", "手机号不对", "That is not the phone given with the report")
                demand_views._remember(request, demand)
            elif not demand_views._confirmed(request, demand):
                raise RefusedError("confirm_first", "请先确认手机号", "Please confirm your phone first")
            elif request.POST.get("what") == "received":
                services.confirm_by_resident(task)
                messages.success(request, _("Thank you. The volunteer is told."))
        except (RefusedError, ValidationError) as refused:
            error = getattr(refused, "message", None) or _("Please check what you entered.")
        else:
            return demand_views._keep(request, HttpResponseRedirect(reverse("volunteering-wish", args=[code])))
    return render(request, "volunteering/claims/wish.html", {
        "demand": demand, "task": task, "confirmed": demand_views._confirmed(request, demand),
        "steps": selectors.wish_progress(task), "error": error,
    }, status=400 if error else 200)

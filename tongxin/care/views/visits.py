"""Visits from a phone, and the overdue list."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.care.models import VisitKind, VisitPhoto
from tongxin.care.selectors import visits as selectors
from tongxin.care.services import visits as services
from tongxin.core import once
from tongxin.core.errors import RefusedError
from tongxin.core.models import PersonalDataRead


def problem_categories():
    from tongxin.demands.models import Category

    return list(Category.objects.filter(active=True).exclude(code="wish").order_by("order", "id"))


def _category(value):
    from tongxin.demands.models import Category

    return Category.objects.filter(pk=int(value), active=True).first() if str(value or "").isdigit() else None


def _when(value: str):
    """A ``datetime-local`` value in the project's time zone; blank: now."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise RefusedError("when_invalid", "走访时间格式不对", "The time of the visit is not valid") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
def visit_new(request, pk):
    """Record a visit to a care subject (a paired helper, or care staff of the place)."""
    subject = selectors.subject_to_record(request.user, pk)
    error, values = None, request.POST
    if request.method == "POST":
        post = request.POST
        try:
            services.record(
                request.user, subject, kind=post.get("kind", ""), visited_at=_when(post.get("visited_at", "")),
                observations=post.get("observations", ""), needs=post.get("needs", ""), wish=post.get("wish", ""),
                problem=post.get("problem", ""), problem_category=_category(post.get("category")),
                photos=request.FILES.getlist("photos"), form_key=post.get("form_key", ""),
            )
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Visit recorded. Thank you."))
            return HttpResponseRedirect(reverse("care-visit-new", args=[subject.pk]))
    subject.refresh_from_db(fields=["next_visit_due"])
    recent = selectors.recent_visits(subject)
    if recent:  # earlier visits' observations are sensitive: the read is logged
        PersonalDataRead.objects.create(user=request.user, person=subject.person, fields="visits",
                                        context=f"care visits of subject {subject.pk}")
    return render(request, "care/visits/new.html", {
        "subject": subject, "kinds": VisitKind.choices, "categories": problem_categories(), "error": error,
        "values": values, "form_key": values.get("form_key") or once.new_key(),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "visits": recent,
        "manager": services.can_manage(request.user, subject),
    }, status=400 if error else 200)


@login_required
def visit_photo(request, pk, photo_pk):
    subject = selectors.subject_to_record(request.user, pk)
    photo = get_object_or_404(VisitPhoto, pk=photo_pk, visit__subject=subject)
    if not photo.image:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def overdue(request):
    if not selectors.can_see_overdue(request.user):
        raise Http404("no care register here")
    rows, cursor = selectors.overdue(request.user, request.GET.get("after", ""))
    return render(request, "care/visits/overdue.html", {"rows": rows, "next_cursor": cursor,
                                                        "first_page": not request.GET.get("after")})

"""A meeting's page: agenda, attendance, minutes and files, decisions and action items,
publication; its files through a checking view; the public decisions page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core.errors import RefusedError
from tongxin.meetings.models import Attendance, MinutesFile
from tongxin.meetings.selectors import meetings as selectors
from tongxin.meetings.services import meetings as services
from tongxin.meetings.views.common import date_from, int_or_none

MARKS = (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED)


def _action_from(post) -> list[dict]:
    title = (post.get("action_title") or "").strip()
    if not title:
        return []
    owner = post.get("action_owner", "")
    kind, _sep, pk = owner.partition(":")
    return [{"title": title, "deadline": date_from(post.get("action_deadline", ""), "deadline_invalid"),
             "owner_person_id": int(pk) if kind == "person" and pk.isdigit() else None,
             "owner_organisation_id": int(pk) if kind == "org" and pk.isdigit() else None}]


def _handle(request, meeting) -> str:
    """Run the posted operation; returns the success message."""
    from tongxin.meetings.services import actions as action_services

    post, user = request.POST, request.user
    op = post.get("op", "")
    if op == "agenda":
        services.add_agenda_item(user, meeting, title=post.get("title", ""), source=post.get("source", ""))
        return _("Agenda item added.")
    if op == "attendance":
        marks = {}
        for key, value in post.items():
            if key.startswith("att-") and key[4:].isdigit() and value:
                marks[int(key[4:])] = value
        head = post.get("head_count", "").strip()
        head_count = int_or_none(head)
        if head and head_count is None:
            raise RefusedError("head_count_invalid", "到会人数不对", "The number of people present is not valid")
        services.record_attendance(user, meeting, marks, head_count)
        return _("Attendance saved.")
    if op == "minutes":
        services.save_minutes(user, meeting, text=post.get("minutes", ""), files=request.FILES.getlist("files"))
        return _("Minutes saved.")
    if op == "decision":
        services.add_decision(user, meeting, text=post.get("text", ""), actions=_action_from(post))
        return _("Decision recorded.")
    if op == "action":
        decision = meeting.decisions.filter(pk=int_or_none(post.get("decision")) or 0).first()
        if decision is None:
            raise RefusedError("decision_missing", "请选择会议决定", "Choose the decision")
        actions = _action_from(post)
        if not actions:
            raise RefusedError("action_missing", "请写明要办的事项", "Please say what is to be done")
        action_services.add(user, decision, **actions[0])
        return _("Action item added.")
    if op == "publish":
        services.publish(user, meeting)
        return _("The decisions are on the notice board.")
    if op == "cancel":
        services.cancel(user, meeting)
        return _("Meeting cancelled.")
    raise RefusedError("op_invalid", "未知的操作", "Unknown operation")


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    error = None
    if request.method == "POST":
        if not services.can_manage(request.user, meeting.place_path):
            raise Http404("not a meeting you hold")
        try:
            done = _handle(request, meeting)
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("meetings-meeting", args=[meeting.pk]))
        meeting = selectors.meeting_for(request.user, pk)
    context = selectors.detail(request.user, meeting)
    context.update(error=error, values=request.POST, marks=[(m.value, m.label) for m in MARKS])
    return render(request, "meetings/meeting_detail.html", context, status=400 if error else 200)


@login_required
def meeting_file(request, pk, file_pk):
    meeting = selectors.meeting_for(request.user, pk)
    stored = get_object_or_404(MinutesFile, pk=file_pk, meeting=meeting)
    if not stored.file:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    if stored.content_type == "application/pdf":
        response["Content-Disposition"] = "inline; filename=minutes.pdf"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_page(request, token):
    """The decisions of a published meeting, for everyone (no attendance, no names)."""
    meeting, decisions = selectors.public(token)
    return render(request, "meetings/public.html", {"meeting": meeting, "decisions": decisions})

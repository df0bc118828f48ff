"""Screens for notices: the inbox behind the bell, notice preferences, and notices to a place."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.core import access, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Channel, DeliveryMode, InboxItem, NoticePreference, Place, PlaceNotice
from tongxin.core.outbox import default_mode, kinds
from tongxin.core.pagination import newest_first_page
from tongxin.core.roles import VIEW_TREE

PAGE_SIZE = 30


@login_required
def inbox(request):
    mine = InboxItem.objects.filter(user=request.user)
    items, more = newest_first_page(mine, request.GET.get("before", ""), PAGE_SIZE)
    return render(request, "core/inbox.html", {"items": items, "more": more})


@login_required
def inbox_open(request, pk):
    """Open a notice: it is marked read and the user goes where it points."""
    item = get_object_or_404(InboxItem, pk=pk, user=request.user)
    if item.read_at is None:
        InboxItem.objects.filter(pk=item.pk).update(read_at=timezone.now())
    target = item.url if url_has_allowed_host_and_scheme(item.url, allowed_hosts=None) and item.url else None
    return HttpResponseRedirect(target or reverse("inbox"))


@login_required
@require_POST
def inbox_read_all(request):
    InboxItem.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return HttpResponseRedirect(reverse("inbox"))


@login_required
def notice_preferences(request):
    """One choice per notification kind and channel: right away, in the daily digest (e-mail), or off."""
    user = request.user
    stored = {(p.kind, p.channel): p.mode for p in NoticePreference.objects.filter(user=user)}
    rows = []
    for kind in kinds().values():
        for channel in kind.channels:
            modes = [m for m in DeliveryMode if m != DeliveryMode.DIGEST or channel == Channel.EMAIL]
            rows.append({"kind": kind, "channel": Channel(channel), "name": f"{kind.code}:{channel}", "modes": modes,
                         "mode": stored.get((kind.code, channel), default_mode(kind, channel))})
    if request.method == "POST":
        for row in rows:
            mode = request.POST.get(row["name"], row["mode"])
            if mode not in {m.value for m in row["modes"]}:
                continue
            NoticePreference.objects.update_or_create(
                user=user, kind=row["kind"].code, channel=row["channel"], defaults={"mode": mode}
            )
        messages.success(request, _("Your notice settings are saved."))
        return HttpResponseRedirect(reverse("notice-preferences"))
    return render(request, "core/notice_preferences.html", {"rows": rows, "has_email": bool(user.email)})


class NoticeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100,
                            help_text=gettext_lazy("For example: 明天8:00–12:00停水"))
    body = forms.CharField(label=gettext_lazy("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Leave empty to publish now."),
    )
    expires_at = forms.DateTimeField(
        label=gettext_lazy("Show until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Leave empty for seven days."),
    )


def _publishable_place(user, code) -> Place:
    place = Place.objects.filter(code=code).first()
    if place is None or not access.can_see_path(user, VIEW_TREE, place.path):
        raise Http404("no such place")
    if not place_notices.can_publish(user, place):
        raise Http404("not allowed")
    return place


@login_required
def place_notice_new(request, code):
    place = _publishable_place(request.user, code)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = place_notices.create(
                request.user, place, title=data["title"], body=data["body"], publish_at=data["publish_at"],
                expires_at=data["expires_at"],
            )
        except RefusedError as refused:
            form.add_error(None, refused.message)
        else:
            if notice.published_at:
                messages.success(request, _("The notice is published."))
            else:
                messages.success(request, _("The notice will be published at %(at)s.") % {
                    "at": timezone.localtime(notice.publish_at).strftime("%Y-%m-%d %H:%M")})
            return HttpResponseRedirect(reverse("place-detail", args=[place.code]))
    status = 400 if request.method == "POST" else 200
    return render(request, "core/place_notice_form.html", {"form": form, "place": place}, status=status)


@login_required
@require_POST
def place_notice_withdraw(request, pk):
    notice = get_object_or_404(PlaceNotice.objects.select_related("place"), pk=pk)
    try:
        place_notices.withdraw(request.user, notice)
    except PermissionDenied:
        raise Http404("not allowed") from None
    messages.success(request, _("The notice is withdrawn."))
    return HttpResponseRedirect(reverse("place-detail", args=[notice.place.code]))

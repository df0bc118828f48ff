"""Managing a care subject's call buttons (``care.manage`` at the subject's place).

A new secret is shown once: the POST keeps it in the session and redirects; the next GET
takes it out and shows it with the big-button link and its QR code. Reloading shows it no
more; a double submit adds one device (``core.once``) and lands on the same page."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.alarms import conf
from tongxin.alarms.selectors import devices as selectors
from tongxin.alarms.services import devices as services
from tongxin.alarms.services.alarms import button_token
from tongxin.core import once
from tongxin.core.errors import RefusedError

SHOWN_ONCE = "alarms_new_secret"


def _page(request, subject, *, error=None, status=200):
    fresh = request.session.pop(SHOWN_ONCE, None) if request.method == "GET" else None
    shown = None
    if fresh and fresh.get("subject") == subject.pk:
        url = request.build_absolute_uri(reverse("alarms-button", args=[fresh["token"]]))
        shown = {"device": fresh["device"], "secret": fresh["secret"], "label": fresh["label"], "url": url,
                 "qr": segno.make(url, error="m", micro=False).svg_inline(border=2, omitsize=True,
                                                                          title=_("Big-button page"))}
    return render(request, "alarms/devices.html", {
        "subject": subject, "rows": selectors.device_rows(subject), "shown": shown, "error": error,
        "form_key": once.new_key(), "silent_hours": conf.silent_hours(),
    }, status=status)


def _keep_once(request, subject, device, secret) -> None:
    request.session[SHOWN_ONCE] = {"subject": subject.pk, "device": device.pk, "secret": secret,
                                   "label": device.label, "token": button_token(device, secret)}


@login_required
def devices(request, pk):
    subject = selectors.managed_subject(request.user, pk)
    if subject is None:
        raise Http404("no such care subject here")
    if request.method != "POST":
        return _page(request, subject)
    action, post = request.POST.get("action", ""), request.POST
    try:
        if action == "add":
            device, secret = services.add(request.user, subject, post.get("label", ""),
                                          form_key=post.get("form_key", ""))
            _keep_once(request, subject, device, secret)
            done = _("Call button added. Write down its secret now: it is shown only once.")
        elif action == "deactivate":
            services.deactivate(request.user, subject, post.get("device", ""))
            done = _("Call button deactivated.")
        elif action == "new_secret":
            device, secret = services.new_secret(request.user, subject, post.get("device", ""))
            _keep_once(request, subject, device, secret)
            done = _("New secret issued; the old one no longer works.")
        else:
            raise RefusedError("action_unknown", "未知操作", "Unknown action")
    except RefusedError as refused:
        if refused.code == "already_submitted":  # a double submit: the first one's page
            return HttpResponseRedirect(reverse("alarms-devices", args=[subject.pk]))
        return _page(request, subject, error=refused.message, status=400)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("alarms-devices", args=[subject.pk]))

"""The duty screen, an alarm's page, the history, and the public big-button page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.alarms.models import Alarm, AlarmOutcome, AlarmState
from tongxin.alarms.selectors import alarms as selectors
from tongxin.alarms.services import alarms as services
from tongxin.core.errors import RefusedError


@login_required
def duty(request):
    """Open alarms, loudly; the page refreshes itself every few seconds (htmx)."""
    alarms = selectors.duty_alarms(request.user)
    return render(request, "alarms/duty.html", {
        "cards": selectors.cards(request.user, alarms), "silent": selectors.silent_devices(request.user),
    })


@login_required
def alarm_detail(request, pk):
    alarm = selectors.visible_alarm(request.user, pk)
    if alarm is None:
        raise Http404("no such alarm here")
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "acknowledge":
                services.acknowledge(request.user, alarm)
            elif action == "close":
                services.close(request.user, alarm, request.POST.get("outcome", ""), request.POST.get("note", ""))
            else:
                raise RefusedError("action_unknown", "未知操作", "Unknown action")
        except RefusedError as refused:
            error = refused.message
        else:
            return HttpResponseRedirect(reverse("alarms-alarm", args=[alarm.pk]))
    card = selectors.cards(request.user, [alarm])[0]
    return render(request, "alarms/alarm.html", {
        "alarm": alarm, "card": card, "steps": selectors.steps(alarm), "error": error,
        "outcomes": AlarmOutcome.choices, "first_notice_at": selectors.first_notice_at(alarm),
    }, status=400 if error else 200)


@login_required
def history(request):
    rows, cursor = selectors.history(request.user, request.GET.get("before", ""))
    return render(request, "alarms/history.html", {"rows": rows, "cursor": cursor})


def button(request, token):
    """The big button: the URL is the device's capability. Pressing raises (or joins) an alarm
    through the same service as a device; the page then shows who answered."""
    device = services.device_for_token(token)
    if device is None:
        raise Http404("no such button")
    if request.method == "POST":
        alarm, _created = services.press(device, drill=request.POST.get("drill") == "1")
        return HttpResponseRedirect(f"{reverse('alarms-button', args=[token])}?alarm={alarm.pk}")
    alarm = None
    wanted = request.GET.get("alarm", "")
    if wanted.isdigit():
        recent = timezone.now() - services.JOIN_WINDOW * 30
        alarm = (Alarm.objects.filter(pk=int(wanted), device=device, raised_at__gte=recent)
                 .select_related("acknowledged_by__person").first())
    answered = ""
    if alarm is not None and alarm.acknowledged_by_id:
        person = alarm.acknowledged_by.person
        answered = person.name if person else _("someone")
    return render(request, "alarms/button.html", {
        "device": device, "alarm": alarm, "answered": answered, "open": AlarmState.OPEN,
    })

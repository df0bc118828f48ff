"""Reads for managing a care subject's call buttons: the subject, if the viewer holds
``care.manage`` at its place, and its devices with their heartbeat state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tongxin.alarms import conf
from tongxin.alarms.models import Device
from tongxin.care.apps import MANAGE
from tongxin.care.models import CareSubject
from tongxin.core import access


def managed_subject(user, pk) -> CareSubject | None:
    """The subject if the viewer may manage its call buttons; None otherwise (a 404)."""
    if not user.is_authenticated:
        return None
    return (CareSubject.objects.filter(access.path_filter(user, MANAGE, "home_path"), pk=pk)
            .select_related("person").first())


@dataclass
class DeviceRow:
    device: Device
    silent: bool  # active and not heard (or, never heard, added) longer than TONGXIN_ALARMS_SILENT_HOURS ago


def device_rows(subject: CareSubject, now=None) -> list[DeviceRow]:
    """The subject's devices, active first, newest first: one statement."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=conf.silent_hours())
    devices = Device.objects.filter(subject=subject).order_by("-active", "-created_at", "-pk")
    # A device just added has had no time to call in: it is silent only once the allowance passed.
    return [DeviceRow(device, device.active and (device.last_heartbeat_at or device.created_at) < cutoff)
            for device in devices]

"""Writes for managing a care subject's call buttons: adding one (its secret returned once),
deactivating one, issuing a new secret, and keeping the devices' ``home_path`` (their scope)
with the subject's home.

Who: holders of ``care.manage`` at the subject's place. The core has no hook when a person
moves, so :func:`follow_home` runs on every device action here (and may be called by anyone
who moves a subject).
"""

from __future__ import annotations

import secrets

from django.db import transaction

from tongxin.alarms.models import Device
from tongxin.alarms.services.alarms import add_device, hash_secret
from tongxin.care.apps import MANAGE
from tongxin.care.models import CareSubject
from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person


def may_manage(user, subject: CareSubject) -> bool:
    return access.can_see_path(user, MANAGE, subject.home_path)


def _require_manage(user, subject: CareSubject) -> None:
    if not may_manage(user, subject):
        raise RefusedError("not_allowed", "您不能管理这位关爱对象的呼叫器",
                           "You may not manage this care subject's call buttons")


@transaction.atomic
def follow_home(subject: CareSubject) -> int:
    """The subject (and so its devices) follow the person's current home; the devices updated.

    A person who moved out of every household (empty path) keeps the last known home."""
    current = Person.objects.filter(pk=subject.person_id).values_list("home_path", flat=True).first() or ""
    if current and current != subject.home_path:
        CareSubject.objects.filter(pk=subject.pk).update(home_path=current)
        subject.home_path = current
    return Device.objects.filter(subject=subject).exclude(home_path=subject.home_path).update(
        home_path=subject.home_path)


def _locked_device(subject: CareSubject, device_id) -> Device:
    device = (Device.objects.select_for_update().filter(pk=device_id, subject=subject).first()
              if str(device_id).isdigit() else None)
    if device is None:
        raise RefusedError("device_missing", "找不到该呼叫器", "No such call button")
    return device


@transaction.atomic
def add(user, subject: CareSubject, label: str, *, form_key: str) -> tuple[Device, str]:
    """A new call button; the secret is returned here once and stored only as a hash.
    ``form_key`` makes a double submit add one device."""
    subject = CareSubject.objects.select_for_update().get(pk=subject.pk)
    _require_manage(user, subject)
    label = (label or "").strip()
    if not label:
        raise RefusedError("label_missing", "请填写呼叫器名称", "Give the call button a name")
    if subject.closed_on:
        raise RefusedError("closed", "已移出关爱名单", "This subject has left the register")
    once.claim(form_key, user)
    follow_home(subject)
    return add_device(subject, label)


@transaction.atomic
def deactivate(user, subject: CareSubject, device_id) -> Device:
    """The device stops authenticating (its alarms stay). A second call changes nothing."""
    _require_manage(user, subject)
    device = _locked_device(subject, device_id)
    if device.active:
        device.active = False
        device.save(update_fields=["active"])
    follow_home(subject)
    return device


@transaction.atomic
def new_secret(user, subject: CareSubject, device_id) -> tuple[Device, str]:
    """Replace an active device's secret (a lost or shared link): the old one is refused at once."""
    _require_manage(user, subject)
    device = _locked_device(subject, device_id)
    if not device.active:
        raise RefusedError("device_inactive", "呼叫器已停用", "This call button is no longer active")
    secret = secrets.token_urlsafe(24)
    device.secret_hash = hash_secret(secret)
    device.save(update_fields=["secret_hash"])
    follow_home(subject)
    return device, secret


def deactivate_all_of(sender, subject: CareSubject, **_kwargs) -> int:
    """A subject who left the care register (moved away, passed away) has no call button:
    a press would reach nobody paired (``care.signals.subject_closed``)."""
    return Device.objects.filter(subject=subject, active=True).update(active=False)

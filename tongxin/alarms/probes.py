"""The scope walker's requests for the alarms' pages (``core.scopewalker``)."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    from tongxin.alarms.services import alarms as services
    from tongxin.care.models import CareSubject
    from tongxin.core.models import Person

    person = Person.objects.filter(home_path=world.places["b2u1"].path).order_by("pk").first()
    subject, _created = CareSubject.objects.get_or_create(person=person, defaults={"home_path": person.home_path})
    device, secret = services.add_device(subject, "呼叫器")
    alarm, _new = services.press(device)
    token = services.button_token(device, secret)
    return [
        Probe("alarms-duty"),
        Probe("alarms-history"),
        Probe("alarms-alarm", {"pk": alarm.pk}),
        Probe("alarms-alarm", {"pk": alarm.pk}, method="post", data={"action": "acknowledge"}),
        Probe("alarms-button", {"token": token}, public=True),
        # Managing the subject's call buttons (care.manage at grid B): grid A gets a 404.
        Probe("alarms-devices", {"pk": subject.pk}),
        Probe("alarms-devices", {"pk": subject.pk}, method="post",
              data={"action": "add", "label": "x", "form_key": "walk-alarms-add"}),
        Probe("alarms-devices", {"pk": subject.pk}, method="post", data={"action": "new_secret", "device": device.pk}),
        Probe("alarms-devices", {"pk": subject.pk}, method="post", data={"action": "deactivate", "device": device.pk}),
        Probe("alarms-button", {"token": token}, query=f"alarm={alarm.pk}", public=True),
        # The devices' API: a wrong secret is refused (a right one raises an alarm: not probed).
        Probe("api:alarms-list", method="post", data={"device": device.pk, "secret": "wrong"}, public=True),
        Probe("api:alarms-heartbeat", method="post", data={"device": device.pk, "secret": "wrong"}, public=True),
    ]

"""Test helpers for the alarms: a care subject in grid A with a paired helper, a family
contact, an SMS gateway subscriber and a call button."""

import datetime
from dataclasses import dataclass

from tongxin.alarms.services import alarms as services
from tongxin.care.models import CareSubject, EmergencyContact, Pairing
from tongxin.core.models import Person, WebhookSubscriber
from tongxin.core.services.people import create_person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, World


@dataclass
class Setup:
    subject: CareSubject
    device: object
    secret: str
    helper: object  # the helper's user
    contact: EmergencyContact
    gateway: WebhookSubscriber | None

    @property
    def token(self) -> str:
        return services.button_token(self.device, self.secret)


def care_setup(world: World, *, gateway_url: str = "http://127.0.0.1:9/", place: str = "b1u1",
               helper_phone: str = "13800000009", person: Person | None = None) -> Setup:
    if person is None:
        person = Person.objects.filter(home_path=world.places[place].path).order_by("pk").first()
    subject = CareSubject.objects.create(person=person, home_path=person.home_path)
    helper_person = create_person(name="帮扶人老张", phone=helper_phone)
    helper = create_login(helper_person, phone=helper_phone, password=PASSWORD)
    Pairing.objects.create(subject=subject, helper=helper_person, role="party_member",
                           valid_from=datetime.date(2026, 1, 1))
    contact = EmergencyContact.objects.create(subject=subject, name="李小红", relation="女儿", phone="13912340000")
    gateway = None
    if gateway_url:
        gateway = WebhookSubscriber.objects.create(name="短信语音网关", url=gateway_url, secret="gw-secret",
                                                   kinds=["alarm_raised", "alarm_escalated"])
    device, secret = services.add_device(subject, "王奶奶的呼叫器")
    return Setup(subject=subject, device=device, secret=secret, helper=helper, contact=contact, gateway=gateway)

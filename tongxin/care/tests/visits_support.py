"""Helpers for the visits tests: a care subject with a paired helper (written directly with
the models; the register's pages are another part's), a small photo with EXIF."""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.care.models import CareSubject, Pairing
from tongxin.care.services import visits
from tongxin.core.models import Person
from tongxin.core.services.people import create_person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD

__all__ = ["PASSWORD", "helper", "jpeg", "subject_in"]


def subject_in(world, building: str = "b1", *, risk: str = "medium", created=None) -> CareSubject:
    """The elderly resident living alone in ``building`` (``two_grids`` tags one per entrance)."""
    place = world.places[building]
    person = Person.objects.filter(home_path__gte=place.path, home_path__lt=place.path_end,
                                   tags__tag="elderly_alone").order_by("pk").first()
    subject = CareSubject.objects.create(person=person, home_path=person.home_path, risk=risk)
    if created is not None:
        CareSubject.objects.filter(pk=subject.pk).update(created_at=created)
        subject.refresh_from_db()
    return visits.reschedule(subject)


def helper(world, key: str, subject: CareSubject, *, phone: str, role: str = "volunteer") -> object:
    person = create_person(name=f"帮扶人{key}", phone=phone)
    user = create_login(person, phone=phone, password=PASSWORD)
    Pairing.objects.create(subject=subject, helper=person, role=role, valid_from=datetime.date(2026, 1, 1))
    world.users[key], world.people[key] = user, person
    return user


def jpeg(name: str = "p.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

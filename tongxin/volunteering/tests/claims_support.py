"""Helpers for the claims tests: approved members (enrolments written directly; approving
them is the registration part's), a wish reported at a door, a tiny photo with EXIF."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from tongxin.core.services.people import create_person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD
from tongxin.volunteering.models import Enrolment, EnrolmentKind, Status

__all__ = ["PASSWORD", "enrol", "jpeg_with_exif", "wish_report"]


def enrol(world, key: str, *, home: str = "b1u1", phone: str, kind=EnrolmentKind.PARTY_MEMBER, community="community",
          status=Status.APPROVED):
    """A person with a login and an approved enrolment in the community, living at ``home``."""
    person = create_person(name=f"志愿者{key}", phone=phone)
    user = create_login(person, phone=phone, password=PASSWORD)
    place, where = world.places[home], world.places[community]
    Enrolment.objects.create(person=person, user=user, kind=kind, community=where, community_path=where.path,
                             home=place, home_path=place.path, status=status)
    world.users[key], world.people[key] = user, person
    return user


def wish_report(world, place: str = "b1u1", *, phone: str = "13912345678", key: str = "wish-1",
                description: str = "想要一副老花镜"):
    """A 微心愿 reported at a door's QR code and taken in, as the intake task does."""
    from tongxin.demands.models import Category
    from tongxin.demands.testing import file_report

    return file_report(world.places[place], category=Category.objects.get(code="wish"), description=description,
                       name="王奶奶", phone=phone, key=key)


def jpeg_with_exif(name: str = "p.jpg") -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "secret-software"
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

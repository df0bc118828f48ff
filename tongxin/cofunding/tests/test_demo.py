"""The demo: loads on the registers' demo, twice without duplicates; a collecting lift
project for 1栋 with some payments, its notice, and its pages for the demo's staff and the public."""

import pytest
from django.test import Client

from tongxin.cofunding import demo as cofunding_demo
from tongxin.cofunding.models import OwnerShare, Payment, ProgressUpdate, Project, Source
from tongxin.core.models import PlaceNotice, User
from tongxin.core.testing import demo_loaded_twice

pytestmark = pytest.mark.django_db
TABLES = (Project, Source, OwnerShare, Payment, ProgressUpdate, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], cofunding_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  cofunding:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    project = Project.objects.get()
    assert (project.state, project.place.code, project.owners_rule) == ("collecting", "jz-dongyuan-ssh", "per_area")
    assert list(project.buildings.values_list("code", flat=True)) == ["jz-dongyuan-ssh-b01"]
    sources = list(project.sources.all())
    assert sum(s.amount_fen for s in sources) == project.budget_fen == 58600000
    shares = OwnerShare.objects.filter(project=project)
    assert shares.count() > 10 and sum(shares.values_list("amount_fen", flat=True)) == sources[-1].amount_fen
    paid = Payment.objects.filter(project=project).count()
    assert 0 < paid < shares.count()
    assert PlaceNotice.objects.filter(link=f"/cofunding/p/{project.pk}/").count() == 1


def test_the_demo_staff_and_the_public_see_it(demo):
    project = Project.objects.get()
    client = Client()
    public = client.get(f"/cofunding/p/{project.pk}/").content.decode()
    assert "1栋加装电梯" in public and "586000.00" in public
    client.force_login(User.objects.get(phone="13900000003"))  # the demo's community staff
    page = client.get(f"/cofunding/{project.pk}/").content.decode()
    assert "1栋受益业主" in page and "登记" in page

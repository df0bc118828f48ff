"""The mediation demo: loads on the registers' demo, twice without duplicates, with seed 000's
kind of figures (13 concluded over the year, 12 settled), an overdue case, a hand-off, a
written agreement with its PDF, and a mediator who signs in and sees their cases."""


import pytest
from django.test import Client
from django.urls import reverse

from tongxin.core.models import Place, User
from tongxin.core.testing import demo_loaded_twice
from tongxin.mediation import demo as mediation_demo
from tongxin.mediation.models import Case, Mediator, Session, Signature
from tongxin.mediation.selectors.stats import place_stats

pytestmark = pytest.mark.django_db
TABLES = (Case, Mediator, Session, Signature)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], mediation_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"] and demo["first"]["Case"] == 15
    assert demo["out"].count("  mediation:") == 2


def test_the_figures_are_seed_000s(demo):
    totals = place_stats(Place.objects.get(code=mediation_demo.COMMUNITY))["totals"]
    assert (totals["settled"], totals["concluded"], totals["handed_off"], totals["overdue"]) == (12, 13, 1, 1)
    assert str(totals["rate"]) == "92.3"
    written = Case.objects.get(agreement__form="written")
    assert written.agreement.effective_on and Signature.objects.filter(agreement__case=written).count() == 2


def test_the_demo_mediator_sees_their_cases_and_the_pdf_prints(demo):
    user = User.objects.get(phone=mediation_demo.MEDIATOR_PHONE)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("mediation-mine")).content.decode()
    mine = Case.objects.filter(mediators__person=user.person)
    assert mine.exists() and all(case.title in page for case in mine[:5])
    written = Case.objects.get(agreement__form="written")
    staff = User.objects.get(person__roles__role="community_staff", person__roles__place__code="jz-dongyuan")
    client.force_login(staff)
    assert client.get(reverse("mediation-agreement-pdf", args=[written.pk])).content.startswith(b"%PDF")

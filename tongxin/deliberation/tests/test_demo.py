"""The demo: loads on the registers' and volunteering's demos, twice without duplicates; one major
matter with its resolution published, one consultation under discussion."""


import pytest
from django.test import Client

from tongxin.core.models import PlaceNotice
from tongxin.core.testing import demo_loaded_twice
from tongxin.deliberation import demo as deliberation_demo
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import Consultation, ConsultationEvent, MajorMatter, MatterStep

pytestmark = pytest.mark.django_db
TABLES = (MajorMatter, MatterStep, Consultation, ConsultationEvent, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.demands.demo import load as load_demands
    from tongxin.registers.demo import load as load_registers
    from tongxin.volunteering.demo import load as load_volunteering

    before = [load_registers, load_demands, load_volunteering]
    with demo_loaded_twice(django_db_blocker, before, deliberation_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert "deliberation: 2 records made" in demo["out"] and "deliberation: 0 records made" in demo["out"]


def test_the_demo_has_a_published_matter_and_a_consultation_in_discussion(demo):
    matter = MajorMatter.objects.get(title=deliberation_demo.MATTER)
    assert matter.state == rules.PUBLISHED and matter.resolution_notice.published_at
    assert [s.step for s in matter.steps.all()] == [rules.PROPOSE, rules.DISCUSS, rules.REVIEW, rules.RESOLVE,
                                                    rules.PUBLISH_RESOLUTION]
    page = Client().get(services.public_url(matter)).content.decode()
    assert "首批2栋、5栋" in page
    consultation = Consultation.objects.get(title=deliberation_demo.CONSULTATION)
    assert consultation.state == rules.DISCUSSING and consultation.raised_by_id
    assert consultation.events.filter(kind="comment").count() == 2

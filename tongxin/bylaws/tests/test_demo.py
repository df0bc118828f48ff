"""The demo: on the registers' and voting's demos, 沙市花园's 议事规则 and 居民公约 with two published
versions each, the second 议事规则 citing voting's closed decision; loading twice adds nothing."""

import pytest
from django.test import Client

from tongxin.bylaws import demo as bylaws_demo
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.core.models import PlaceNotice
from tongxin.core.testing import demo_loaded_twice

pytestmark = pytest.mark.django_db
TABLES = (Bylaw, BylawVersion, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers
    from tongxin.voting.demo import load as load_voting

    with demo_loaded_twice(django_db_blocker, [load_registers, load_voting], bylaws_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert "bylaws: 2 rules, 4 published versions" in demo["out"]


def test_two_versions_each_and_the_second_rules_of_procedure_cites_the_vote(demo):
    procedure = Bylaw.objects.get(title="沙市花园议事规则")
    versions = list(procedure.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and all(v.published_at for v in versions)
    vote = versions[1].decision
    if vote is not None:
        assert vote.state == "closed" and vote.passed
    else:
        assert versions[1].basis
    convention = Bylaw.objects.get(title="沙市花园居民公约")
    assert convention.versions.filter(published_at__isnull=False).count() == 2
    page = Client().get(f"/bylaws/r/{convention.pk}/").content.decode()
    assert "<ins>" in page and "关心独居老人" in page

"""Issue 4's scope walker: no role sees or changes what lies outside its places."""

import pytest

from tongxin.core.registry import Probe
from tongxin.core.scopewalker import walk

pytestmark = pytest.mark.django_db


def test_every_role_stays_inside_its_grid_on_every_route(world):
    assert walk(world) == []


def test_the_walker_catches_a_deliberately_unscoped_view(world, settings):
    settings.ROOT_URLCONF = "tests.leaky_urls"
    problems = walk(world, extra=[Probe("leak")], urlconf="tests.leaky_urls")
    assert problems and all("/leak/ shows grid B's records" in problem for problem in problems)


def test_a_route_without_a_probe_fails_the_walk(world, settings):
    settings.ROOT_URLCONF = "tests.leaky_urls"
    assert "no probe for route leak" in walk(world, urlconf="tests.leaky_urls")

"""The rollups kept step by step by the services always equal a recount from the timelines."""

import datetime
import uuid

import pytest
from django.db.models.signals import pre_save
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.core.errors import RefusedError
from tongxin.demands import rules, services
from tongxin.demands.models import Category, Demand
from tongxin.demands.testing import file_report
from tongxin.indicators import rollups
from tongxin.indicators.models import DailyFigures, DemandTally, MonthlyFigures

pytestmark = pytest.mark.django_db

PLACES = ("b1u1", "b1u2", "b2u1")


class Deadlines:
    """Stands in for the deadlines ``report`` sets (drawn, some already passed), where it sets none."""

    hours = (2.0, 72.0)

    def __call__(self, sender, instance, **kwargs):
        if instance._state.adding and instance.respond_by is None:
            now = timezone.now()
            instance.respond_by = now + datetime.timedelta(hours=self.hours[0])
            instance.resolve_by = now + datetime.timedelta(hours=self.hours[1])


@pytest.fixture
def deadlines():
    given_deadlines = Deadlines()
    pre_save.connect(given_deadlines, sender=Demand, dispatch_uid="test-deadlines")
    yield given_deadlines
    pre_save.disconnect(sender=Demand, dispatch_uid="test-deadlines")


hours = st.floats(min_value=-96, max_value=96, allow_nan=False)
steps = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(PLACES), st.sampled_from(("repairs", "sanitation")),
              st.booleans(), hours, hours),
    st.tuples(st.just("act"), st.integers(0, 30), st.integers(0, 12)),
    st.tuples(st.just("rate"), st.integers(0, 30), st.integers(1, 5)),
)


def take(world, demands, step, given_deadlines):
    kind = step[0]
    if kind == "report":
        _kind, place, category, anonymous, respond, resolve = step
        given_deadlines.hours = (respond, resolve)
        demands.append(file_report(
            world.places[place], category=Category.objects.get(code=category), description="楼道灯不亮",
            phone="" if anonymous else "13912345678", key=uuid.uuid4().hex,
        ))
        return
    if not demands:
        return
    demand = Demand.objects.get(pk=demands[step[1] % len(demands)].pk)
    if kind == "rate":
        try:
            services.rate(demand, step[2])
        except RefusedError:
            pass
        return
    possible = rules.actions_for(demand.state, {rules.DISPATCHER, rules.HANDLER, rules.SUPERVISOR})
    if not possible:
        return
    action = possible[step[2] % len(possible)]
    worker = world.users["worker_a" if demand.place_path.startswith(world.places["b1"].path) else "worker_b"]
    for user in (worker, world.users["leader"]):
        try:
            services.act(user, demand, action, note="处理情况", handler=worker,
                         referral={"office": "区住建局", "reference": "Z-1"})
            return
        except (rules.NotAllowed, RefusedError):
            continue


def assert_rollups_equal_a_recount():
    fresh, tallies = rollups.recompute()
    assert rollups.stored() == fresh
    assert rollups.stored(MonthlyFigures, "month") == rollups.by_month(fresh)  # the trend's grain agrees
    assert dict(DemandTally.objects.values_list("demand_id", "rows")) == tallies


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=25))
def test_rollups_always_equal_a_recount_from_the_timelines(world, deadlines, sequence):
    demands = []
    for step in sequence:
        take(world, demands, step, deadlines)
    assert_rollups_equal_a_recount()


def test_a_full_life_moves_the_counters(world, deadlines):
    demand = file_report(world.places["b1u1"], category=Category.objects.get(code="repairs"),
                             description="水管漏水", phone="13912345678", key="life")
    worker = world.users["worker_a"]
    for action in ("accept", "dispatch", "start", "resolve", "verify", "close"):
        services.act(worker, demand, action, note="已处理", handler=worker)
    services.rate(demand, 2)  # within 7 days: reopened
    row = DailyFigures.objects.get(received=1)  # the report day (the due day is another row)
    assert (row.received, row.accepted, row.resolved, row.resolved_ever, row.reworked, row.rated, row.satisfied) == (
        1, 1, 0, 1, 1, 1, 0)
    assert_rollups_equal_a_recount()


def test_a_demand_that_changes_its_due_day_leaves_the_old_row(world, deadlines):
    demand = file_report(world.places["b1u1"], category=Category.objects.get(code="repairs"),
                             description="水管漏水", key="move")
    Demand.objects.filter(pk=demand.pk).update(resolve_by=timezone.now() + datetime.timedelta(days=9))
    services.act(world.users["worker_a"], demand, "accept")
    assert DailyFigures.objects.filter(due=1).count() == 1
    assert_rollups_equal_a_recount()


def test_rebuild_rollups_writes_what_a_recount_finds(world, deadlines):
    for n in range(3):
        file_report(world.places["b2u1"], category=Category.objects.get(code="repairs"), description="漏水",
                        key=f"r{n}")
    DailyFigures.objects.update(received=99)  # drift
    DemandTally.objects.all().delete()
    assert rollups.rebuild_rollups() == 2  # the report day's row and the due day's
    assert_rollups_equal_a_recount()
    assert DailyFigures.objects.get(received__gt=0).received == 3


def test_the_random_lives_reach_most_steps(world, deadlines):
    """A guard on the property test's strategy: random lives do get far (not refused at step one)."""
    import random

    from tongxin.demands.models import DemandEvent

    rng = random.Random(7)
    demands = []
    for _ in range(300):
        if rng.random() < 0.04 or not demands:
            step = ("report", rng.choice(PLACES), "repairs", rng.random() < 0.3, rng.uniform(-5, 5), 48.0)
        else:
            acting = rng.random() < 0.9
            step = ("act", rng.randrange(31), rng.randrange(13)) if acting else ("rate", rng.randrange(31), 2)
        take(world, demands, step, deadlines)
    seen = set(DemandEvent.objects.values_list("action", flat=True))
    assert {"accept", "dispatch", "resolve", "verify", "close", "rate"} <= seen, sorted(seen)
    assert_rollups_equal_a_recount()

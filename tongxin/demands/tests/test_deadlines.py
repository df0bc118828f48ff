"""Deadlines per tier, the task at each deadline, and escalation one level up the tree."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tongxin.core.models import OutboxMessage
from tongxin.core.testing import login_for
from tongxin.demands import deadlines, rules, services
from tongxin.demands.models import Category, Demand
from tongxin.demands.testing import file_report

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
H = datetime.timedelta(hours=1)


def at(y, m, d, hour=10, minute=0):
    return datetime.datetime(y, m, d, hour, minute, tzinfo=TZ)


def category(tier, response=None, resolution=None):
    return Category(code="x", tier=tier, response_time=response, resolution_time=resolution)


@pytest.mark.parametrize(("tier", "start", "respond_by", "resolve_by"), [
    ("emergency", at(2026, 11, 20), at(2026, 11, 20, 10, 30), at(2026, 11, 20, 12)),
    ("utility", at(2026, 11, 20), at(2026, 11, 20, 12), at(2026, 11, 21, 10)),
    ("same_day", at(2026, 11, 20, 9), at(2026, 11, 20, 11), at(2026, 11, 21, 0)),
    ("same_day", at(2026, 11, 20, 19), at(2026, 11, 20, 21), at(2026, 11, 22, 0)),  # after 18:00: tomorrow
    ("ordinary", at(2026, 11, 20), at(2026, 11, 24, 0), at(2026, 12, 2, 0)),  # a Friday: 1 and 7 working days
    ("complex", at(2026, 9, 30), at(2026, 10, 9, 0), at(2026, 10, 28, 0)),  # across 国庆 and 10 October worked
])
def test_deadlines_per_tier(tier, start, respond_by, resolve_by):
    from tongxin.core import holidays, workdays
    from tongxin.core.models import CalendarDay

    holidays.seed(CalendarDay)
    exceptions = workdays.exceptions_between(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert deadlines.deadlines(start, category(tier), exceptions, TZ) == (respond_by, resolve_by)


def test_a_category_may_override_the_tier_in_clock_time():
    start = at(2026, 11, 20)
    found = deadlines.deadlines(start, category("ordinary", datetime.timedelta(seconds=5), 3 * H), {}, TZ)
    assert found == (start + datetime.timedelta(seconds=5), start + 3 * H)


def report(world, place="b1u1", code="lighting", key="k", take_in=True):
    file = file_report if take_in else services.report  # file_report: then taken in, as the worker does
    return file(world.places[place], category=Category.objects.get(code=code), description="楼道灯坏了", key=key)


def test_a_report_gets_its_deadlines_then_at_intake_its_unit_and_a_task_at_each_deadline(world):
    demand = report(world, take_in=False)
    assert demand.respond_by < demand.resolve_by
    assert demand.unit is None and demand.taken_in_at is None  # the resident's request stops here
    services.take_in(demand.pk)  # what the intake task does after the report
    demand.refresh_from_db()
    assert demand.unit == world.places["grid_a"] and demand.level == demand.unit
    assert demand.unit_path == world.places["grid_a"].path
    tasks = DBTaskResult.objects.filter(task_path="tongxin.demands.tasks.check_deadline")
    assert sorted(t.run_after for t in tasks) == [demand.respond_by, demand.resolve_by]
    assert {t.args_kwargs["args"][1] for t in tasks} == {"response", "resolution"}


def past(demand, *, respond=None, resolve=None):
    """Move the deadlines into the past, as time passing would."""
    now = timezone.now()
    moved = {"respond_by": respond and now - respond, "resolve_by": resolve and now - resolve}
    Demand.objects.filter(pk=demand.pk).update(**moved)
    demand.refresh_from_db()
    return demand


def test_not_taken_up_in_time_climbs_grid_community_street_and_stops_at_the_top(world):
    demand = past(report(world), respond=H, resolve=None)
    assert services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    demand.refresh_from_db()
    assert demand.state == "escalated" and demand.level == world.places["community"] and demand.escalations == 1
    assert demand.responded_at is None  # the system's step is not a response
    told = set(OutboxMessage.objects.filter(kind="demand_escalated").values_list("user__phone", flat=True))
    assert told == {"13100000003"}  # the community's staff: the next level, not the grid again
    # the community staff now supervise it; the grid worker still sees it but cannot take it back
    assert rules.SUPERVISOR in services.roles_of(world.users["staff"], demand)
    assert rules.SUPERVISOR not in services.roles_of(world.users["worker_a"], demand)
    # nobody at the community takes it up either: the street
    demand = past(demand, respond=H)
    assert services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    demand.refresh_from_db()
    assert demand.level == world.places["street"] and demand.escalations == 2
    assert "13100000004" in set(OutboxMessage.objects.filter(kind="demand_escalated").values_list(
        "user__phone", flat=True))
    demand = past(demand, respond=H)
    assert services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    demand.refresh_from_db()
    assert demand.level == world.places["district"]
    demand = past(demand, respond=H)
    assert not services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())  # the top


def test_the_level_it_reached_takes_it_up(world):
    demand = past(report(world), respond=H)
    services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    services.act(world.users["staff"], demand, "accept")
    demand.refresh_from_db()
    assert demand.state == "accepted" and demand.responded_at is not None
    assert not services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())


def test_taken_up_in_time_nothing_happens(world):
    demand = report(world)
    services.act(world.users["worker_a"], demand, "accept")
    demand = past(demand, respond=H, resolve=None)
    assert not services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    assert Demand.objects.get(pk=demand.pk).state == "accepted"


def test_not_resolved_in_time_escalates_once_and_the_handler_is_told(world):
    demand = report(world)
    services.act(world.users["worker_a"], demand, "accept")
    services.act(world.users["worker_a"], demand, "dispatch", handler=world.users["chief_b1"])
    demand = past(demand, respond=2 * H, resolve=H)
    due = demand.resolve_by.isoformat()
    assert services.check_overdue(demand.pk, "resolution", due)
    assert not services.check_overdue(demand.pk, "resolution", due)  # the task and the sweep: once
    told = set(OutboxMessage.objects.filter(kind="demand_escalated").values_list("user__phone", flat=True))
    assert {"13100000003", "13100000005"} <= told  # the next level and the handler


def test_an_extension_moves_the_deadline_and_the_old_check_does_nothing(world):
    demand = report(world)
    services.act(world.users["worker_a"], demand, "accept")
    services.act(world.users["worker_a"], demand, "dispatch", handler=world.users["chief_b1"])
    old = demand.resolve_by
    services.act(world.users["worker_a"], demand, "extend", note="等配件")
    demand.refresh_from_db()
    assert demand.resolve_by > old and demand.extensions == 1
    assert not services.check_overdue(demand.pk, "resolution", old.isoformat())


def test_a_suspended_demand_is_not_overdue(world):
    demand = report(world)
    worker, leader = world.users["worker_a"], world.users["leader"]
    services.act(worker, demand, "accept")
    services.act(worker, demand, "dispatch", handler=world.users["chief_b1"])
    services.act(world.users["chief_b1"], demand, "start")
    services.act(leader, demand, "suspend", note="等业主大会表决")
    demand = past(demand, respond=H, resolve=H)
    assert not services.check_overdue(demand.pk, "resolution", demand.resolve_by.isoformat())


def test_a_handler_may_ask_to_escalate(world):
    demand = report(world)
    services.act(world.users["worker_a"], demand, "accept")
    services.act(world.users["worker_a"], demand, "dispatch", handler=world.users["chief_b1"])
    services.act(world.users["chief_b1"], demand, "escalate", note="需要街道协调物业")
    demand.refresh_from_db()
    assert demand.state == "escalated" and demand.level == world.places["community"]


def test_the_sweep_catches_what_no_task_would(world):
    late = [past(report(world, key=f"s{n}"), respond=H) for n in range(3)]
    fine = report(world, key="fine")
    DBTaskResult.objects.all().delete()  # say the tasks were lost
    assert services.sweep_overdue() == 3
    assert services.sweep_overdue() == 0  # each escalated once: its new level's deadline is ahead
    assert set(Demand.objects.filter(state="escalated").values_list("pk", flat=True)) == {d.pk for d in late}
    assert Demand.objects.get(pk=fine.pk).state == "received"


def test_overdue_filter_and_countdowns_on_the_workbench(world, client):
    late = past(report(world, key="late"), respond=H)
    report(world, key="fresh")
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("demand-workbench") + "?show=overdue").content.decode()
    assert late.tracking_code in page and page.count('name="ids"') == 1
    assert "countdown late" in page and "data-countdown" in page
    everything = client.get(reverse("demand-workbench")).content.decode()
    assert everything.count("data-countdown") == 2


def test_a_grid_worker_in_a_village_climbs_to_the_village_then_the_town(world):
    from tongxin.core.services.places import create_place

    town = create_place(parent=world.places["district"], kind="town", code="t-town", name="测试镇")
    village = create_place(parent=town, kind="village", code="t-village", name="测试村")
    group = create_place(parent=village, kind="villager_group", code="t-group", name="一组")
    login_for(world, "village_staff", "community_staff", place=village, phone="13100000031")
    demand = past(report(world, place="b1u1", key="v"), respond=H)
    Demand.objects.filter(pk=demand.pk).update(place=group, place_path=group.path, level=village, unit=village)
    demand.refresh_from_db()
    services.check_overdue(demand.pk, "response", demand.respond_by.isoformat())
    demand.refresh_from_db()
    assert demand.level == town

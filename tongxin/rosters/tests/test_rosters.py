import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage
from tongxin.core.testing import PASSWORD, count_queries, login_for
from tongxin.demands.models import Category, Demand
from tongxin.rosters import selectors, services
from tongxin.rosters.models import CheckIn, Incident, Round, Shift, ShiftAssignment

pytestmark = pytest.mark.django_db
ZONE = timezone.get_current_timezone()


def day(ahead: int = 2) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=ahead)


def duty(world, name="值班室", place="community"):
    return services.create_roster(world.users["staff"], world.places[place], name=name)


def shift(world, roster, start=8, end=12, ahead=2, needed=1):
    return services.add_shift(world.users["staff"], roster, date=day(ahead), start=datetime.time(start),
                              end=datetime.time(end), needed=needed)


def test_only_managers_set_up_rosters(world):
    with pytest.raises(RefusedError):
        services.create_roster(world.users["worker_a"], world.places["community"], name="值班室")
    roster = duty(world)
    with pytest.raises(RefusedError) as refused:
        duty(world)
    assert refused.value.code == "roster_exists"
    with pytest.raises(RefusedError):
        shift_by = services.add_shift
        shift_by(world.users["worker_a"], roster, date=day(), start=datetime.time(8), end=datetime.time(12))


def test_sign_up_full_and_overlap(world):
    roster = duty(world)
    morning = shift(world, roster, 8, 12)
    services.sign_up(world.users["worker_a"], morning)
    with pytest.raises(RefusedError) as refused:
        services.sign_up(world.users["chief_b1"], morning)
    assert refused.value.code == "shift_full"
    with pytest.raises(RefusedError) as refused:
        services.sign_up(world.users["worker_a"], morning)
    assert refused.value.code == "shift_held"
    overlapping = shift(world, duty(world, "热线"), 11, 14)
    with pytest.raises(RefusedError) as refused:
        services.sign_up(world.users["worker_a"], overlapping)
    assert refused.value.code == "shift_overlap"
    after = shift(world, roster, 12, 16)  # back to back is fine
    services.sign_up(world.users["worker_a"], after)
    assert ShiftAssignment.objects.filter(user=world.users["worker_a"]).count() == 2


def test_a_sibling_buildings_roster_is_not_for_grid_a(world):
    roster = duty(world, "2栋值守", place="b2")
    late = shift(world, roster)
    with pytest.raises(RefusedError):
        services.sign_up(world.users["worker_a"], late)
    assert roster not in selectors.rosters(world.users["worker_a"])
    assert roster in selectors.rosters(world.users["worker_b"])  # grid B covers building 2
    assert duty(world) in selectors.rosters(world.users["chief_b1"])  # the community's, above


def test_offer_and_take_with_overlap_refused(world):
    roster = duty(world)
    first = shift(world, roster, 8, 12)
    held = services.sign_up(world.users["worker_a"], first)
    with pytest.raises(RefusedError) as refused:
        services.take(world.users["chief_b1"], first, held)
    assert refused.value.code == "not_offered"
    services.offer(world.users["worker_a"], first)
    busy = shift(world, duty(world, "热线"), 10, 11)
    services.sign_up(world.users["staff"], busy)
    with pytest.raises(RefusedError) as refused:
        services.take(world.users["staff"], first, held)
    assert refused.value.code == "shift_overlap"
    services.take(world.users["chief_b1"], first, held)
    held.refresh_from_db()
    assert held.user == world.users["chief_b1"] and not held.offered
    assert OutboxMessage.objects.filter(kind="rosters_shift_taken", user=world.users["worker_a"]).exists()


def test_reminders_once_per_holder(world):
    roster = duty(world)
    now = timezone.now()
    soon = Shift.objects.create(roster=roster, place_path=roster.place_path,
                                starts_at=now + datetime.timedelta(hours=1),
                                ends_at=now + datetime.timedelta(hours=5), needed=2)
    later = Shift.objects.create(roster=roster, place_path=roster.place_path,
                                 starts_at=now + datetime.timedelta(hours=3), ends_at=now + datetime.timedelta(hours=6))
    ShiftAssignment.objects.create(shift=soon, user=world.users["worker_a"], seat=0)
    ShiftAssignment.objects.create(shift=soon, user=world.users["chief_b1"], seat=1)
    ShiftAssignment.objects.create(shift=later, user=world.users["staff"], seat=0)
    services.send_reminders()
    services.send_reminders()  # the next sweep tells nobody again
    told = OutboxMessage.objects.filter(kind="rosters_shift_reminder")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [world.users["worker_a"].pk, world.users["chief_b1"].pk])


def test_on_duty_at_the_place_or_above(world):
    roster = duty(world)
    now = timezone.now()
    on = Shift.objects.create(roster=roster, place_path=roster.place_path, starts_at=now - datetime.timedelta(hours=1),
                              ends_at=now + datetime.timedelta(hours=1))
    ShiftAssignment.objects.create(shift=on, user=world.users["worker_a"], seat=0)
    b2 = services.create_roster(world.users["staff"], world.places["b2"], name="2栋")
    other = Shift.objects.create(roster=b2, place_path=b2.place_path, starts_at=now - datetime.timedelta(hours=1),
                                 ends_at=now + datetime.timedelta(hours=1))
    ShiftAssignment.objects.create(shift=other, user=world.users["worker_b"], seat=0)
    assert selectors.on_duty(world.places["b1u1"], now) == [world.users["worker_a"]]
    assert set(selectors.on_duty(world.places["b2"], now)) == {world.users["worker_a"], world.users["worker_b"]}
    assert selectors.on_duty(world.places["b1u1"], now + datetime.timedelta(hours=2)) == []


def route_with(world, points=4, place="compound"):
    route = services.create_route(world.users["staff"], world.places[place], name="夜间巡逻")
    for n in range(points):
        services.add_checkpoint(world.users["staff"], route, name=f"点{n + 1}")
    return route


def test_scan_checks_in_the_open_round_and_raises_a_demand(world, client):
    route = route_with(world)
    services.plan_rounds(world.users["staff"], route, [timezone.localdate()])
    points = list(route.checkpoints.all())
    client.login(phone="13100000001", password=PASSWORD)
    url = reverse("rosters-scan", args=[points[0].token])
    assert client.get(url).status_code == 200
    assert not CheckIn.objects.exists()  # a GET writes nothing
    response = client.post(url)
    patrol = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rosters-round", args=[patrol.pk])
    assert patrol.walker == world.users["worker_a"] and patrol.planned  # took today's planned round
    client.post(url)  # scanned twice: one check-in
    client.post(reverse("rosters-scan", args=[points[2].token]))
    assert CheckIn.objects.filter(round=patrol).count() == 2
    category = Category.objects.filter(active=True, sensitive=False).order_by("order").first()
    page = reverse("rosters-round", args=[patrol.pk])
    client.post(page, {"action": "incident", "text": "路灯坏了", "category": category.code, "form_key": "k" * 32})
    client.post(page, {"action": "incident", "text": "路灯坏了", "category": category.code, "form_key": "k" * 32})
    incident = Incident.objects.get()
    demand = Demand.objects.get(pk=incident.demand_id)
    assert demand.place == world.places["compound"] and "路灯坏了" in demand.description
    assert demand.recorded_by == world.users["worker_a"]
    client.post(page, {"action": "finish"})
    patrol.refresh_from_db()
    assert patrol.finished_at is not None
    shown = client.get(page).content.decode()
    assert "点2" in shown and "路灯坏了" in shown


def test_grid_a_cannot_scan_building_twos_route(world, client):
    route = route_with(world, 1, place="b2")
    client.login(phone="13100000001", password=PASSWORD)
    assert client.post(reverse("rosters-scan", args=[route.checkpoints.get().token])).status_code == 404
    assert not Round.objects.exists()


def test_qr_sheet_shows_every_checkpoint(world, client):
    route = route_with(world, 3)
    client.login(phone="13100000003", password=PASSWORD)
    shown = client.get(reverse("rosters-route-qr", args=[route.pk])).content.decode()
    assert shown.count("data:image/svg+xml") == 3
    assert "点3" in shown


def _week_of_rounds(world, route, rounds):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    points = list(route.checkpoints.all())
    for n in range(rounds):
        started = timezone.now() - datetime.timedelta(hours=1)
        walker = login_for(world, f"w{route.pk}-{n}", "building_volunteer", place=world.places["compound"],
                           phone=f"1520000{route.pk:02d}{n:02d}")
        patrol = Round.objects.create(route=route, place_path=route.place_path, planned_for=monday, walker=walker,
                                      started_at=started, finished_at=started + datetime.timedelta(minutes=30))
        CheckIn.objects.bulk_create([CheckIn(round=patrol, checkpoint=p, at=started) for p in points[: 3 if n else 4]])
    Round.objects.create(route=route, place_path=route.place_path, planned_for=monday)  # planned, not walked
    return monday


def test_coverage_counts_and_stays_flat(world, client):
    small = route_with(world)
    monday = _week_of_rounds(world, small, 3)
    rows = selectors.coverage(world.users["staff"], world.places["community"], monday)
    assert [(r.planned, r.done, r.missed) for r in rows] == [(4, 3, 2)]
    assert rows[0].missed_points == [("点4", 2)]
    client.login(phone="13100000003", password=PASSWORD)
    url = reverse("rosters-coverage") + f"?place=t-community&week={monday.isoformat()}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    big = services.create_route(world.users["staff"], world.places["b1"], name="楼道巡查")
    for n in range(4):
        services.add_checkpoint(world.users["staff"], big, name=f"楼层{n}")
    _week_of_rounds(world, big, 30)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_pages_render(world, client):
    roster = duty(world)
    first = shift(world, roster, ahead=0 if timezone.localtime().hour < 8 else 1)
    route = route_with(world, 2)
    client.login(phone="13100000001", password=PASSWORD)
    week = f"?week={timezone.localdate(first.starts_at).isoformat()}"
    response = client.post(reverse("rosters-shift", args=[first.pk]), {"action": "sign_up"})
    assert response.status_code == 302
    assert "值班室" in client.get(reverse("rosters-mine")).content.decode()
    assert client.get(reverse("rosters-roster", args=[roster.pk]) + week).status_code == 200
    assert client.get(reverse("rosters-route", args=[route.pk])).status_code == 200
    assert client.get(reverse("rosters-list")).status_code == 200
    client.login(phone="13100000003", password=PASSWORD)
    response = client.post(reverse("rosters-list"), {"what": "route", "route-place": "t-compound",
                                                     "route-name": "白天巡查"})
    assert response.status_code == 302
    response = client.post(reverse("rosters-roster", args=[roster.pk]), {
        "date": day().isoformat(), "start": "22:00", "end": "02:00", "needed": "2"})
    assert response.status_code == 302
    night = Shift.objects.latest("pk")
    assert timezone.localtime(night.ends_at).hour == 2
    assert night.ends_at - night.starts_at == datetime.timedelta(hours=4)

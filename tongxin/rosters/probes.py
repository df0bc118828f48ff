"""The scope walker's requests for rosters' pages (``core.scopewalker``): a duty roster and a
patrol route at grid B's building, a shift held by grid B's worker and a round they walk,
which grid A's roles must neither see, take, scan nor change."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.rosters.models import Checkpoint, Roster, Round, Route, Shift, ShiftAssignment

    building = world.places["b2"]
    roster = Roster.objects.create(place=building, place_path=building.path, name=f"{OUTSIDE_MARKER}值班")
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    shift = Shift.objects.create(roster=roster, place_path=roster.place_path, starts_at=starts,
                                 ends_at=starts + datetime.timedelta(hours=4), needed=2)
    held = ShiftAssignment.objects.create(shift=shift, user=world.users["worker_b"], seat=0, offered=True)
    route = Route.objects.create(place=building, place_path=building.path, name=f"{OUTSIDE_MARKER}巡逻")
    point = Checkpoint.objects.create(route=route, order=1, name=f"{OUTSIDE_MARKER}大门")
    patrol = Round.objects.create(route=route, place_path=route.place_path, planned_for=timezone.localdate(),
                                  walker=world.users["worker_b"], started_at=timezone.now())
    week = timezone.localdate().isoformat()
    return [
        Probe("rosters-list"),
        Probe("rosters-list", method="post", data={"what": "roster", "roster-place": building.code,
                                                   "roster-name": "x", "roster-kind": "patrol"}),
        Probe("rosters-roster", {"pk": roster.pk}, query=f"week={week}"),
        Probe("rosters-roster", {"pk": roster.pk}, method="post", data={
            "date": week, "start": "08:00", "end": "12:00", "needed": "1"}),
        Probe("rosters-shift", {"pk": shift.pk}, method="post", data={"action": "sign_up"}),
        Probe("rosters-shift", {"pk": shift.pk}, method="post", data={"action": "take", "assignment": held.pk}),
        Probe("rosters-mine"),
        Probe("rosters-route", {"pk": route.pk}),
        Probe("rosters-route", {"pk": route.pk}, method="post", data={"action": "start"}),
        Probe("rosters-route-qr", {"pk": route.pk}),
        Probe("rosters-round", {"pk": patrol.pk}),
        Probe("rosters-round", {"pk": patrol.pk}, method="post", data={"action": "finish"}),
        Probe("rosters-scan", {"token": point.token}),
        Probe("rosters-scan", {"token": point.token}, method="post"),
        Probe("rosters-coverage", query=f"place={building.code}"),
    ]

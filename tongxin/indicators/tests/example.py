"""The worked example of ``docs/indicators.md``: twenty demands in grids A and B, October 2026.

Each demand is reported at 09:00 (Beijing time) on its day; ``steps`` are (action, role, hours
after the report). Deadlines: respond within 2 hours, resolve within 72 hours (number 5 was
extended to 144, number 11 was given 2 more hours to respond when the system escalated it).
"""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from tongxin.demands.models import Category, Demand, DemandEvent

BEIJING = ZoneInfo("Asia/Shanghai")
D, H, S, Y, R = "dispatcher", "handler", "supervisor", "system", "reporter"
DONE = [("verify", D, 0), ("close", D, 0)]  # offsets relative to the step before: see _timeline

# number: (grid, category, reported, state, steps, rating, anonymous, extra)
EXAMPLE = {
    1: ("a", "repairs", "10-05", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 20),
                                            ("verify", D, 22), ("close", D, 24)], 5, False, {}),
    2: ("a", "repairs", "10-05", "closed", [("accept", D, 3), ("dispatch", D, 3), ("resolve", H, 30),
                                            ("verify", D, 40), ("close", D, 48)], 4, False, {}),
    3: ("a", "sanitation", "10-06", "closed", [("accept", D, 0.5), ("dispatch", D, 0.5), ("resolve", H, 10),
                                               ("rework", D, 12), ("resolve", H, 30), ("verify", D, 35),
                                               ("close", D, 40)], 3, False, {}),
    4: ("a", "sanitation", "10-06", "rejected", [("reject", D, 1)], None, False, {}),
    5: ("a", "repairs", "10-07", "closed", [("accept", D, 1), ("dispatch", D, 1), ("start", H, 2),
                                            ("extend", S, 60), ("resolve", H, 100), ("verify", D, 105),
                                            ("close", D, 110)], 2, False, {"resolve_hours": 144}),
    6: ("a", "repairs", "10-08", "suspended", [("accept", D, 1), ("dispatch", D, 1.5), ("start", H, 2),
                                               ("suspend", S, 24)], None, False, {}),
    7: ("a", "sanitation", "10-08", "received", [], None, True, {}),
    8: ("a", "repairs", "10-09", "merged", [("merge", D, 0.5)], None, False, {}),
    9: ("a", "repairs", "10-12", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 80),
                                            ("verify", D, 85), ("close", D, 90)], None, False, {}),
    10: ("a", "sanitation", "10-12", "verified", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 5),
                                                  ("verify", D, 6)], None, False, {}),
    11: ("a", "repairs", "10-20", "closed", [("escalate", Y, 2.5), ("accept", S, 3), ("dispatch", S, 3),
                                             ("resolve", H, 20), ("verify", D, 25), ("close", D, 30)], 5, False,
         {"respond_hours": 4.5}),
    12: ("a", "repairs", "10-28", "in_progress", [("accept", D, 1), ("dispatch", D, 1), ("start", H, 2)], None,
         False, {}),
    13: ("b", "repairs", "10-05", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 24),
                                             ("verify", D, 24.5), ("close", D, 25)], 5, False, {}),
    14: ("b", "repairs", "10-05", "merged", [("merge", D, 1)], None, False, {}),
    15: ("b", "sanitation", "10-10", "rework", [("accept", D, 1.5), ("dispatch", D, 1.5), ("resolve", H, 8),
                                                ("verify", D, 8.5), ("close", D, 9), ("rate", R, 30),
                                                ("reopen", Y, 30)], 1, False, {}),
    16: ("b", "sanitation", "10-10", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 6),
                                                ("verify", D, 6.5), ("close", D, 7)], None, True, {}),
    17: ("b", "repairs", "10-15", "closed", [("accept", D, 4), ("dispatch", D, 4), ("resolve", H, 50),
                                             ("verify", D, 55), ("close", D, 60)], 4, False, {}),
    18: ("b", "repairs", "10-15", "rejected", [("reject", D, 2)], None, False, {}),
    19: ("b", "sanitation", "10-30", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 10),
                                                ("verify", D, 11), ("close", D, 12)], 5, False, {}),
    20: ("b", "repairs", "09-29", "closed", [("accept", D, 1), ("dispatch", D, 1), ("resolve", H, 30),
                                             ("verify", D, 35), ("close", D, 40)], 4, False, {}),
}

#: Every figure for October 2026, all of the district, computed by hand in docs/indicators.md.
EXPECTED_COUNTERS = {
    "received": 19, "merged": 2, "counted": 17, "anonymous": 2, "rejected": 2, "accepted": 14, "responded": 16,
    "responded_on_time": 13, "resolved": 11, "resolved_first_time": 9, "resolved_ever": 12, "reworked": 2,
    "extended": 1, "escalated": 1, "rated": 9, "satisfied": 7, "resolve_seconds": 375 * 3600,
    "due": 15, "due_closed": 10, "due_closed_on_time": 9, "due_suspended": 1,
}
EXPECTED_RATES = {
    "response": 13 / 17, "resolution": 11 / 14, "satisfaction": 7 / 9, "closure": 10 / 14,
    "on_time_closure": 9 / 14, "rework": 2 / 12, "extension": 1 / 14, "first_time": 9 / 14,
    "duplicate": 2 / 19, "average_hours": 375 / 11,
}
EXPECTED_SCORE = 75.06  # 100 × (0.2 × 13/17 + 0.3 × 11/14 + 0.3 × 7/9 + 0.2 × 9/14)
EXPECTED_RANKING = [("b", 79.17), ("a", 72.99)]


def _at(reported: str, hours: float = 0) -> datetime.datetime:
    month, day = (int(x) for x in reported.split("-"))
    return datetime.datetime(2026, month, day, 9, 0, tzinfo=BEIJING) + datetime.timedelta(hours=hours)


def build(world) -> dict[int, Demand]:
    """The twenty demands with their timelines, each event written at its own time (the rollups
    follow them step by step, as they do behind the services)."""
    categories = {c.code: c for c in Category.objects.filter(code__in=("repairs", "sanitation"))}
    made = {}
    for number, (grid, category, reported, state, steps, rating, anonymous, extra) in EXAMPLE.items():
        unit, place = world.places[f"grid_{grid}"], world.places[f"b{1 if grid == 'a' else 2}u1"]
        start = _at(reported)
        closes = [hours for action, _role, hours in steps if action == "close"]
        with mock.patch("django.utils.timezone.now", return_value=start):
            demand = Demand.objects.create(
                place=place, place_path=place.path, unit=unit, unit_path=unit.path, category=categories[category],
                description=f"例{number}", state=state, reporter_name="" if anonymous else f"居民{number}",
                reporter_phone="" if anonymous else f"139000000{number:02d}",
                respond_by=_at(reported, extra.get("respond_hours", 2)),
                resolve_by=_at(reported, extra.get("resolve_hours", 72)),
                rating=rating, closed_at=_at(reported, closes[-1]) if state == "closed" else None,
                merged_into=made.get({8: 1, 14: 13}.get(number)), taken_in_at=start,
            )
            DemandEvent.objects.create(demand=demand, action="report", to_state="received", actor_role=R, at=start)
        for action, role, hours in steps:
            DemandEvent.objects.create(demand=demand, action=action, to_state=state, actor_role=role,
                                       at=_at(reported, hours))
        if rating is not None and number != 15:  # 15's rating is in its steps (it reopened it)
            DemandEvent.objects.create(demand=demand, action="rate", to_state=state, actor_role=R,
                                       at=_at(reported, closes[-1] + 24 * 9))
        made[number] = demand
    return made

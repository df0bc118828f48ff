"""Demo venues at 东苑社区's 党群服务中心 (seed 002: some twenty rooms shared by many groups):
three rooms, this week's bookings by the dance team, the owners' committee and the calligraphy
class, one awaiting approval. Idempotent: nothing is added when the hall exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Place
from tongxin.venues import services
from tongxin.venues.models import Venue

COMMUNITY = "jz-dongyuan"
ROOMS = (
    # name, capacity, opens, closes, days, approval, description
    ("党群服务中心多功能厅", 80, (8, 0), (21, 0), "1234567", True, "一楼，有投影和音响，适合讲座、议事会、文艺排练"),
    ("活动室", 30, (8, 0), (21, 30), "1234567", True, "二楼，适合小组活动、会议"),
    ("书画室", 15, (9, 0), (17, 0), "123456", False, "二楼，书桌十张，免审批，先到先约"),
)
BOOKINGS = (
    # room, days from today, start hour, hours, purpose, group, attendees, approve
    (0, 1, 19, 2, "广场舞队排练", "东苑舞蹈队", 30, True),
    (1, 2, 15, 2, "业委会例会", "沙市花园业委会", 9, True),
    (2, 1, 9, 2, "书法班", "老年大学书法班", 12, None),
    (0, 3, 9, 3, "防诈骗讲座", "社区民警", 60, False),
)


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    user = staff_of(community) if community else None
    if user is None:
        stdout.write("  venues: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    if Venue.objects.filter(place=community, name=ROOMS[0][0]).exists():
        stdout.write("  venues: already loaded\n")
        return
    rooms = [services.create_venue(user, community, name=name, capacity=capacity, opens=datetime.time(*opens),
                                   closes=datetime.time(*closes), open_days=days, requires_approval=approval,
                                   description=description)
             for name, capacity, opens, closes, days, approval, description in ROOMS]
    zone, today = timezone.get_current_timezone(), timezone.localdate()
    for room, ahead, hour, hours, purpose, group, attendees, approve in BOOKINGS:
        venue = rooms[room]
        date = today + datetime.timedelta(days=ahead)
        while str(date.isoweekday()) not in venue.open_days:
            date += datetime.timedelta(days=1)
        starts = datetime.datetime.combine(date, datetime.time(hour), tzinfo=zone)
        booking = services.book(user, venue, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
                                purpose=purpose, group=group, attendees=attendees)
        if approve:
            services.decide(user, booking, approve=True)
    stdout.write(f"  venues: {len(rooms)} rooms at {community.name}, {len(BOOKINGS)} bookings, one awaiting approval "
                 "(login 13900000003: 场地预约)\n")

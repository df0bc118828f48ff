"""Demo meetings at 沙市花园 (东苑社区, seeds 000 and 001): a monthly three-party joint meeting
(三方联席会议: the residents' committee, 楚阳物业 and the owners' committee) with two past
meetings — agenda, attendance, minutes, decisions; one action item done, one overdue — and
the next one scheduled; the first meeting's decisions are on the compound's notice board.

Built on the registers' tree and organisations (``registers/demo.py``), through the services.
Idempotent: nothing is added when the series exists.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Organisation, Place
from tongxin.meetings import rules
from tongxin.meetings.models import Invitation, Meeting, MeetingSeries
from tongxin.meetings.services import actions, meetings

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
BODIES = ("jz-dongyuan-rc", "jz-chuyang", "jz-dongyuan-ssh-owners")
TITLE = "沙市花园三方联席会议"
MEETINGS = (
    {"agenda": (("3栋楼道灯损坏，晚上出行不便", "居民诉求"), ("小区停车位划线方案", "业委会提出")),
     "minutes": "会议由东苑社区党委书记主持，楚阳物业、沙市花园业委会参加。\n一、3栋楼道灯：物业确认共12盏损坏。\n"
                "二、停车位：业委会提出在2栋、5栋之间增划临时停车位，物业同意出方案。",
     "decisions": (("在2栋、5栋之间增划临时停车位，方案在业主群公示7天。",
                    ("业委会在业主群公示停车位方案", "owners", 7, "done", "已于业主群和公告栏公示7天，无异议。")),)},
    {"agenda": (("上月事项跟踪：3栋楼道灯", "上次会议"), ("冬季供暖前管道检查", "物业提出")),
     "minutes": "会议跟踪了上月事项的落实情况。物业报告管道检查安排，社区要求在供暖前完成。",
     "decisions": (("3栋楼道灯由物业在一周内全部更换。", ("物业更换3栋楼道灯", "property", 5, None, "")),
                   ("供暖前完成各栋管道检查，结果报社区。", ("物业完成管道检查并报社区", "property", 40, None, "")))},
)


def load(stdout) -> None:
    compound = Place.objects.filter(code=COMPOUND).first()
    community = Place.objects.filter(code=COMMUNITY).first()
    bodies = {o.code: o for o in Organisation.objects.filter(code__in=BODIES)}
    staff = staff_of(community) if community else None
    if compound is None or staff is None or len(bodies) < len(BODIES):
        stdout.write("  meetings: the demo compound 沙市花园 is missing; nothing loaded\n")
        return
    if MeetingSeries.objects.filter(title=TITLE, place=compound).exists():
        stdout.write("  meetings: already loaded\n")
        return
    today = timezone.localdate()
    # The meeting day falls ten days ago, so last month's item is overdue by a few days.
    last = today - datetime.timedelta(days=10)
    day = min(last.day, 28)
    first_day = rules.occurrences(rules.MONTHLY, (last - datetime.timedelta(days=62)).replace(day=1),
                                  on_or_after=last - datetime.timedelta(days=50), day=day)[0]
    series = MeetingSeries.objects.create(
        title=TITLE, kind="three_party", place=compound, place_path=compound.path, frequency=rules.MONTHLY,
        starts_on=first_day, day=day, time=datetime.time(15, 0), location="东苑社区党群服务中心二楼会议室",
        convener=staff)
    series.organisations.set(list(bodies.values()))
    series.invitees.set(list(meetings.current_members([o.pk for o in bodies.values()])))
    owners, property_company = bodies["jz-dongyuan-ssh-owners"], bodies["jz-chuyang"]
    dates = rules.occurrences(rules.MONTHLY, first_day, on_or_after=first_day, day=day, count=2)
    for number, (date, plan) in enumerate(zip(dates, MEETINGS, strict=True)):
        meeting = _past(series, date)
        for title, source in plan["agenda"]:
            meetings.add_agenda_item(staff, meeting, title=title, source=source)
        invitations = list(meeting.invitations.order_by("pk"))
        marks = {i.pk: ("excused" if index == len(invitations) - 1 else "present")
                 for index, i in enumerate(invitations)}
        meetings.record_attendance(staff, meeting, marks)
        meetings.save_minutes(staff, meeting, text=plan["minutes"])
        for text, (action, owner, days, status, note) in plan["decisions"]:
            body = owners if owner == "owners" else property_company
            decision = meetings.add_decision(staff, meeting, text=text, actions=[{
                "title": action, "deadline": date + datetime.timedelta(days=days), "owner_organisation_id": body.pk}])
            if status:
                actions.close(staff, decision.actions.get(), status=status, note=note)
        if number == 0:
            meetings.publish(staff, meeting)
    meetings.make_next(series)
    upcoming = series.meetings.filter(state="scheduled").first()
    stdout.write(f"  meetings: {TITLE} monthly, 2 held, next on "
                 f"{timezone.localtime(upcoming.starts_at):%Y-%m-%d} (login 13900000003: 会议)\n")


def _past(series: MeetingSeries, date: datetime.date) -> Meeting:
    meeting = Meeting.objects.create(
        series=series, title=series.title, kind=series.kind, place_id=series.place_id, place_path=series.place_path,
        starts_at=timezone.make_aware(datetime.datetime.combine(date, series.time)), location=series.location,
        convener=series.convener)
    meeting.organisations.set(list(series.organisations.all()))
    Invitation.objects.bulk_create([Invitation(meeting=meeting, person=p) for p in series.invitees.all()])
    return meeting

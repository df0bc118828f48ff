"""The scope walker's requests for volunteering's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe  # noqa: F401


def probes(world) -> list:
    return [*_registration(world), *_claims(world), *_activities(world), *_links(world)]


# --- registration ------------------------------------------------------------------------
def _registration(world) -> list:
    return []


# --- claims ------------------------------------------------------------------------------
def _claims(world) -> list:
    return []


# --- activities and the ledger -----------------------------------------------------------
def _activities(world) -> list:
    """An activity of the community with a grid B resident signed up, checked in and out (a
    ledger row), their work unit (named with the marker), and a published ranking."""
    import datetime

    from django.utils import timezone

    from tongxin.core.models import Organisation, Person
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.volunteering.models import Enrolment, EnrolmentKind, Status
    from tongxin.volunteering.services import activities as services
    from tongxin.volunteering.services.ranking import publish_ranking

    community, b2 = world.places["community"], world.places["b2"]
    outsider = Person.objects.filter(home_path__startswith=b2.path).order_by("pk").first()
    unit = Organisation.objects.create(code="walk-vol-unit", name=f"{OUTSIDE_MARKER}单位党支部", kind="party_branch",
                                       place=b2, started_on=datetime.date(2020, 1, 1))
    enrolment = Enrolment.objects.create(person=outsider, kind=EnrolmentKind.PARTY_MEMBER, community=community,
                                         community_path=community.path, unit=unit, status=Status.APPROVED)
    now = timezone.localtime()
    start = (now - datetime.timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    end = datetime.time(23, 59) if start < datetime.time(22, 0) else datetime.time(23, 59, 59)
    activity = services.create_activity(community=community, organiser=None, title="周末义诊", venue="社区服务站",
                                        recurrence="weekly", first_date=now.date(), start_time=start, end_time=end,
                                        capacity=5)
    session = services.today_session(activity)
    services.sign_up(session.pk, person=outsider, enrolment=enrolment)
    services.check_in(session, person=outsider, enrolment=enrolment, now=session.starts_at)
    attendance = services.check_out(session, person=outsider, now=session.starts_at + datetime.timedelta(minutes=20))
    ranking = publish_ranking(community, now.date(), by=None)
    token = activity.token
    return [
        Probe("volunteering-activities"),
        Probe("volunteering-activity-new"),
        Probe("volunteering-activity-new", method="post", data={
            "form_key": "walk-act", "community": community.pk, "title": "x", "venue": "y", "recurrence": "once",
            "first_date": now.date().isoformat(), "start_time": "09:00", "end_time": "10:00"}),
        Probe("volunteering-activity", {"pk": activity.pk}),
        Probe("volunteering-activity-cancel", {"pk": activity.pk}, method="post"),
        Probe("volunteering-activity-poster", {"pk": activity.pk}),
        Probe("volunteering-session", {"pk": session.pk}),
        Probe("volunteering-session-cancel", {"pk": session.pk}, method="post"),
        Probe("volunteering-sign-up", {"pk": session.pk}, method="post"),
        Probe("volunteering-withdraw", {"pk": session.pk}, method="post"),
        Probe("volunteering-attendance-adjust", {"pk": attendance.pk}, method="post",
              data={"minutes": "5", "reason": "walk"}),
        Probe("volunteering-checkin", {"token": token}, public=True),
        Probe("volunteering-checkin", {"token": token}, method="post", data={"action": "in"}, public=True),
        Probe("volunteering-ledger"),
        Probe("volunteering-ledger", query="period=quarter&year=2026&n=4"),
        Probe("volunteering-ledger-export"),
        Probe("volunteering-ranking-publish", method="post", data={"community": community.pk, "month": "2026-01"}),
        Probe("volunteering-my-ledger"),
        Probe("volunteering-certificate"),
        Probe("volunteering-ranking", {"pk": ranking.pk}, public=True),
        Probe("volunteering-my-units"),
        Probe("volunteering-unit", {"pk": unit.pk}),
        Probe("volunteering-unit-export", {"pk": unit.pk}),
    ]


# --- the three links ---------------------------------------------------------------------
def _links(world) -> list:
    return []

"""The scope walker's requests for volunteering's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    return [Probe("volunteering-home"), *_registration(world), *_claims(world), *_activities(world), *_links(world)]


# --- registration ------------------------------------------------------------------------
def _registration(world) -> list:
    import datetime

    from tongxin.core.models import Organisation
    from tongxin.core.services.people import create_person
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.demands.services import qr_for
    from tongxin.volunteering.models import Enrolment, JointProject, ServicePost, UnitRegistration

    community, entrance = world.places["community"], world.places["b2u1"]
    token = qr_for(entrance).token
    person = create_person(name=f"{OUTSIDE_MARKER}报到", phone="13912349876")
    enrolment = Enrolment.objects.create(
        person=person, kind="party_member", community=community, community_path=community.path, home=entrance,
        home_path=entrance.path, skills=f"{OUTSIDE_MARKER}技能",
    )
    unit = Organisation.objects.create(code="walk-vol-unit", name=f"{OUTSIDE_MARKER}单位党支部", kind="party_branch",
                                       subtype="单位党组织", started_on=datetime.date(2020, 1, 1))
    registration = UnitRegistration.objects.create(unit=unit, community=community, community_path=community.path,
                                                   contact_name=OUTSIDE_MARKER)
    project = JointProject.objects.create(registration=registration, title=f"{OUTSIDE_MARKER}共建", goals="x",
                                          year=2026, signed_on=datetime.date(2026, 3, 1))
    post = ServicePost.objects.create(community=community, community_path=community.path, kind="publicity",
                                      name=f"{OUTSIDE_MARKER}岗位")
    Organisation.objects.create(code="walk-vol-team", name=f"{OUTSIDE_MARKER}服务队", kind="volunteer_team",
                                subtype="repair", place=community, started_on=datetime.date(2020, 1, 1))
    return [
        Probe("volunteering-register", {"token": token}, public=True),
        # Incomplete: refused with the form again, nothing written.
        Probe("volunteering-register", {"token": token}, method="post", data={"form_key": "walk-vol-reg"},
              public=True),
        Probe("volunteering-me"),
        Probe("volunteering-me", method="post", data={"action": "choose", "enrolment": enrolment.pk,
                                                      "target": post.pk}),
        Probe("volunteering-enrolments"),
        Probe("volunteering-enrolments", query=f"status=pending&kind=party_member&unit={unit.pk}"),
        Probe("volunteering-enrolment", {"pk": enrolment.pk}, method="post", data={"action": "approve"}),
        Probe("volunteering-enrolment", {"pk": enrolment.pk}, method="post",
              data={"action": "leads", "area": entrance.pk}),
        Probe("volunteering-units"),
        Probe("volunteering-units", method="post", data={"community": community.pk, "unit": unit.pk}),
        Probe("volunteering-unit-registration", {"pk": registration.pk}),
        Probe("volunteering-unit-registration", {"pk": registration.pk}, method="post", data={"action": "approve"}),
        Probe("volunteering-unit-registration", {"pk": registration.pk}, method="post",
              data={"action": "review", "project": project.pk, "review": "x", "goals_met": "yes"}),
        Probe("volunteering-posts"),
        Probe("volunteering-posts", method="post", data={"action": "close", "post": post.pk}),
        Probe("volunteering-teams"),
        Probe("volunteering-teams", method="post", data={"community": community.pk, "name": "x",
                                                         "specialty": "repair"}),
    ]


# --- claims ------------------------------------------------------------------------------
def _claims(world) -> list:
    """A micro-wish reported at a door in grid B (a task by itself at intake), claimed and done
    by a member living there, with a photo; and a wish published there by grid B's worker."""
    from django.core.files.base import ContentFile

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.demands.catalogue import ensure_seeded
    from tongxin.demands.models import Category
    from tongxin.demands.testing import file_report
    from tongxin.volunteering.models import ClaimPhoto, Enrolment, EnrolmentKind, Status
    from tongxin.volunteering.services import claims

    ensure_seeded()
    entrance, community = world.places["b2u1"], world.places["community"]
    demand = file_report(entrance, category=Category.objects.get(code="wish"), key="walker-wish",
                         description=f"想要一台收音机，{OUTSIDE_MARKER}", name=f"{OUTSIDE_MARKER}奶奶",
                         phone="13912340001")
    task = demand.claimable_task
    member = world.people["worker_b"]  # lives nowhere in grid A; serves in grid B's community
    enrolment = Enrolment.objects.create(person=member, user=world.users["worker_b"], kind=EnrolmentKind.VOLUNTEER,
                                         community=community, community_path=community.path, home=entrance,
                                         home_path=entrance.path, status=Status.APPROVED)
    done = claims.claim(world.users["worker_b"], task)
    claims.complete(world.users["worker_b"], done.pk, f"送去了 {OUTSIDE_MARKER}")
    photo = ClaimPhoto.objects.create(claim=done, image=ContentFile(b"\xff\xd8\xff", name="p.jpg"))
    other = claims.publish_wish(world.users["worker_b"], place=entrance, title=f"{OUTSIDE_MARKER}的心愿",
                                contact_name=f"{OUTSIDE_MARKER}爷爷", contact_phone="13912340002")
    assert enrolment.pk
    return [
        Probe("volunteering-tasks"),
        Probe("volunteering-tasks", query="state=done"),
        Probe("volunteering-task-new"),
        Probe("volunteering-task-new", query="what=wish"),
        Probe("volunteering-task-new", method="post",
              data={"what": "demand", "tracking_code": demand.tracking_code, "form_key": "walk-claims-1"}),
        Probe("volunteering-task-new", method="post",
              data={"what": "wish", "place": str(entrance.pk), "contact_name": "x", "title": "xx",
                    "form_key": "walk-claims-2"}),
        Probe("volunteering-task", {"pk": task.pk}),
        Probe("volunteering-task", {"pk": other.pk}),
        Probe("volunteering-task-claim", {"pk": other.pk}, method="post"),
        Probe("volunteering-task-release", {"pk": task.pk}, method="post", data={"reason": "x"}),
        Probe("volunteering-task-complete", {"pk": task.pk}, method="post", data={"note": "xx", "form_key": "w3"}),
        Probe("volunteering-task-confirm", {"pk": task.pk}, method="post"),
        Probe("volunteering-task-return", {"pk": task.pk}, method="post", data={"reason": "x"}),
        Probe("volunteering-task-withdraw", {"pk": other.pk}, method="post"),
        Probe("volunteering-task-reveal", {"pk": other.pk}, method="post"),
        Probe("volunteering-task-photo", {"pk": task.pk, "photo_pk": photo.pk}),
        Probe("volunteering-wish", {"code": demand.tracking_code}, public=True),
        Probe("volunteering-wish", {"code": demand.tracking_code}, method="post", data={"what": "received"},
              public=True),
    ]


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
    unit = Organisation.objects.create(code="walk-act-unit", name=f"{OUTSIDE_MARKER}单位党支部", kind="party_branch",
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
    """A member living in grid B, linked to a grid B household; grid A's roles must neither
    see them nor link, unlink or look at grid B's buildings."""
    import datetime

    from tongxin.core.models import Household, Person
    from tongxin.volunteering.models import Enrolment, HouseholdLink, Status

    b2, community = world.places["b2"], world.places["community"]
    person = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end).order_by("-id").first()
    enrolment = Enrolment.objects.filter(person=person, community=community, status__in=("pending", "approved")).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            person=person, kind="party_member", community=community, community_path=community.path,
            home=person.household.place, home_path=person.home_path, status=Status.APPROVED,
        )
    households = list(Household.objects.filter(place_path__gte=b2.path, place_path__lt=b2.path_end).order_by("id"))
    link = HouseholdLink.objects.create(household=households[0], enrolment=enrolment,
                                        place_path=households[0].place_path, valid_from=datetime.date(2026, 1, 5))
    block = {"block": b2.code, "enrolment": enrolment.pk, "back": b2.code}
    return [
        Probe("volunteering-coverage"),
        Probe("volunteering-coverage", query=f"place={b2.code}"),
        Probe("volunteering-coverage", query=f"place={community.code}"),
        Probe("volunteering-coverage", query=f"place={world.places['grid_b'].code}"),
        Probe("volunteering-coverage-link", method="post",
              data={**block, "households": [households[1].pk], "form_key": "walk-link-1"}),
        Probe("volunteering-coverage-link", method="post", data={**block, "all": "1", "form_key": "walk-link-2"}),
        Probe("volunteering-coverage-unlink", {"pk": link.pk}, method="post", data={"back": b2.code}),
    ]

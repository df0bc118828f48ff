"""Registration: a member registers at a door, the community decides, units, posts, teams, scope."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tongxin.core import registry
from tongxin.core.errors import RefusedError
from tongxin.core.models import (
    Organisation,
    OrganisationMember,
    OrganisationRelation,
    OutboxMessage,
    PersonalDataRead,
    User,
)
from tongxin.core.services.places import create_place
from tongxin.core.testing import PASSWORD, login_for
from tongxin.demands.services import qr_for
from tongxin.volunteering.models import Enrolment, JointProject, PostChoice, ServicePost, Status, UnitRegistration
from tongxin.volunteering.selectors import registration as selectors
from tongxin.volunteering.services import registration as services

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2020, 1, 1)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _approved_unit(world, name="市税务局机关党支部") -> Organisation:
    unit = Organisation.objects.create(code=f"u-{len(name)}-{Organisation.objects.count()}", name=name,
                                       kind="party_branch", subtype="单位党组织", started_on=SINCE)
    community = world.places["community"]
    UnitRegistration.objects.create(unit=unit, community=community, community_path=community.path,
                                    status=Status.APPROVED)
    return unit


def _register(client, token, **fields):
    data = {"kind": "party_member", "name": "王建国", "phone": "139 0000 1111", "password": "a-long-pass-2026",
            "unit": "", "unit_other": "", "skills": "水电维修", "form_key": fields.pop("form_key", "k1")}
    data.update(fields)
    return client.post(reverse("volunteering-register", args=[token]), data)


# --- the door ---------------------------------------------------------------------------------
def test_the_qr_page_links_to_registration(world):
    token = qr_for(world.places["b1u1"]).token
    response = _client().get(reverse("qr-page", args=[token]))
    assert response.status_code == 200
    url = reverse("volunteering-register", args=[token])
    assert url.encode() in response.content
    assert "党员报到 / 志愿者注册" in response.content.decode()


def test_door_links_take_a_dotted_path_or_url_names(world, monkeypatch):
    from tongxin.volunteering.apps import VolunteeringConfig

    place = world.places["b1u1"]
    links = registry.door_links(place, "tok123")
    # Other apps offer their own links at the door too (deliberation's "raise a matter").
    assert reverse("volunteering-register", args=["tok123"]) in [url for _label, url in links]
    monkeypatch.setattr(VolunteeringConfig, "door_links", "tongxin.volunteering.tests.test_registration._links")
    assert ("here", f"/x/{place.code}/") in registry.door_links(place, "tok123")


def _links(place):
    return [("here", f"/x/{place.code}/")]


# --- registering ------------------------------------------------------------------------------
def test_a_party_member_registers_at_a_door_and_the_managers_are_told(world):
    unit = _approved_unit(world)
    entrance = world.places["b1u1"]
    client = _client()
    response = _register(client, qr_for(entrance).token, unit=str(unit.pk))
    assert response.status_code == 302 and response["Location"] == reverse("volunteering-me")
    enrolment = Enrolment.objects.get()
    assert enrolment.status == Status.PENDING
    assert (enrolment.community, enrolment.home, enrolment.unit) == (world.places["community"], entrance, unit)
    assert enrolment.person.phone == "13900001111" and enrolment.user.phone == "13900001111"
    assert enrolment.user.check_password("a-long-pass-2026")
    # Signed in, and told to wait.
    page = client.get(reverse("volunteering-me"), follow=True).content.decode()
    assert "等待社区审核" in page
    notified = set(OutboxMessage.objects.filter(kind="volunteer_registered").values_list("user__phone", flat=True))
    assert {"13100000003", "13100000001"} <= notified  # the community's staff and grid A's worker
    assert "13100000002" not in notified  # grid B's worker: not their grid


def test_the_form_shows_only_units_registered_and_approved_with_the_community(world):
    unit = _approved_unit(world)
    pending = Organisation.objects.create(code="pending-u", name="待审单位支部", kind="party_branch", started_on=SINCE)
    community = world.places["community"]
    UnitRegistration.objects.create(unit=pending, community=community, community_path=community.path)
    page = _client().get(reverse("volunteering-register", args=[qr_for(world.places["b1u1"]).token])).content.decode()
    assert unit.name in page and "待审单位支部" not in page
    # A posted unit that is not a choice is refused by the form.
    response = _register(_client(), qr_for(world.places["b1u1"]).token, unit=str(pending.pk))
    assert response.status_code == 400 and not Enrolment.objects.exists()


def test_a_unit_not_listed_is_kept_in_the_note(world):
    _register(_client(), qr_for(world.places["b1u1"]).token, unit="other", unit_other="某某公司党支部")
    enrolment = Enrolment.objects.get()
    assert enrolment.unit is None and "某某公司党支部" in enrolment.note


@pytest.mark.parametrize("fields, message", [
    ({"phone": "12345"}, "11"),
    ({"phone": ""}, "手机号"),
    ({"password": "123"}, "密码"),
    ({"kind": "mayor"}, "选择"),
    ({"unit": "other", "unit_other": ""}, "单位党组织"),
])
def test_bad_forms_show_clear_errors_in_chinese(world, fields, message):
    response = _register(_client(), qr_for(world.places["b1u1"]).token, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists() and not User.objects.filter(phone="13900001111").exists()


def test_a_phone_with_a_login_is_asked_to_sign_in(world):
    token = qr_for(world.places["b1u1"]).token
    response = _register(_client(), token, phone="13100000001")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请先登录" in page and reverse("login") in page
    assert not Enrolment.objects.exists()
    # Signed in, they register as themselves: no new person or login.
    people = User.objects.count()
    response = _client(world.users["worker_a"]).post(reverse("volunteering-register", args=[token]),
                                                     {"kind": "volunteer", "form_key": "k2", "unit": ""})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.person == world.people["worker_a"] and User.objects.count() == people


def test_two_live_enrolments_in_one_community_are_refused_clearly(world):
    token = qr_for(world.places["b1u1"]).token
    client = _client()
    _register(client, token)
    response = client.post(reverse("volunteering-register", args=[token]),
                           {"kind": "volunteer", "form_key": "k-again", "unit": ""})
    assert response.status_code == 400
    assert "已有待审核或已通过的报到" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_the_database_holds_one_live_enrolment_per_person_and_community(world):
    enrolment = _make_enrolment(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(person=enrolment.person, kind="volunteer", community=enrolment.community,
                                 community_path=enrolment.community_path)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.REFUSED)
    Enrolment.objects.create(person=enrolment.person, kind="volunteer", community=enrolment.community,
                             community_path=enrolment.community_path)  # after a refusal: again


def test_a_double_submit_registers_once(world):
    token = qr_for(world.places["b1u1"]).token
    _register(_client(), token, form_key="same")
    response = _register(_client(), token, form_key="same", phone="13900002222")
    assert response.status_code == 400 and "已经提交过" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_an_unknown_code_is_not_found(world):
    assert _client().get(reverse("volunteering-register", args=["nope"])).status_code == 404


# --- deciding ---------------------------------------------------------------------------------
def _make_enrolment(world, *, unit=None, place="b1u1", phone="13900001111", kind="party_member") -> Enrolment:
    enrolment, _login = services.register(world.places[place], kind=kind, key=f"k-{phone}", name="王建国",
                                          phone=phone, password=PASSWORD, unit=unit)
    return enrolment


def test_approval_tells_the_member_and_puts_a_party_member_in_the_unit(world):
    unit = _approved_unit(world)
    enrolment = _make_enrolment(world, unit=unit)
    staff = _client(world.users["staff"])
    response = staff.post(reverse("volunteering-enrolment", args=[enrolment.pk]), {"action": "approve"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Status.APPROVED and enrolment.decided_by == world.users["staff"]
    current = OrganisationMember.objects.filter(organisation=unit, person=enrolment.person, valid_to__isnull=True)
    assert current.count() == 1
    notice = OutboxMessage.objects.get(kind="volunteer_approved", channel="inbox")
    assert notice.user == enrolment.user and "已通过" in notice.subject
    # In both lists: the community's, and the unit's members.
    assert enrolment in selectors.manager_enrolments(world.users["staff"], status="approved")
    assert unit.members.filter(person=enrolment.person).exists()
    # Already a member: not twice.
    services.join_organisation(enrolment.person_id, unit)
    assert OrganisationMember.objects.filter(organisation=unit, person=enrolment.person).count() == 1


def test_refusal_needs_a_reason_and_tells_it(world):
    enrolment = _make_enrolment(world)
    staff = _client(world.users["staff"])
    url = reverse("volunteering-enrolment", args=[enrolment.pk])
    page = staff.post(url, {"action": "refuse", "reason": ""}, follow=True).content.decode()
    assert "请写明理由" in page
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING
    staff.post(url, {"action": "refuse", "reason": "不住本社区"})
    enrolment.refresh_from_db()
    assert enrolment.status == Status.REFUSED and "不住本社区" in enrolment.note
    notice = OutboxMessage.objects.get(kind="volunteer_approved", channel="inbox")
    assert "不住本社区" in notice.subject
    with pytest.raises(RefusedError):
        services.decide(world.users["staff"], enrolment.pk, approve=True)


def test_a_volunteer_with_no_unit_joins_no_organisation(world):
    enrolment = _make_enrolment(world, kind="volunteer")
    services.decide(world.users["staff"], enrolment.pk, approve=True)
    assert not OrganisationMember.objects.filter(person=enrolment.person).exists()


def test_the_list_puts_pending_first_and_filters(world):
    unit = _approved_unit(world)
    first = _make_enrolment(world, unit=unit, phone="13900000001")
    services.decide(world.users["staff"], first.pk, approve=True)
    second = _make_enrolment(world, phone="13900000002", kind="volunteer")
    staff = world.users["staff"]
    assert list(selectors.manager_enrolments(staff)) == [second, first]
    assert list(selectors.manager_enrolments(staff, status="approved")) == [first]
    assert list(selectors.manager_enrolments(staff, kind="volunteer")) == [second]
    assert list(selectors.manager_enrolments(staff, unit=str(unit.pk))) == [first]
    assert list(selectors.manager_enrolments(staff, unit="none")) == [second]
    page = _client(staff).get(reverse("volunteering-enrolments"), {"status": "pending"}).content.decode()
    assert "13900000002" in page and "13900000001" not in page


def test_phones_are_masked_unless_the_role_may_see_them_and_reading_is_logged(world, monkeypatch):
    from tongxin.volunteering.apps import MANAGE, VolunteeringConfig

    enrolment = _make_enrolment(world)
    # A community staff member holds core.view_personal: sees the number, and the read is logged.
    page = _client(world.users["staff"]).get(reverse("volunteering-enrolments")).content.decode()
    assert "13900001111" in page
    assert PersonalDataRead.objects.filter(user=world.users["staff"], person=enrolment.person).count() == 1
    # A manager without core.view_personal (a building chief granted volunteering.manage): masked, not logged.
    monkeypatch.setattr(VolunteeringConfig, "role_permissions",
                        {**VolunteeringConfig.role_permissions, "building_chief": (MANAGE,)})
    page = _client(world.users["chief_b1"]).get(reverse("volunteering-enrolments")).content.decode()
    assert "139****1111" in page and "13900001111" not in page
    assert not PersonalDataRead.objects.filter(user=world.users["chief_b1"]).exists()


def test_a_manager_of_another_community_sees_nothing(world):
    enrolment = _make_enrolment(world)
    other = create_place(parent=world.places["street"], kind="community", code="t-other", name="另一个社区")
    outsider = login_for(world, "other_staff", "community_staff", place=other, phone="13100000010")
    assert not selectors.manager_enrolments(outsider).exists()
    client = _client(outsider)
    page = client.get(reverse("volunteering-enrolments")).content.decode()
    assert "王建国" not in page
    response = client.post(reverse("volunteering-enrolment", args=[enrolment.pk]), {"action": "approve"})
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING
    # Grid B's worker does not see grid A's resident either; grid A's does.
    assert not selectors.manager_enrolments(world.users["worker_b"]).exists()
    assert list(selectors.manager_enrolments(world.users["worker_a"])) == [enrolment]
    # Someone without volunteering.manage: not found.
    assert _client(world.users["chief_b1"]).get(reverse("volunteering-enrolments")).status_code == 404


def test_a_manager_makes_a_member_area_leader(world):
    enrolment = _make_enrolment(world)
    staff = world.users["staff"]
    with pytest.raises(RefusedError):
        services.set_leads(staff, enrolment.pk, world.places["b1"])  # not approved yet
    services.decide(staff, enrolment.pk, approve=True)
    _client(staff).post(reverse("volunteering-enrolment", args=[enrolment.pk]),
                        {"action": "leads", "area": world.places["b1"].pk})
    enrolment.refresh_from_db()
    assert enrolment.leads == world.places["b1"]
    with pytest.raises(RefusedError):
        services.set_leads(staff, enrolment.pk, world.places["street"])  # outside the community
    page = _client(enrolment.user).get(reverse("volunteering-me")).content.decode()
    assert "1栋" in page and "片长" in page


# --- work units -------------------------------------------------------------------------------
def test_a_work_unit_registers_is_approved_paired_and_signs_projects(world):
    community = world.places["community"]
    party = Organisation.objects.create(code="t-cpc", name="测试社区党委", kind="party_committee", place=community,
                                        started_on=SINCE)
    staff = world.users["staff"]
    client = _client(staff)
    response = client.post(reverse("volunteering-units"), {
        "community": community.pk, "new_name": "市供电公司党支部", "contact_name": "李书记",
        "contact_phone": "13800002222"})
    registration = UnitRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering-unit-registration", args=[registration.pk])
    unit = registration.unit
    assert (unit.kind, unit.subtype, registration.status) == ("party_branch", "单位党组织", Status.PENDING)
    detail = reverse("volunteering-unit-registration", args=[registration.pk])
    client.post(detail, {"action": "approve"})
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED
    assert OrganisationRelation.objects.filter(subject=unit, object=party, kind="paired",
                                               valid_to__isnull=True).count() == 1
    # Registered again: refused clearly.
    with pytest.raises(RefusedError):
        services.register_unit(staff, community, unit=unit)
    client.post(detail, {"action": "project", "title": "共建文明楼栋", "goals": "每月一次服务", "year": 2026,
                         "signed_on": "2026-03-01"})
    project = JointProject.objects.get()
    page = client.get(detail).content.decode()
    assert "共建文明楼栋" in page and "138****2222" in page
    client.post(detail, {"action": "review", "project": project.pk, "review": "全年服务十二次", "goals_met": "yes"})
    project.refresh_from_db()
    assert project.goals_met is True and project.reviewed_by == staff and project.reviewed_at is not None
    # Members now choose it on the door's form.
    assert unit in selectors.unit_choices(community)
    client.post(detail, {"action": "end"})
    registration.refresh_from_db()
    assert registration.status == Status.ENDED
    assert not OrganisationRelation.objects.filter(subject=unit, valid_to__isnull=True).exists()


def test_a_community_without_a_party_organisation_is_not_paired(world):
    unit = Organisation.objects.create(code="u1", name="某单位支部", kind="party_branch", started_on=SINCE)
    registration = services.register_unit(world.users["staff"], world.places["community"], unit=unit)
    services.decide_unit(world.users["staff"], registration.pk, approve=True)
    assert not OrganisationRelation.objects.exists()


def test_units_are_scoped_to_the_managers_communities(world):
    registration = services.register_unit(world.users["staff"], world.places["community"], new_name="某单位支部")
    other = create_place(parent=world.places["street"], kind="community", code="t-other", name="另一个社区")
    outsider = login_for(world, "other_staff", "community_staff", place=other, phone="13100000010")
    client = _client(outsider)
    assert "某单位支部" not in client.get(reverse("volunteering-units")).content.decode()
    assert client.get(reverse("volunteering-unit-registration", args=[registration.pk])).status_code == 404
    response = client.post(reverse("volunteering-units"), {"community": world.places["community"].pk,
                                                           "new_name": "x"})
    assert response.status_code == 400 and UnitRegistration.objects.count() == 1


# --- posts and teams --------------------------------------------------------------------------
def test_posts_and_teams_are_chosen_and_joined_from_the_members_page(world):
    community = world.places["community"]
    staff = world.users["staff"]
    client = _client(staff)
    client.post(reverse("volunteering-posts"), {"community": community.pk, "kind": "mediation",
                                                "name": "楼栋调解员", "places_needed": 3})
    client.post(reverse("volunteering-teams"), {"community": community.pk, "name": "维修服务队",
                                                "specialty": "repair"})
    post = ServicePost.objects.get()
    team = Organisation.objects.get(kind="volunteer_team")
    assert (post.kind, post.places_needed, team.subtype, team.place) == ("mediation", 3, "repair", community)
    enrolment = _make_enrolment(world)
    member = _client(enrolment.user)
    # Pending: nothing to choose yet.
    response = member.post(reverse("volunteering-me"), {"action": "choose", "enrolment": enrolment.pk,
                                                         "target": post.pk})
    assert response.status_code == 404 and not PostChoice.objects.exists()
    services.decide(staff, enrolment.pk, approve=True)
    page = member.get(reverse("volunteering-me")).content.decode()
    assert "楼栋调解员" in page and "维修服务队" in page
    member.post(reverse("volunteering-me"), {"action": "choose", "enrolment": enrolment.pk, "target": post.pk})
    member.post(reverse("volunteering-me"), {"action": "join", "enrolment": enrolment.pk, "target": team.pk})
    assert PostChoice.objects.filter(enrolment=enrolment, post=post).exists()
    assert team.members.filter(person=enrolment.person, valid_to__isnull=True).exists()
    assert "1 / 3" in client.get(reverse("volunteering-posts")).content.decode()
    member.post(reverse("volunteering-me"), {"action": "leave", "enrolment": enrolment.pk, "target": team.pk})
    member.post(reverse("volunteering-me"), {"action": "drop", "enrolment": enrolment.pk, "target": post.pk})
    assert not PostChoice.objects.exists()
    assert not team.members.filter(person=enrolment.person, valid_to__isnull=True).exists()
    # A closed post cannot be chosen.
    client.post(reverse("volunteering-posts"), {"action": "close", "post": post.pk})
    post.refresh_from_db()
    assert not post.active
    with pytest.raises(RefusedError):
        services.choose_post(enrolment.user, enrolment.pk, post.pk)


def test_someone_elses_enrolment_cannot_be_used(world):
    enrolment = _make_enrolment(world)
    services.decide(world.users["staff"], enrolment.pk, approve=True)
    post = services.create_post(world.users["staff"], world.places["community"], kind="culture", name="广场舞")
    response = _client(world.users["worker_a"]).post(reverse("volunteering-me"), {
        "action": "choose", "enrolment": enrolment.pk, "target": post.pk})
    assert response.status_code == 404 and not PostChoice.objects.exists()


def test_the_members_page_lists_links_to_the_other_parts_when_present(world):
    enrolment = _make_enrolment(world)
    services.decide(world.users["staff"], enrolment.pk, approve=True)
    response = _client(enrolment.user).get(reverse("volunteering-me"))
    assert response.status_code == 200  # the other parts' names may be missing: no error


def test_the_managers_lists_do_not_grow_queries_with_rows(world, django_assert_max_num_queries):
    staff = world.users["staff"]
    client = _client(staff)
    unit = _approved_unit(world)
    for n in range(3):
        e = _make_enrolment(world, unit=unit, phone=f"1390000100{n}")
        services.decide(staff, e.pk, approve=True)
    client.get(reverse("volunteering-enrolments"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("volunteering-enrolments"))
    for n in range(3, 9):
        e = _make_enrolment(world, unit=unit, phone=f"1390000100{n}")
        services.decide(staff, e.pk, approve=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("volunteering-enrolments"))
    assert len(many) == len(few)

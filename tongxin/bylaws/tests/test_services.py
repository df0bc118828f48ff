"""Creating rules, drafting and publishing versions: permissions at the place, citations, the
notice on the board, double publish, and that a published version never changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tongxin.bylaws import services
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.bylaws.tests.helpers import decision
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OrganisationPlace, PlaceNotice
from tongxin.core.testing import login_for

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 4, 1)


def _rule(world, **kwargs):
    return services.create_bylaw(world.users["staff"], world.places["compound"], kind="rules_of_procedure",
                                 title=kwargs.get("title", "测试小区议事规则"))


def test_staff_create_a_rule_draft_and_publish_it_on_the_board(world):
    staff = world.users["staff"]
    bylaw = _rule(world)
    assert bylaw.place_path == world.places["compound"].path
    version = services.draft(staff, bylaw, text="第一条 每季度议事一次。", effective_on=DAY, basis="居民会议通过")
    assert version.number == 1 and not version.is_published
    assert not PlaceNotice.objects.exists()
    published = services.publish(staff, version)
    assert published.published_at and published.published_by == staff
    notice = PlaceNotice.objects.get()
    assert notice.place == world.places["compound"] and notice.published_at
    assert notice.link == f"/bylaws/r/{bylaw.pk}/" and published.notice == notice
    assert notice.title == "测试小区议事规则公布" and "2026年04月01日起施行" in notice.body
    assert "居民会议通过" in notice.body


def test_publishing_twice_posts_one_notice(world):
    staff = world.users["staff"]
    version = services.draft(staff, _rule(world), text="第一条", effective_on=DAY, basis="居民会议通过")
    first = services.publish(staff, version)
    again = services.publish(staff, version)
    assert again.published_at == first.published_at
    assert PlaceNotice.objects.count() == 1


def test_a_change_is_a_new_version_and_the_old_one_is_kept(world):
    staff = world.users["staff"]
    bylaw = _rule(world)
    one = services.publish(staff, services.draft(staff, bylaw, text="第一条 旧", effective_on=DAY, basis="通过"))
    two = services.draft(staff, bylaw, text="第一条 新", effective_on=DAY, basis="再次通过")
    assert two.pk != one.pk and two.number == 2
    # Drafting again edits the same draft: one draft per rule.
    again = services.draft(staff, bylaw, text="第一条 更新", effective_on=DAY, basis="再次通过")
    assert again.pk == two.pk and again.number == 2
    services.publish(staff, again)
    assert list(BylawVersion.objects.filter(bylaw=bylaw).values_list("number", "text")) == [
        (1, "第一条 旧"), (2, "第一条 更新")]
    assert PlaceNotice.objects.filter(title="测试小区议事规则修订（第2版）").exists()


def test_a_published_version_never_changes(world):
    staff = world.users["staff"]
    version = services.publish(staff, services.draft(staff, _rule(world), text="原文", effective_on=DAY,
                                                     basis="通过"))
    version.text = "改过的"
    with pytest.raises(RefusedError) as refused:
        version.save()
    assert refused.value.code == "version_published"
    with pytest.raises(RefusedError):
        services.discard(staff, version)
    assert BylawVersion.objects.get(pk=version.pk).text == "原文"


def test_a_draft_can_be_discarded(world):
    staff = world.users["staff"]
    bylaw = _rule(world)
    services.discard(staff, services.draft(staff, bylaw, text="草稿", effective_on=DAY, basis="x"))
    assert not BylawVersion.objects.exists()
    assert services.draft(staff, bylaw, text="草稿", effective_on=DAY, basis="x").number == 1


def test_citing_a_passed_owners_decision_at_the_compound_or_above(world):
    staff = world.users["staff"]
    bylaw = _rule(world)
    for place in ("compound", "community"):
        found = decision(world, place)
        version = services.draft(staff, bylaw, text="第一条", effective_on=DAY, decision=found)
        assert version.decision == found
    published = services.publish(staff, version)
    assert "依据业主共同决定：修订小区议事规则" in published.notice.body


@pytest.mark.parametrize(("place", "state", "passed", "code"), [
    ("b1", "closed", True, "decision_wrong_place"),     # a building's vote does not change the compound's rules
    ("compound", "open", None, "decision_not_passed"),
    ("compound", "closed", False, "decision_not_passed"),
])
def test_refused_citations(world, place, state, passed, code):
    with pytest.raises(RefusedError) as refused:
        services.draft(world.users["staff"], _rule(world), text="第一条", effective_on=DAY,
                       decision=decision(world, place, state=state, passed=passed))
    assert refused.value.code == code
    assert not BylawVersion.objects.exists()


def test_a_version_without_any_citation_is_refused_by_the_service_and_the_database(world):
    bylaw = _rule(world)
    with pytest.raises(RefusedError) as refused:
        services.draft(world.users["staff"], bylaw, text="第一条", effective_on=DAY)
    assert refused.value.code == "version_basis"
    with pytest.raises(IntegrityError), transaction.atomic():
        BylawVersion.objects.create(bylaw=bylaw, number=1, text="第一条", effective_on=DAY)


def test_the_database_keeps_one_draft_and_unique_numbers(world):
    bylaw = _rule(world)
    BylawVersion.objects.create(bylaw=bylaw, number=1, text="a", effective_on=DAY, basis="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        BylawVersion.objects.create(bylaw=bylaw, number=2, text="b", effective_on=DAY, basis="x")
    BylawVersion.objects.filter(bylaw=bylaw).update(published_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        BylawVersion.objects.create(bylaw=bylaw, number=1, text="b", effective_on=DAY, basis="x")


def test_a_rule_kind_and_title_is_unique_at_a_place(world):
    _rule(world)
    with pytest.raises(RefusedError) as refused:
        _rule(world)
    assert refused.value.code == "bylaw_exists"
    with pytest.raises(RefusedError) as refused:
        services.create_bylaw(world.users["staff"], world.places["b1"], kind="fee_standard", title="收费标准")
    assert refused.value.code == "bylaw_place"
    assert Bylaw.objects.count() == 1


@pytest.mark.parametrize("who", ["worker_a", "leader", "chief_b1"])
def test_who_may_not_manage(world, who):
    """A grid worker, a street leader (bylaws.view only) and a building chief cannot write rules."""
    bylaw = _rule(world)
    version = services.draft(world.users["staff"], bylaw, text="第一条", effective_on=DAY, basis="x")
    user = world.users[who]
    with pytest.raises(PermissionDenied):
        services.create_bylaw(user, world.places["compound"], kind="fee_standard", title="收费标准")
    with pytest.raises(PermissionDenied):
        services.draft(user, bylaw, text="改", effective_on=DAY, basis="x")
    with pytest.raises(PermissionDenied):
        services.publish(user, version)
    assert BylawVersion.objects.get(pk=version.pk).published_at is None


def test_an_owners_committee_member_publishes_by_the_rule(world):
    """They may manage the compound's rules but may not post notices: the notice goes up with no
    author (place_notices.create_by_rule)."""
    since = datetime.date(2020, 1, 1)
    committee = Organisation.objects.create(code="t-oc", name="业主委员会", kind="owners_committee",
                                            place=world.places["compound"], started_on=since)
    OrganisationPlace.objects.create(organisation=committee, place=world.places["compound"], relation="manages",
                                     valid_from=since)
    member = login_for(world, "oc", "owners_committee_member", organisation=committee, phone="15800000077")
    bylaw = services.create_bylaw(member, world.places["compound"], kind="management_rules", title="管理规约")
    services.publish(member, services.draft(member, bylaw, text="第一条", effective_on=DAY, basis="业主大会通过"))
    notice = PlaceNotice.objects.get()
    assert notice.created_by is None and notice.published_at
    # Not at the community: the committee's places are the compound it manages.
    with pytest.raises(PermissionDenied):
        services.create_bylaw(member, world.places["community"], kind="residents_convention", title="居民公约")

"""The pages through real HTTP: the staff editor, the public pages (no login), escaping of
residents' and staff's text, scope, the door's link, and query counts that do not grow."""

import datetime

import pytest
from django.test import Client

from tongxin.bylaws import services
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.bylaws.tests.helpers import decision, rule_with_versions
from tongxin.core import registry
from tongxin.core.models import PlaceNotice
from tongxin.core.testing import count_queries

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 4, 1)


def _client(world, key):
    client = Client()
    client.force_login(world.users[key])
    return client


def test_staff_create_draft_and_publish_through_the_pages(world):
    client = _client(world, "staff")
    vote = decision(world, "compound")
    elsewhere = decision(world, "b1", title="1栋的表决")
    response = client.post("/bylaws/new/", {"place": "t-compound", "kind": "fee_standard", "title": "测试小区收费标准"})
    bylaw = Bylaw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bylaws/{bylaw.pk}/"
    page = client.get(f"/bylaws/{bylaw.pk}/").content.decode()
    # The select offers the compound's passed vote, not the building's.
    assert f'value="v:{vote.pk}"' in page and f'value="v:{elsewhere.pk}"' not in page
    client.post(f"/bylaws/{bylaw.pk}/", {"action": "draft", "text": "物业费每平方米1.20元。",
                                         "effective_on": "2026-04-01", "cites": f"v:{vote.pk}"})
    draft = BylawVersion.objects.get()
    assert draft.decision == vote and draft.published_at is None
    client.post(f"/bylaws/{bylaw.pk}/", {"action": "publish", "version": draft.pk})
    client.post(f"/bylaws/{bylaw.pk}/", {"action": "publish", "version": draft.pk})  # a double tap
    assert PlaceNotice.objects.count() == 1
    # The next draft starts from the text in force.
    page = client.get(f"/bylaws/{bylaw.pk}/").content.decode()
    assert "物业费每平方米1.20元。</textarea>" in page
    client.post(f"/bylaws/{bylaw.pk}/", {"action": "draft", "text": "物业费每平方米1.35元。",
                                         "effective_on": "2026-07-01", "basis": "2026年6月业主大会通过"})
    page = client.get(f"/bylaws/{bylaw.pk}/").content.decode()
    assert "<del>20</del><ins>35</ins>" in page


def test_a_refused_draft_keeps_what_was_typed(world):
    client = _client(world, "staff")
    bylaw = services.create_bylaw(world.users["staff"], world.places["compound"], kind="fee_standard", title="收费")
    response = client.post(f"/bylaws/{bylaw.pk}/", {"action": "draft", "text": "我写了很久的全文",
                                                    "effective_on": "2026-04-01"}, follow=True)
    page = response.content.decode()
    assert "请注明这一版依据的决定" in page and "我写了很久的全文</textarea>" in page
    assert not BylawVersion.objects.exists()


def test_the_public_pages_need_no_login_and_show_history_and_changes(world):
    staff = world.users["staff"]
    vote = decision(world, "compound", title="修订收费标准的业主表决")
    bylaw = services.create_bylaw(staff, world.places["compound"], kind="fee_standard", title="测试小区收费标准")
    services.publish(staff, services.draft(staff, bylaw, text="第一条 物业费每平方米1.20元。\n第二条 停车费150元。",
                                           effective_on=datetime.date(2024, 1, 1), basis="2023年业主大会通过"))
    services.publish(staff, services.draft(staff, bylaw, text="第一条 物业费每平方米1.35元。\n第二条 停车费150元。",
                                           effective_on=datetime.date(2026, 1, 1), decision=vote))
    services.draft(staff, bylaw, text="草稿中的第三版", effective_on=DAY, basis="x")
    anyone = Client()
    page = anyone.get("/bylaws/p/t-compound/").content.decode()
    assert "测试小区收费标准" in page and "1.35元" in page and "1.20元" not in page and "草稿中的第三版" not in page
    history = anyone.get(f"/bylaws/r/{bylaw.pk}/").content.decode()
    assert "<del>20</del><ins>35</ins>" in history
    assert f'href="/voting/results/{vote.pk}/"' in history and "修订收费标准的业主表决" in history
    assert "2023年业主大会通过" in history and "草稿中的第三版" not in history
    # A building's page shows the rules of its compound above it.
    assert "测试小区收费标准" in anyone.get("/bylaws/p/t-b1/").content.decode()


def test_public_pages_of_nothing_published_are_not_found(world):
    bylaw = services.create_bylaw(world.users["staff"], world.places["compound"], kind="fee_standard", title="收费")
    services.draft(world.users["staff"], bylaw, text="草稿", effective_on=DAY, basis="x")
    anyone = Client()
    assert anyone.get("/bylaws/p/t-compound/").status_code == 404
    assert anyone.get(f"/bylaws/r/{bylaw.pk}/").status_code == 404
    assert anyone.get("/bylaws/p/no-such-place/").status_code == 404


def test_text_is_escaped_everywhere(world):
    staff = world.users["staff"]
    bylaw = services.create_bylaw(staff, world.places["compound"], kind="residents_convention",
                                  title="公约<img src=x onerror=alert(1)>")
    services.publish(staff, services.draft(staff, bylaw, text="<b>旧</b>", effective_on=DAY, basis="<i>通过</i>"))
    services.publish(staff, services.draft(staff, bylaw, text="<script>alert(1)</script>", effective_on=DAY,
                                           basis="通过"))
    for page in (Client().get(f"/bylaws/r/{bylaw.pk}/"), Client().get("/bylaws/p/t-compound/"),
                 _client(world, "staff").get(f"/bylaws/{bylaw.pk}/"), _client(world, "staff").get("/bylaws/")):
        body = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>旧" not in body
        assert "<i>通过" not in body
    history = Client().get(f"/bylaws/r/{bylaw.pk}/").content.decode()
    assert "&lt;script&gt;" in history and "<ins>" in history and "<del>" in history


def test_scope_other_places_rules_are_not_shown_to_staff(world):
    bylaw = rule_with_versions(world, 1)
    assert _client(world, "staff").get(f"/bylaws/{bylaw.pk}/").status_code == 200
    assert _client(world, "leader").get(f"/bylaws/{bylaw.pk}/").status_code == 200  # bylaws.view
    leader_page = _client(world, "leader").get(f"/bylaws/{bylaw.pk}/").content.decode()
    assert 'name="action"' not in leader_page  # reads, does not edit
    assert _client(world, "leader").post(f"/bylaws/{bylaw.pk}/", {"action": "draft", "text": "x",
                                                                  "effective_on": "2026-01-01",
                                                                  "basis": "x"}).status_code == 403
    assert _client(world, "worker_a").get("/bylaws/").status_code == 403  # no bylaws.view
    assert _client(world, "chief_b1").get(f"/bylaws/{bylaw.pk}/").status_code in (403, 404)
    assert BylawVersion.objects.filter(bylaw=bylaw).count() == 1


def test_the_door_links_to_the_rules_once_published(world):
    door = world.places["b1u1"]
    assert registry.door_links(door, "tok") == [] or all("/bylaws/" not in url for _l, url in
                                                         registry.door_links(door, "tok"))
    rule_with_versions(world, 1)
    assert "/bylaws/p/t-compound/" in [url for _label, url in registry.door_links(door, "tok")]


def _count(client, url) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_query_counts_do_not_grow_with_versions(world):
    few = rule_with_versions(world, 3, title="三版")
    many = rule_with_versions(world, 30, title="三十版")
    anyone, staff = Client(), _client(world, "staff")
    assert _count(anyone, f"/bylaws/r/{few.pk}/") == _count(anyone, f"/bylaws/r/{many.pk}/")
    assert _count(staff, f"/bylaws/{few.pk}/") == _count(staff, f"/bylaws/{many.pk}/")
    one_rule = _count(anyone, "/bylaws/p/t-compound/")
    for n in range(5):
        rule_with_versions(world, 2, title=f"又一条{n}")
    assert _count(anyone, "/bylaws/p/t-compound/") == one_rule
    listed = _count(staff, "/bylaws/")
    rule_with_versions(world, 2, place="community", title="社区议事规则")
    assert _count(staff, "/bylaws/") == listed

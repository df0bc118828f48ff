"""The pages over HTTP: staff create, open and close; an owner votes by link; paper entry; the
register; scoping to the staff's places."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tongxin.core.models import OutboxMessage, WebhookSubscriber
from tongxin.core.testing import count_queries, two_grids
from tongxin.voting.models import Ballot, Decision, ExclusiveUnit
from tongxin.voting.services import ballots
from tongxin.voting.testing import open_decision, seed_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = two_grids()
    seed_compound(world)
    return world


def _client(client, world, key):
    client.force_login(world.users[key])
    return client


def test_staff_create_and_open_a_decision(world, client):
    c = _client(client, world, "worker_a")
    page = c.get(reverse("voting-decision-new"))
    assert page.status_code == 200 and "1栋" in page.content.decode()
    closes = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(reverse("voting-decision-new"), {
        "form_key": "k1", "place": world.places["b1"].pk, "title": "选聘新物业", "item": "4", "kind": "matter",
        "closes_at": closes})
    decision = Decision.objects.get(title="选聘新物业")
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    again = c.post(reverse("voting-decision-new"), {"form_key": "k1", "place": world.places["b1"].pk,
                                                    "title": "选聘新物业", "item": "4"})
    assert again.status_code == 400 and Decision.objects.count() == 1  # a double submit acts once
    c.post(reverse("voting-decision-open", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.state == "open" and decision.total_heads == 6
    detail = c.get(decision.get_absolute_url()).content.decode()
    assert "0 / 6" in detail and decision.voters.first().token in detail
    letters = c.get(reverse("voting-letters", args=[decision.pk])).content.decode()
    assert letters.count("data:image/svg+xml") == 6 and decision.voters.last().token in letters


def test_a_refused_form_keeps_what_was_typed(world, client):
    c = _client(client, world, "worker_a")
    response = c.post(reverse("voting-decision-new"), {"form_key": "k2", "place": world.places["b1"].pk,
                                                       "title": "装门禁", "item": "8", "kind": "election"})
    body = response.content.decode()
    assert response.status_code == 400 and "选举须有候选人" in body and "装门禁" in body


def test_staff_see_only_their_places(world, client):
    decision = open_decision(world, place="b2", user="worker_b")
    c = _client(client, world, "worker_a")
    assert c.get(decision.get_absolute_url()).status_code == 404
    assert decision.title not in c.get(reverse("voting-decisions")).content.decode()
    assert c.post(reverse("voting-decision-close", args=[decision.pk])).status_code == 404
    assert c.get(reverse("voting-paper", args=[decision.pk])).status_code == 404
    leader = _client(client, world, "leader")
    assert leader.get(decision.get_absolute_url()).status_code == 200


def test_an_owner_votes_by_link_with_the_code(world, client):
    WebhookSubscriber.objects.create(name="sms", url="https://sms.invalid/hook", secret="s", kinds=["voting_code"])
    decision = open_decision(world)
    voter = decision.voters.first()
    url = reverse("voting-ballot", args=[voter.token])
    page = client.get(url).content.decode()
    assert "给我发验证码" in page and voter.person.phone not in page
    page = client.post(url, {"action": "code"}).content.decode()
    assert "手机收到的验证码" in page
    code = OutboxMessage.objects.get(kind="voting_code").payload["code"]
    wrong = client.post(url, {"action": "vote", "code": "999999" if code != "999999" else "000000",
                              "choice": "agree"})
    assert wrong.status_code == 400 and "验证码不对" in wrong.content.decode()
    done = client.post(url, {"action": "vote", "code": code, "choice": "agree"})
    ballot = Ballot.objects.get(voter=voter)
    assert done.status_code == 200 and ballot.receipt in done.content.decode() and ballot.choice == "agree"
    again = client.post(url, {"action": "vote", "code": code, "choice": "disagree"})
    assert again.status_code == 409 and "您已经投过票了" in again.content.decode()
    assert client.get("/voting/v/nonsense/").status_code == 404


def test_paper_entry_with_a_scan(world, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    decision = open_decision(world)
    voter = decision.voters.last()
    c = _client(client, world, "worker_a")
    missing = c.post(reverse("voting-paper", args=[decision.pk]), {"voter": voter.pk, "choice": "agree"})
    assert missing.status_code == 400 and "扫描件" in missing.content.decode()
    scan = SimpleUploadedFile("b.png", b"\x89PNG fake", content_type="image/png")
    response = c.post(reverse("voting-paper", args=[decision.pk]), {"voter": voter.pk, "choice": "disagree",
                                                                     "scan": scan})
    assert response.status_code == 302
    ballot = Ballot.objects.get(voter=voter)
    assert ballot.origin == "paper" and ballot.entered_by == world.users["worker_a"] and ballot.scan.name


def test_the_register_pages(world, client):
    c = _client(client, world, "worker_a")
    listing = c.get(reverse("voting-units")).content.decode()
    assert "101" in listing
    unit = ExclusiveUnit.objects.filter(place_path__startswith=world.places["b1"].path).first()
    response = c.post(reverse("voting-unit", args=[unit.pk]), {
        "action": "update", "register_area": "88.88", "survey_area": "", "contract_area": "80.50",
        "status": "delivered"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert str(unit.area) == "88.88"
    bad = c.post(reverse("voting-unit", args=[unit.pk]), {"action": "update", "status": "unsold",
                                                          "contract_area": "80"})
    assert bad.status_code == 400 and "建设单位" in bad.content.decode()
    other = ExclusiveUnit.objects.filter(place_path__startswith=world.places["b2"].path).first()
    assert c.get(reverse("voting-unit", args=[other.pk])).status_code == 404
    added = c.post(reverse("voting-unit", args=[unit.pk]), {"action": "add_owner", "phone": "13700000002"})
    assert added.status_code == 302 and unit.owners.count() == 2


def test_the_detail_page_reads_turnout_in_few_queries_whatever_the_size(world, client):
    decision = open_decision(world)
    for voter in decision.voters.all()[:3]:
        ballots._record(voter, {"choice": "agree"}, origin="web")
    c = _client(client, world, "staff")
    c.get(decision.get_absolute_url())
    with count_queries() as few:
        c.get(decision.get_absolute_url())
    for voter in decision.voters.all()[3:]:
        ballots._record(voter, {"choice": "agree"}, origin="web")
    with count_queries() as more:
        c.get(decision.get_absolute_url())
    assert len(more) == len(few)

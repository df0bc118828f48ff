import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongxin.care.services import register as care
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, OutboxMessage, Person, PlaceNotice, WebhookSubscriber
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries
from tongxin.emergencies import links, selectors, services
from tongxin.emergencies.models import EmergencyNotice, Reach

pytestmark = pytest.mark.django_db


def raise_for_compound(world, **extra) -> EmergencyNotice:
    options = {"kind": "typhoon", "title": "台风预警：今晚请勿外出", "body": "关好门窗，收好阳台物品。"}
    options.update(extra)
    return services.raise_notice(world.users["staff"], world.places["compound"], **options)


def household_of(name: str) -> Household:
    return Person.objects.get(name=name).memberships.get().household


def test_raising_posts_on_the_board_and_reaches_every_household(world):
    WebhookSubscriber.objects.create(name="短信网关", url="http://127.0.0.1:9/sms", kinds=["emergency_sms"])
    WebhookSubscriber.objects.create(name="全部事件", url="http://127.0.0.1:9/all", kinds=[])
    resident = create_login(Person.objects.get(name="居民1"), phone="18900000001", password=PASSWORD)
    subject = care.register(world.users["staff"], Person.objects.get(name="居民2"), categories=["elderly_alone"],
                            consent_by="居民2")
    helper = Person.objects.get(name="居民3")
    create_login(helper, phone="18900000003", password=PASSWORD)
    care.pair(world.users["staff"], subject, helper, "neighbour")
    notice = raise_for_compound(world)
    assert notice.target == 12
    assert PlaceNotice.objects.filter(place=world.places["compound"], title__contains="台风预警").exists()
    assert services.fan_out(notice.pk) == 12
    notice.refresh_from_db()
    assert notice.sent_at is not None
    home = OutboxMessage.objects.get(kind="emergency_notice", user=resident, channel="inbox")
    assert home.url == links.path(notice.pk, household_of("居民1").pk)
    sms = OutboxMessage.objects.filter(kind="emergency_sms")
    # Phones go to the gateway registered for this kind by name, not to a catch-all subscriber.
    assert sms.count() == 12 and {m.subscriber.name for m in sms} == {"短信网关"}
    assert sms.filter(payload__phone="13700000001").exists()
    assert OutboxMessage.objects.filter(kind="emergency_helper", user=helper.user, subject__contains="居民2").exists()
    services.fan_out(notice.pk)  # the sweep running it again sends nothing twice
    assert OutboxMessage.objects.filter(kind="emergency_sms").count() == 12


def test_who_may_raise_and_what(world):
    with pytest.raises(RefusedError):
        services.raise_notice(world.users["worker_a"], world.places["compound"], kind="flood", title="x", body="x")
    with pytest.raises(RefusedError) as refused:
        services.raise_notice(world.users["staff"], world.places["b1u1"], kind="flood", title="x", body="x")
    assert refused.value.code == "notice_place"
    with pytest.raises(RefusedError):
        raise_for_compound(world, body=" ")
    notice = services.raise_notice(world.users["staff"], world.places["b1"], kind="water_cut", title="停水", body="x")
    assert notice.target == 6


def test_a_household_confirms_from_its_link_and_may_ask_for_help(world, client):
    notice = raise_for_compound(world)
    household = household_of("居民4")
    url = links.path(notice.pk, household.pk)
    page = client.get(url).content.decode()
    assert "台风预警" in page and household.unit_number in page
    other = household_of("居民5")
    forged = url.replace(f"/{household.pk}/", f"/{other.pk}/")
    assert client.get(forged).status_code == 404 and client.post(forged, {"answer": "safe"}).status_code == 404
    client.post(url, {"answer": "safe"})
    reach = Reach.objects.get(notice=notice, household=household)
    assert reach.way == "self" and not reach.needs_help and reach.block == world.places["b1"]
    client.post(url, {"answer": "help", "note": "老人行动不便"})
    reach.refresh_from_db()
    assert reach.needs_help and Reach.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="emergency_help", user=world.users["worker_a"]).exists()
    assert "Staff know you need help" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode() \
        or "工作人员" in client.get(url).content.decode()


def test_grid_workers_tick_off_their_households_only(world):
    notice = raise_for_compound(world)
    mine, theirs = household_of("居民1"), Household.objects.filter(place=world.places["b2u1"]).first()
    services.tick(world.users["worker_a"], notice, mine, way="phone")
    with pytest.raises(RefusedError):
        services.tick(world.users["worker_a"], notice, theirs, way="door")
    with pytest.raises(RefusedError):
        services.tick(world.users["worker_a"], notice, mine, way="self")
    services.tick(world.users["staff"], notice, mine, way="door")  # already reached: the first stays
    assert Reach.objects.get(household=mine).way == "phone"
    services.close(world.users["staff"], notice, note="台风已过境")
    with pytest.raises(RefusedError) as refused:
        services.tick(world.users["worker_a"], notice, household_of("居民2"), way="door")
    assert refused.value.code == "notice_closed"
    with pytest.raises(RefusedError):
        services.close(world.users["staff"], notice)


def test_the_board_lists_the_vulnerable_first_and_counts_by_building(world, client):
    notice = raise_for_compound(world)
    board = selectors.board(world.users["worker_a"], notice)
    assert [row.place.name for row in board.blocks] == ["1栋"]  # grid A's worker sees building 1 only
    assert (board.target, board.reached) == (6, 0)
    assert [h.unit for h in board.vulnerable] == ["201", "201"]  # 居民2 and 居民5 live alone
    assert all("*" in h.head for h in board.vulnerable)  # masked on the board
    services.tick(world.users["worker_a"], notice, household_of("居民2"), way="door")
    board = selectors.board(world.users["worker_a"], notice)
    assert len(board.vulnerable) == 1 and (board.reached, board.remaining) == (1, 5)
    rows = selectors.block_households(world.users["worker_a"], notice, world.places["b1"])
    assert [r.head for r in rows][:2] == ["居民5", "居民1"]  # not reached, vulnerable first; names for the caller
    assert rows[-1].head == "居民2" and rows[-1].reached
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("emergencies-block", args=[notice.pk, "t-b1"])).content.decode()
    assert page.index("居民5") < page.index("居民1") < page.index("居民2")
    assert 'name="block" value="t-b1"' in page  # a tick comes back to this building's page
    assert client.get(reverse("emergencies-block", args=[notice.pk, "t-b2"])).status_code == 404
    staff_board = selectors.board(world.users["staff"], notice)
    assert (staff_board.target, len(staff_board.blocks)) == (12, 2)


def test_ticking_on_the_page_and_the_report(world, client):
    notice = raise_for_compound(world)
    client.force_login(world.users["worker_a"])
    for name in ("居民1", "居民2", "居民3"):
        client.post(reverse("emergencies-tick", args=[notice.pk]),
                    {"household": household_of(name).pk, "way": "phone", "block": "t-b1"})
    client.post(reverse("emergencies-tick", args=[notice.pk]),
                {"household": household_of("居民4").pk, "way": "door", "needs_help": "1", "block": "t-b1"})
    client.post(links.path(notice.pk, household_of("居民5").pk), {"answer": "safe"})
    assert Reach.objects.filter(notice=notice).count() == 5
    page = client.get(reverse("emergencies-board", args=[notice.pk])).content.decode()
    assert "5</strong> / 6" in page, page[page.find("totals"):page.find("totals") + 300]
    client.force_login(world.users["staff"])
    help_call = Reach.objects.get(needs_help=True)
    client.post(reverse("emergencies-help-handled", args=[notice.pk, help_call.pk]), {"note": "已送沙袋"})
    response = client.post(reverse("emergencies-close", args=[notice.pk]), {"note": "解除"})
    assert response.status_code == 302
    report = selectors.report(world.users["staff"], notice)
    assert (report.board.reached, report.board.remaining, report.board.target) == (5, 7, 12)
    assert report.board.by_way == {"phone": 3, "door": 1, "self": 1}
    assert report.within[1] == 5 and (report.help_total, report.help_handled) == (1, 1)
    page = client.get(reverse("emergencies-report", args=[notice.pk])).content.decode()
    assert 'id="reached">5 / 12' in page and 'id="never">7' in page
    book = load_workbook(io.BytesIO(client.get(reverse("emergencies-report", args=[notice.pk]),
                                               {"format": "xlsx"}).content))
    assert book.worksheets[0].max_row == 6 and book.worksheets[1].max_row == 3


def test_a_lost_fan_out_is_sent_by_the_sweep(world):
    notice = raise_for_compound(world)
    assert services.fan_out_unsent() == 0  # too recent: its task is still on the way
    EmergencyNotice.objects.filter(pk=notice.pk).update(raised_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.fan_out_unsent() == 1
    assert services.fan_out_unsent() == 0


def test_raising_on_the_page_acts_once(world, client):
    client.force_login(world.users["staff"])
    data = {"place": "t-compound", "kind": "flood", "title": "防汛", "body": "低洼处住户请转移", "form_key": "k-1"}
    client.post(reverse("emergencies-list"), data)
    client.post(reverse("emergencies-list"), data)
    assert EmergencyNotice.objects.count() == 1


@pytest.mark.parametrize("households", [1000])
def test_the_board_queries_stay_flat_from_1000_to_100000_households(world, households):
    from tongxin.core.models import PersonTag
    from tongxin.core.testing import bulk_households

    entrances = [world.places[k] for k in ("b1u1", "b1u2", "b2u1", "b2u2")]
    notice = raise_for_compound(world)

    def measure() -> tuple[int, int]:
        with count_queries() as board_queries:
            board = selectors.board(world.users["staff"], notice)
        with count_queries() as block_queries:
            selectors.block_households(world.users["worker_a"], notice, world.places["b1"])
        return len(board_queries), len(block_queries), board.target

    def tag_some() -> None:
        people = Person.objects.filter(name__startswith="批量").exclude(tags__tag="elderly_alone")
        PersonTag.objects.bulk_create([PersonTag(person_id=pk, tag="elderly_alone")
                                       for pk in people.values_list("pk", flat=True)[::40]], ignore_conflicts=True)

    bulk_households(entrances, households // 4, start=1000)
    tag_some()
    measure()  # the users' grants are loaded once per user object
    small = measure()
    bulk_households(entrances, (100_000 - households) // 4, start=10_000)
    tag_some()
    large = measure()
    assert small[:2] == large[:2], (small, large)
    assert large[2] == 100_000 + 12

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.cli import main
from tongxin.core.models import OutboxMessage
from tongxin.demands import rules, services
from tongxin.demands.models import Category, Demand, DemandEvent

pytestmark = pytest.mark.django_db


def lights():
    return Category.objects.get(code="lighting")


def file(world, key="k1", **more):
    return services.report(world.places["b1u1"], category=lights(), description="楼道灯坏了", key=key, **more)


def test_a_resident_reports_from_the_qr_page_and_gets_a_tracking_code(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    page = client.get(reverse("qr-page", args=[token]))
    assert page.status_code == 200 and "1单元" in page.content.decode() and "亮化" in page.content.decode()
    response = client.post(reverse("qr-page", args=[token]), {
        "form_key": "f1", "category": lights().pk, "description": "3楼楼道灯坏了", "phone": "13812345678",
    })
    demand = Demand.objects.get()
    assert response.url == reverse("demand-reported", args=[demand.tracking_code])
    assert len(demand.tracking_code) >= 8 and demand.place == world.places["b1u1"] and demand.state == "received"
    track = reverse("demand-track", args=[demand.tracking_code])
    page = client.get(track).content.decode()
    assert "3楼楼道灯坏了" in page and "正在登记" in page  # kept, and said to be on its way to staff
    services.take_in(demand.pk)  # the intake task, as a worker runs it
    assert "正在登记" not in client.get(track).content.decode()
    # the grid worker of grid A and the community staff are told, in the report's transaction
    told = set(OutboxMessage.objects.filter(kind="demand_received").values_list("user__phone", flat=True))
    assert told == {"13100000001", "13100000003"}


def test_a_double_clicked_submit_files_one_demand(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    data = {"form_key": "same", "category": lights().pk, "description": "灯坏了"}
    first = client.post(reverse("qr-page", args=[token]), data)
    second = client.post(reverse("qr-page", args=[token]), data)
    assert Demand.objects.count() == 1 and first.url == second.url


def test_bad_reports_get_a_clear_answer_and_keep_what_was_typed(world, client):
    token = services.qr_for(world.places["b1u1"]).token
    response = client.post(reverse("qr-page", args=[token]),
                           {"form_key": "f2", "category": lights().pk, "description": "路灯不亮", "phone": "12345"})
    body = response.content.decode()
    assert response.status_code == 400 and "11位" in body and "路灯不亮" in body
    assert client.post(reverse("qr-page", args=[token]), {"form_key": "f3", "description": "x"}).status_code == 400
    assert client.get(reverse("qr-page", args=["no-such-token"])).status_code == 404
    assert not Demand.objects.exists()


def test_strangers_with_the_code_see_details_only_after_confirming_the_phone(world, client):
    demand = file(world, phone="13812345678", name="王秀英")
    url = reverse("demand-track", args=[demand.tracking_code])
    body = client.get(url).content.decode()
    assert "楼道灯坏了" not in body and "王秀英" not in body and demand.get_state_display() in body
    assert client.post(url, {"what": "confirm", "phone": "13800000000"}).status_code == 400
    client.post(url, {"what": "confirm", "phone": "13812345678"})
    assert "楼道灯坏了" in client.get(url).content.decode()


def test_the_whole_case_flow_with_feedback_and_rating(world, client):
    demand = file(world)
    worker, chief = world.users["worker_a"], world.users["chief_b1"]
    services.act(worker, demand, "accept")
    services.act(worker, demand, "dispatch", handler=chief)
    assert OutboxMessage.objects.filter(kind="demand_assigned", user=chief).exists()
    with pytest.raises(rules.NotAllowed):
        services.act(worker, demand, "resolve", note="x")  # the handler reports the result
    services.act(chief, demand, "start")
    services.act(chief, demand, "resolve", note="已更换灯泡")
    with pytest.raises(rules.NotAllowed):
        services.act(chief, demand, "verify")  # nobody checks their own work
    services.act(worker, demand, "verify")
    services.act(worker, demand, "close", note="灯已修好，感谢反映")
    demand.refresh_from_db()
    assert demand.state == "closed" and demand.closed_at
    track = reverse("demand-track", args=[demand.tracking_code])
    body = client.get(track).content.decode()
    assert "灯已修好" in body and "chief_b1" not in body  # steps by role, names never shown
    client.post(track, {"what": "rate", "rating": "5", "comment": "很及时"})
    demand.refresh_from_db()
    assert demand.rating == 5 and demand.state == "closed"
    assert [e.action for e in demand.events.all()] == [
        "report", "accept", "dispatch", "start", "resolve", "verify", "close", "rate"]


def test_an_unsatisfied_rating_within_a_week_reopens(world):
    demand = file(world)
    worker = world.users["worker_a"]
    for action in ("accept", "resolve", "verify"):
        services.act(worker, demand, action, note="处理了")
    services.act(worker, demand, "close", note="好了")
    services.rate(demand, 2, "灯还是不亮")
    demand.refresh_from_db()
    assert demand.state == "rework" and demand.closed_at is None
    other = file(world, key="k2")
    for action in ("accept", "resolve", "verify"):
        services.act(worker, other, action, note="处理了")
    services.act(worker, other, "close", note="好了")
    Demand.objects.filter(pk=other.pk).update(closed_at=timezone.now() - datetime.timedelta(days=8))
    services.rate(other, 1)
    other.refresh_from_db()
    assert other.state == "closed" and other.rating == 1  # too late to reopen; the rating counts


def test_staff_outside_the_place_neither_see_nor_act(world, client):
    demand = file(world)
    client.force_login(world.users["worker_b"])
    assert client.get(reverse("demand-detail", args=[demand.pk])).status_code == 404
    assert "楼道灯坏了" not in client.get(reverse("demand-workbench")).content.decode()
    assert client.post(reverse("demand-act", args=[demand.pk]), {"action": "accept"}).status_code == 404
    assert Demand.objects.get().state == "received"
    client.force_login(world.users["worker_a"])
    assert "楼道灯坏了" in client.get(reverse("demand-workbench")).content.decode()
    client.post(reverse("demand-act", args=[demand.pk]), {"action": "accept"})
    assert Demand.objects.get().state == "accepted"


def test_a_grid_worker_records_a_demand_for_a_resident(world, client):
    client.force_login(world.users["worker_a"])
    response = client.post(reverse("demand-on-behalf", args=["t-b1-u2"]), {
        "form_key": "ob1", "source": "visit", "category": lights().pk, "description": "入户走访：张大爷家门口路灯坏",
    })
    demand = Demand.objects.get()
    assert response.url == reverse("demand-detail", args=[demand.pk])
    assert demand.source == "visit" and demand.recorded_by == world.users["worker_a"]
    assert client.get(reverse("demand-on-behalf", args=["t-b2-u1"])).status_code == 404


def test_the_timeline_is_append_only(world):
    demand = file(world)
    services.act(world.users["worker_a"], demand, "accept")
    assert DemandEvent.objects.filter(demand=demand).count() == 2


def test_qr_urls_are_printed_for_every_door_under_a_place(world, capsys):
    assert main(["qr-urls", "t-compound", "--base", "https://tx.example.cn"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4 + 1  # four entrances and the compound's gate
    assert all(line.startswith("https://tx.example.cn/q/") for line in lines)
    again = capsys.readouterr
    assert main(["qr-urls", "t-compound", "--base", "https://tx.example.cn"]) == 0
    assert again().out.strip().splitlines() == lines  # stable


def test_the_demo_puts_qr_codes_on_every_door_and_files_samples(world):
    import io

    from tongxin.demands.demo import load
    from tongxin.demands.models import QrCode

    out = io.StringIO()
    load(out)
    assert QrCode.objects.count() == 5 and Demand.objects.count() == 3
    assert Demand.objects.filter(state="accepted").count() == 1
    assert "3 sample reports" in out.getvalue()


def test_a_burst_of_reports_asks_one_intake_that_takes_them_all_in(world, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    from tongxin.core import delivery
    from tongxin.core.models import InboxItem
    from tongxin.demands import tasks

    with django_capture_on_commit_callbacks(execute=True):
        one, two = file(world, key="b1"), file(world, key="b2")
    intake = DBTaskResult.objects.filter(task_path="tongxin.demands.tasks.intake", status="READY")
    assert intake.count() == 1  # one task for the burst, due once the burst's window has closed
    assert intake.get().run_after > timezone.now() + datetime.timedelta(seconds=services.INTAKE_EVERY)
    assert not DemandEvent.objects.exists()  # the request wrote the demands and nothing else
    assert tasks.intake.call() == 2  # what the worker runs
    assert not services.take_in(one.pk) and tasks.intake.call() == 0  # each once
    for demand in (one, two):
        pending = OutboxMessage.objects.filter(event=f"demand:{demand.pk}:received", status="pending")
        assert pending.count() >= 2
    assert list(one.events.values_list("action", "at")) == [("report", one.created_at)]  # dated at the report
    assert DBTaskResult.objects.filter(task_path="tongxin.core.tasks.deliver_outbox", status="READY").exists()
    delivery.deliver_due()
    assert set(InboxItem.objects.values_list("user__phone", flat=True)) == {"13100000001", "13100000003"}
    cache.delete("demands:intake-asked")  # the window has passed
    with django_capture_on_commit_callbacks(execute=True):
        file(world, key="b3")
    assert intake.count() == 2


def test_a_report_whose_intake_was_lost_is_taken_in_by_the_sweep(world):
    demand = file(world)  # its request ended before asking for an intake
    assert services.sweep_intake() == 1 and services.sweep_intake() == 0
    assert OutboxMessage.objects.filter(event=f"demand:{demand.pk}:received").exists()


def test_staff_quicker_than_the_intake_take_it_in_first(world):
    demand = file(world)
    services.act(world.users["worker_a"], demand, "accept")
    demand.refresh_from_db()
    assert demand.taken_in_at and demand.unit == world.places["grid_a"]
    assert list(demand.events.values_list("action", flat=True)) == ["report", "accept"]


def test_staff_are_told_of_likely_duplicates_when_a_report_comes_in(world):
    first = file(world, key="d1")
    services.take_in(first.pk)
    second = services.report(world.places["b1u2"], category=lights(), description="楼道的灯坏了", key="d2")
    services.take_in(second.pk)
    told = OutboxMessage.objects.filter(event=f"demand:{second.pk}:received").first()
    assert first.tracking_code in told.body


def test_guessing_tracking_codes_is_slowed_down_for_the_guesser_only(world, client):
    from django.core.cache import cache

    cache.clear()
    demand = file(world)
    for n in range(20):
        assert client.get(reverse("demand-track", args=[f"GUESS{n:05d}"])).status_code == 404
    assert client.get(reverse("demand-track", args=[demand.tracking_code])).status_code == 429  # even a right one
    other = type(client)(REMOTE_ADDR="10.0.0.9")
    assert other.get(reverse("demand-track", args=[demand.tracking_code])).status_code == 200
    cache.clear()


def test_the_workbench_filters_by_category_source_and_place(world, client):
    file(world, key="w1")
    services.report(world.places["b1u2"], category=Category.objects.get(code="sanitation"), description="垃圾满了",
                    key="w2", source="visit", recorded_by=world.users["worker_a"])
    client.force_login(world.users["worker_a"])
    url = reverse("demand-workbench")
    assert "垃圾满了" in client.get(url, {"category": "sanitation"}).content.decode()
    assert "楼道灯坏了" not in client.get(url, {"category": "sanitation"}).content.decode()
    assert "楼道灯坏了" not in client.get(url, {"source": "visit"}).content.decode()
    by_place = client.get(url, {"place": "t-b1-u1"}).content.decode()
    assert "楼道灯坏了" in by_place and "垃圾满了" not in by_place
    assert "楼道灯坏了" not in client.get(url, {"place": "no-such-place"}).content.decode()


def test_a_photo_taken_on_a_visit_is_kept_with_the_demand(world, client):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (50, 40)).save(out, "JPEG")
    client.force_login(world.users["worker_a"])
    client.post(reverse("demand-on-behalf", args=["t-b1-u2"]), {
        "form_key": "ob2", "source": "visit", "category": lights().pk, "description": "路灯坏了",
        "photos": [SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")],
    })
    assert Demand.objects.get().photos.count() == 1


def test_the_followed_codes_cookie_is_signed_and_keeps_no_server_session(world, client):
    demand = file(world, phone="13812345678", key="c1")
    client.cookies["tx_followed"] = demand.tracking_code  # forged: not signed by the server
    page = client.get(reverse("demand-track", args=[demand.tracking_code])).content.decode()
    assert "楼道灯坏了" not in page
    client.post(reverse("demand-track", args=[demand.tracking_code]), {"what": "confirm", "phone": "13812345678"})
    assert "楼道灯坏了" in client.get(reverse("demand-track", args=[demand.tracking_code])).content.decode()
    assert client.cookies["tx_followed"]["httponly"] and "sessionid" not in client.cookies


def test_a_double_click_at_the_rate_limit_gets_the_first_report_back(world):
    for n in range(3):
        first = services.report(world.places["b1u1"], category=lights(), description=f"第{n}件事", key=f"r{n}",
                                client="same-phone")
    again = services.report(world.places["b1u1"], category=lights(), description="第2件事", key="r2",
                            client="same-phone")
    assert again.pk == first.pk
    with pytest.raises(services.RefusedError):
        services.report(world.places["b1u1"], category=lights(), description="第3件事", key="r3", client="same-phone")


def test_nothing_listens_to_demand_saves(world):
    """``services.report`` writes the demand with its own INSERT, which sends no signal;
    a receiver of Demand's would silently miss every report (listen to DemandEvent)."""
    from django.db.models import signals

    for signal in (signals.pre_save, signals.post_save, signals.pre_init, signals.post_init):
        assert not signal.has_listeners(Demand), signal
    demand = file(world)
    stored = Demand.objects.get(pk=demand.pk)
    assert (stored.tracking_code, stored.place_path) == (demand.tracking_code, demand.place_path)
    assert stored.state == "received"
    assert stored.created_at == demand.created_at and stored.respond_by == demand.respond_by

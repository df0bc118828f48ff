"""Claimable tasks and micro-wishes: publishing, the auto wish from a QR report, masking,
claiming, expiry (by the deadline task and by the sweep), release, completion, return and
confirmation (by a manager and by the resident)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, Person, PersonalDataRead
from tongxin.core.testing import count_queries
from tongxin.demands.models import Category
from tongxin.demands.testing import catalogues, file_report  # noqa: F401 - the fixture puts the catalogue back
from tongxin.volunteering.models import Claim, ClaimPhoto, ClaimState, ServiceRecord, Task, TaskKind, TaskState
from tongxin.volunteering.services import claims as services
from tongxin.volunteering.services.claims import expire_claim, remind_claim
from tongxin.volunteering.tests.claims_support import enrol, jpeg_with_exif, wish_report

pytestmark = pytest.mark.django_db


def told(kind: str, **extra) -> list[str]:
    """The phones of the users told of ``kind``, in the order the notices were written."""
    rows = OutboxMessage.objects.filter(kind=kind, channel="inbox", **extra).order_by("id")
    return list(rows.values_list("user__phone", flat=True))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def members(world):
    """Three approved members: one at the task's entrance (b1u1), one in the same building, one
    in the other building; and one person whose registration is still pending."""
    enrol(world, "near", home="b1u1", phone="13800000001")
    enrol(world, "building", home="b1u2", phone="13800000002")
    enrol(world, "far", home="b2u1", phone="13800000003")
    enrol(world, "pending", home="b1u1", phone="13800000004", status="pending")
    return world


def repair(world, place="b1u1", key="r1"):
    return file_report(world.places[place], category=Category.objects.get(code="repairs"),
                       description="楼道扶手松了，老人下楼不方便", name="李大爷", phone="13955556666", key=key)


# --- publishing ----------------------------------------------------------------------------


def test_a_manager_publishes_an_open_demand_and_members_are_told_nearest_first(members):
    world = members
    demand = repair(world)
    task = services.publish_from_demand(world.users["worker_a"], demand, title="帮李大爷修扶手", act_within_hours=24)
    assert task.kind == TaskKind.DEMAND and task.state == TaskState.OPEN and task.place_path == demand.place_path
    assert (task.contact_name, task.contact_phone) == ("李大爷", "13955556666")
    demand.refresh_from_db()
    assert demand.state == "accepted"  # the manager took it up through the demands workflow
    # approved members only, the one at the same entrance first, then the building, then the rest
    assert told("task_published") == ["13800000001", "13800000002", "13800000003"]
    with pytest.raises(RefusedError) as again:
        services.publish_from_demand(world.users["worker_a"], demand)
    assert again.value.code == "already_published"


def test_a_demand_outside_the_managers_places_cannot_be_published(members):
    demand = repair(members, place="b2u1", key="r2")
    with pytest.raises(RefusedError):
        services.publish_from_demand(members.users["worker_a"], demand)
    assert not Task.objects.exists()


def test_a_manager_publishes_a_wish_for_a_resident_and_the_page_form_works(members):
    world = members
    client = client_for(world.users["worker_a"])
    page = client.get(reverse("volunteering-task-new") + "?what=wish")
    assert page.status_code == 200
    entrance = world.places["b1u2"]
    response = client.post(reverse("volunteering-task-new"), {
        "what": "wish", "place": entrance.pk, "contact_name": "张奶奶", "contact_phone": "13712345678",
        "title": "想要一台收音机", "act_within_hours": "48", "hours_credit": "2", "form_key": page.context["form_key"],
    })
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("volunteering-task", args=[task.pk])
    assert (task.kind, task.place, task.act_within_hours, str(task.hours_credit)) == ("wish", entrance, 48, "2.0")
    assert told("task_published")[0] == "13800000002"  # living at that entrance
    # a place outside the worker's grid is refused, with a message in Chinese
    outside = client.post(reverse("volunteering-task-new"), {
        "what": "wish", "place": world.places["b2u1"].pk, "contact_name": "x", "title": "心愿二",
        "form_key": "another-key"})
    assert outside.status_code == 400 and "请选择您负责范围内的地点" in outside.content.decode()


def test_publishing_from_the_list_of_open_demands_or_by_tracking_code(members):
    world = members
    first, second = repair(world, key="a"), repair(world, place="b1u2", key="b")
    client = client_for(world.users["staff"])
    page = client.get(reverse("volunteering-task-new"))
    assert {d.pk for d in page.context["demands"]} == {first.pk, second.pk}
    client.post(reverse("volunteering-task-new"), {"what": "demand", "demand": first.pk, "form_key": "k1"})
    client.post(reverse("volunteering-task-new"), {"what": "demand", "tracking_code": second.tracking_code.lower(),
                                                   "form_key": "k2"})
    assert set(Task.objects.values_list("demand_id", flat=True)) == {first.pk, second.pk}
    assert client.get(reverse("volunteering-task-new")).context["demands"] == []


# --- the auto wish from a QR report ----------------------------------------------------------


def test_a_wish_reported_at_a_qr_code_becomes_a_task_once_when_taken_in(members):
    world = members
    from tongxin.demands import services as demand_services

    pending = demand_services.report(world.places["b1u1"], category=Category.objects.get(code="wish"),
                                     description="想要一副老花镜", name="王奶奶", phone="13912345678", key="w")
    assert not Task.objects.exists()  # the resident's request writes only the demand
    demand_services.take_in(pending.pk)
    task = Task.objects.get()
    assert (task.kind, task.demand_id, task.place_id) == (TaskKind.WISH, pending.pk, world.places["b1u1"].pk)
    assert (task.contact_name, task.contact_phone, task.description) == ("王奶奶", "13912345678", "想要一副老花镜")
    assert told("task_published") == ["13800000001", "13800000002", "13800000003"]
    # the community's answer: accepted by the system, so the response deadline is met
    pending.refresh_from_db()
    assert pending.state == "accepted" and pending.responded_at is not None
    assert list(pending.events.values_list("action", "actor_role")) == [("report", "reporter"), ("accept", "system")]
    # taken in again, or the report's step saved again: still one task, nobody told twice
    demand_services.take_in(pending.pk)
    services.wish_from_report(pending)
    assert Task.objects.count() == 1 and len(told("task_published")) == 3
    repair(world)  # another category: no task
    assert Task.objects.count() == 1


# --- masking ------------------------------------------------------------------------------


def test_names_and_phones_are_masked_until_claimed_then_shown_to_the_claimant_only(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    near, building = client_for(world.users["near"]), client_for(world.users["building"])
    listed = near.get(reverse("volunteering-tasks")).content.decode()
    assert "139****5678" in listed and "王**" in listed and "13912345678" not in listed
    page = building.get(reverse("volunteering-task", args=[task.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page and "王奶奶" not in page
    assert near.post(reverse("volunteering-task-claim", args=[task.pk])).status_code == 302
    mine = near.get(reverse("volunteering-task", args=[task.pk])).content.decode()
    assert "13912345678" in mine and "王奶奶" in mine
    theirs = building.get(reverse("volunteering-task", args=[task.pk])).content.decode()
    assert "13912345678" not in theirs and "王奶奶" not in theirs
    # the claim ends: masked again for the former claimant
    services.release(world.users["near"], Claim.objects.get().pk, "临时出差")
    assert "13912345678" not in near.get(reverse("volunteering-task", args=[task.pk])).content.decode()


def test_a_manager_sees_the_contact_masked_and_a_reveal_is_logged(members):
    world = members
    resident = Person.objects.filter(home_path__startswith=world.places["b1u1"].path).first()  # a registered one
    task = services.publish_wish(world.users["worker_a"], place=world.places["b1u1"], title="陪老人聊天",
                                 beneficiary=resident)
    client = client_for(world.users["worker_a"])
    page = client.get(reverse("volunteering-task", args=[task.pk])).content.decode()
    assert resident.phone not in page and "reveal" in page
    before = PersonalDataRead.objects.count()
    shown = client.post(reverse("volunteering-task-reveal", args=[task.pk])).content.decode()
    assert resident.phone in shown and resident.name in shown
    read = PersonalDataRead.objects.latest("id")
    assert PersonalDataRead.objects.count() == before + 1
    assert (read.user, read.person, read.context) == (world.users["worker_a"], resident, f"volunteering task {task.pk}")
    # a building chief (no volunteering.manage) cannot
    assert client_for(world.users["chief_b1"]).post(reverse("volunteering-task-reveal", args=[task.pk])).status_code \
        == 404


def test_a_reported_contact_not_in_the_registers_is_shown_and_logged_by_their_phone(members):
    from tongxin.core import privacy
    from tongxin.core.models import PersonalDataRead

    world = members
    task = Task.objects.get(demand=wish_report(world, phone="13700001111"))
    response = client_for(world.users["worker_a"]).post(reverse("volunteering-task-reveal", args=[task.pk]))
    assert response.status_code == 200 and "13700001111" in response.content.decode()
    read = PersonalDataRead.objects.get(user=world.users["worker_a"])
    assert read.person_id is None and read.phone_hash == privacy.phone_hash("137 0000 1111")
    assert "13700001111" not in str(vars(read))


# --- claiming, deadlines, release ---------------------------------------------------------------


def test_claiming_sets_the_deadline_schedules_its_task_and_a_reminder(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    made = services.claim(world.users["near"], task)
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and made.state == ClaimState.ACTIVE
    assert abs(made.act_by - made.claimed_at - datetime.timedelta(hours=72)) < datetime.timedelta(seconds=5)
    expiry = DBTaskResult.objects.get(task_path="tongxin.volunteering.services.claims.expire_claim")
    assert expiry.run_after == made.act_by and expiry.args_kwargs["args"] == [made.pk, made.act_by.isoformat()]
    reminder = DBTaskResult.objects.get(task_path="tongxin.volunteering.services.claims.remind_claim")
    assert reminder.run_after == made.act_by - datetime.timedelta(hours=12)
    # the same member clicking again gets their claim back; someone else a clear refusal
    assert services.claim(world.users["near"], task).pk == made.pk
    with pytest.raises(RefusedError) as lost:
        services.claim(world.users["building"], task)
    assert lost.value.code == "already_claimed" and lost.value.message_zh == "这个任务已经被别人认领了"
    # the reminder reaches the claimant while the claim is live
    assert remind_claim.call(made.pk, made.act_by.isoformat())
    assert told("claim_due") == ["13800000001"]


def test_only_approved_members_of_the_community_may_claim(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    for key in ("pending", "worker_a"):
        with pytest.raises(RefusedError) as refused:
            services.claim(world.users[key], task)
        assert refused.value.code == "not_enrolled"
    response = client_for(world.users["pending"]).get(reverse("volunteering-tasks"))
    assert response.status_code == 403


def test_the_page_says_clearly_when_someone_else_claimed_it(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    services.claim(world.users["near"], task)
    response = client_for(world.users["far"]).post(reverse("volunteering-task-claim", args=[task.pk]))
    assert response.status_code == 409 and "这个任务已经被别人认领了" in response.content.decode()


def overdue(made: Claim) -> Claim:
    """Move the deadline into the past, as time passing would."""
    Claim.objects.filter(pk=made.pk).update(act_by=timezone.now() - datetime.timedelta(minutes=1))
    made.refresh_from_db()
    return made


def test_a_claim_not_done_in_time_is_released_by_its_deadline_task_and_the_next_people_told(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    made = services.claim(world.users["near"], task)
    planned = made.act_by.isoformat()
    assert not expire_claim.call(made.pk, planned)  # not due yet: nothing happens
    made = overdue(made)
    assert not expire_claim.call(made.pk, planned)  # the deadline moved: the old task does nothing
    OutboxMessage.objects.filter(kind="task_published").delete()
    assert expire_claim.call(made.pk, made.act_by.isoformat())
    made.refresh_from_db()
    task.refresh_from_db()
    assert made.state == ClaimState.EXPIRED and made.ended_at and "not done in time" in made.reason.lower()
    assert task.state == TaskState.OPEN
    assert told("claim_due") == ["13800000001"]
    assert told("task_published") == ["13800000002", "13800000003"]  # the next people, not the one released
    assert not expire_claim.call(made.pk, made.act_by.isoformat())  # once
    assert not remind_claim.call(made.pk, made.act_by.isoformat())
    services.claim(world.users["building"], task)  # someone else may claim it now


def test_the_sweep_releases_what_a_lost_task_missed(members):
    world = members
    first = Task.objects.get(demand=wish_report(world))
    second = Task.objects.get(demand=wish_report(world, key="wish-2", phone="13912345679"))
    late = overdue(services.claim(world.users["near"], first))
    on_time = services.claim(world.users["building"], second)
    assert services.release_overdue() == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.state, on_time.state) == (ClaimState.EXPIRED, ClaimState.ACTIVE)
    assert Task.objects.get(pk=first.pk).state == TaskState.OPEN
    assert services.release_overdue() == 0


def test_the_claimant_releases_with_a_reason(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    services.claim(world.users["near"], task)
    client = client_for(world.users["near"])
    refused = client.post(reverse("volunteering-task-release", args=[task.pk]), {"reason": " "})
    assert refused.status_code == 400 and "请说明放弃的原因" in refused.content.decode()
    OutboxMessage.objects.filter(kind="task_published").delete()
    assert client.post(reverse("volunteering-task-release", args=[task.pk]), {"reason": "临时出差"}).status_code == 302
    made = Claim.objects.get()
    assert (made.state, made.reason) == (ClaimState.RELEASED, "临时出差")
    assert Task.objects.get().state == TaskState.OPEN
    assert told("task_published") == ["13800000002", "13800000003"]
    # someone else cannot release another's claim
    services.claim(world.users["building"], task)
    other = client.post(reverse("volunteering-task-release", args=[task.pk]), {"reason": "x"})
    assert other.status_code == 400 and Claim.objects.filter(state="active").count() == 1


# --- completing and confirming ----------------------------------------------------------------


def test_the_whole_flow_from_a_demand_to_the_ledger(members):
    world = members
    demand = repair(world)
    task = services.publish_from_demand(world.users["worker_a"], demand, hours_credit="1.5")
    near = client_for(world.users["near"])
    near.post(reverse("volunteering-task-claim", args=[task.pk]))
    page = near.get(reverse("volunteering-task", args=[task.pk]))
    response = near.post(reverse("volunteering-task-complete", args=[task.pk]), {
        "note": "扶手已经紧固好了", "photos": [jpeg_with_exif()], "form_key": page.context["form_key"]})
    assert response.status_code == 302
    made = Claim.objects.get()
    assert (made.state, made.note, Task.objects.get().state) == (ClaimState.DONE, "扶手已经紧固好了", TaskState.DONE)
    photo = ClaimPhoto.objects.get(claim=made)
    data = photo.image.read()
    assert data[:2] == b"\xff\xd8" and b"PhoneMaker" not in data and b"secret-software" not in data
    # the double submit of the same form does nothing more
    again = near.post(reverse("volunteering-task-complete", args=[task.pk]), {
        "note": "扶手已经紧固好了", "form_key": page.context["form_key"]})
    assert again.status_code == 400 and ClaimPhoto.objects.count() == 1
    # the grid's managers are told: the grid worker of grid A and the community's staff, not grid B's
    assert set(told("claim_completed")) == {"13100000001", "13100000003"}
    # the claimant and the manager see the photo; another member does not
    photo_url = reverse("volunteering-task-photo", args=[task.pk, photo.pk])
    assert near.get(photo_url).status_code == 200
    assert client_for(world.users["worker_a"]).get(photo_url).status_code == 200
    assert client_for(world.users["building"]).get(photo_url).status_code == 404
    # the grid worker confirms
    assert client_for(world.users["worker_a"]).post(reverse("volunteering-task-confirm", args=[task.pk])).status_code \
        == 302
    made.refresh_from_db()
    assert (made.state, made.confirmed_by) == (ClaimState.CONFIRMED, world.users["worker_a"])
    assert Task.objects.get().state == TaskState.CONFIRMED
    record = ServiceRecord.objects.get(claim=made)
    assert (record.minutes, record.person_id, record.source) == (90, world.people["near"].pk, "task")
    assert told("claim_confirmed") == ["13800000001"]
    demand.refresh_from_db()
    assert demand.state == "closed"  # accepted → resolved → verified → closed, as the grid worker
    assert list(demand.events.values_list("action", "actor_id").order_by("id"))[-3:] == [
        ("resolve", world.users["worker_a"].pk), ("verify", world.users["worker_a"].pk),
        ("close", world.users["worker_a"].pk)]
    # confirming twice does nothing more
    with pytest.raises(RefusedError):
        services.confirm(world.users["worker_a"], task)
    assert ServiceRecord.objects.count() == 1


def test_completion_is_refused_without_a_note_or_with_too_many_photos(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    made = services.claim(world.users["near"], task)
    with pytest.raises(RefusedError):
        services.complete(world.users["near"], made.pk, "")
    with pytest.raises(RefusedError) as many:
        services.complete(world.users["near"], made.pk, "送到了", [jpeg_with_exif() for _ in range(4)])
    assert many.value.code == "too_many_photos"
    with pytest.raises(RefusedError):
        services.complete(world.users["building"], made.pk, "送到了")  # not theirs
    assert Claim.objects.get().state == ClaimState.ACTIVE


def test_a_manager_returns_the_work_with_a_reason_and_the_task_opens_again(members):
    world = members
    task = Task.objects.get(demand=wish_report(world))
    made = services.claim(world.users["near"], task)
    services.complete(world.users["near"], made.pk, "送到了")
    client = client_for(world.users["worker_a"])
    assert client.post(reverse("volunteering-task-return", args=[task.pk]), {"reason": ""}).status_code == 400
    assert client.post(reverse("volunteering-task-return", args=[task.pk]),
                       {"reason": "老人说还没收到"}).status_code == 302
    made.refresh_from_db()
    assert (made.state, made.reason) == (ClaimState.RETURNED, "老人说还没收到")
    assert Task.objects.get().state == TaskState.OPEN
    assert "13800000001" in told("claim_due")
    assert not ServiceRecord.objects.exists()
    # grid B's worker may not confirm or return grid A's task
    assert client_for(world.users["worker_b"]).post(reverse("volunteering-task-confirm", args=[task.pk])).status_code \
        == 404


def test_the_resident_confirms_on_the_wish_page_by_tracking_code(members):
    world = members
    demand = wish_report(world)
    task = Task.objects.get(demand=demand)
    resident = Client()
    url = reverse("volunteering-wish", args=[demand.tracking_code])
    page = resident.get(url)
    assert page.status_code == 200 and "想要一副老花镜" not in page.content.decode()  # phone not confirmed yet
    made = services.claim(world.users["near"], task)
    services.complete(world.users["near"], made.pk, "老花镜送到了")
    refused = resident.post(url, {"what": "received"})
    assert refused.status_code == 400 and Claim.objects.get().state == ClaimState.DONE
    assert resident.post(url, {"what": "confirm", "phone": "13900000000"}).status_code == 400
    assert resident.post(url, {"what": "confirm", "phone": "13912345678"}).status_code == 302
    page = resident.get(url).content.decode()
    assert "想要一副老花镜" in page and 'value="received"' in page
    assert resident.post(url, {"what": "received"}).status_code == 302
    made.refresh_from_db()
    assert made.state == ClaimState.CONFIRMED and made.confirmed_by is None
    assert Task.objects.get().state == TaskState.CONFIRMED
    assert ServiceRecord.objects.filter(claim=made).count() == 1
    assert told("claim_confirmed") == ["13800000001"]
    demand.refresh_from_db()
    # the resident is not staff: their words go on the timeline for the grid's staff to close it
    assert demand.events.filter(action="comment", actor_role="reporter").exists()
    assert resident.get(reverse("volunteering-wish", args=["NOSUCHCODE"])).status_code == 404


# --- the list --------------------------------------------------------------------------------


def test_the_task_list_is_nearest_first_and_pages_by_keyset(members, settings):
    world = members
    from tongxin.volunteering.selectors import claims as selectors

    far = services.publish_wish(world.users["staff"], place=world.places["b2u2"], title="远处的心愿", contact_name="甲")
    building = services.publish_wish(world.users["staff"], place=world.places["b1u2"], title="同楼", contact_name="乙")
    door = services.publish_wish(world.users["staff"], place=world.places["b1u1"], title="同单元", contact_name="丙")
    compound = services.publish_wish(world.users["staff"], place=world.places["compound"], title="小区",
                                     contact_name="丁")
    first = selectors.open_tasks(world.users["near"], size=2)
    assert [t.pk for t in first.rows] == [door.pk, building.pk]
    second = selectors.open_tasks(world.users["near"], first.next_cursor, size=2)
    assert [t.pk for t in second.rows] == [compound.pk, far.pk] and second.next_cursor is None
    listed = client_for(world.users["far"]).get(reverse("volunteering-tasks")).context["open_tasks"]
    assert listed[0].pk == far.pk


def test_the_task_list_costs_the_same_queries_however_many_tasks(members):
    world = members

    def add(n, start):
        for i in range(n):
            services.publish_wish(world.users["staff"], place=world.places["b1u1" if i % 2 else "b2u1"],
                                  title=f"心愿{start + i}", contact_name="某某", contact_phone="13711112222")

    client, manager = client_for(world.users["near"]), client_for(world.users["staff"])
    add(3, 0)
    Task.objects.filter(pk=Task.objects.first().pk).update(state=TaskState.DONE)
    client.get(reverse("volunteering-tasks"))
    manager.get(reverse("volunteering-tasks"))
    with count_queries() as few:
        client.get(reverse("volunteering-tasks"))
    with count_queries() as few_managed:
        manager.get(reverse("volunteering-tasks"))
    add(25, 3)
    with count_queries() as many:
        response = client.get(reverse("volunteering-tasks"))
    with count_queries() as many_managed:
        manager.get(reverse("volunteering-tasks"))
    assert len(response.context["open_tasks"]) == 27
    assert len(many) == len(few) and len(many_managed) == len(few_managed)


def test_the_database_refuses_a_second_live_claim_even_when_the_task_still_reads_open(members):
    """What a loser of the race meets: it read the task open, and its INSERT hits
    ``claim_one_live`` inside a savepoint; the refusal is clear and the transaction usable."""
    from django.db import transaction

    world = members
    task = Task.objects.get(demand=wish_report(world))
    winner = services.claim(world.users["near"], task)
    Task.objects.filter(pk=task.pk).update(state=TaskState.OPEN)  # as the loser read it, before the commit
    with transaction.atomic():
        with pytest.raises(RefusedError) as lost:
            services.claim(world.users["building"], task)
        assert Claim.objects.count() == 1  # the transaction goes on after the savepoint rolled back
    assert lost.value.code == "already_claimed"
    assert list(Claim.objects.values_list("pk", flat=True)) == [winner.pk]


def test_a_manager_withdraws_an_open_task(members):
    world = members
    task = services.publish_wish(world.users["worker_a"], place=world.places["b1u1"], title="修收音机",
                                 contact_name="赵大爷")
    client = client_for(world.users["worker_a"])
    assert client.post(reverse("volunteering-task-withdraw", args=[task.pk])).status_code == 302
    assert Task.objects.get().state == TaskState.WITHDRAWN
    with pytest.raises(RefusedError):
        services.claim(world.users["near"], task)
    assert client_for(world.users["near"]).get(reverse("volunteering-tasks")).context["open_tasks"] == []

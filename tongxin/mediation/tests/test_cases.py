"""Case files: opening, acceptance and the deadline, mediators, sessions, the agreement and
its signatures (paper scan, phone code), judicial confirmation, follow-up, closing,
hand-offs; scope, masking and the read log; flat query counts; the PDF in Chinese."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, Person, PersonalDataRead
from tongxin.core.privacy import id_number_of, phone_hash
from tongxin.core.testing import PASSWORD, count_queries
from tongxin.mediation import rules
from tongxin.mediation.models import Case, Signature
from tongxin.mediation.selectors import cases as selectors
from tongxin.mediation.selectors import stats
from tongxin.mediation.services import cases as services
from tongxin.mediation.tests.support import committee, open_case, residents_b1

pytestmark = pytest.mark.django_db


def _client(world, key):
    client = Client()
    client.force_login(world.users[key])
    return client


def _code_sent(signature) -> str:
    message = OutboxMessage.objects.filter(event__startswith=f"mediation-code-{signature.pk}-").latest("id")
    return message.event.rsplit("-", 1)[1]


# --- opening and accepting ---------------------------------------------------------------
def test_opening_needs_two_parties_valid_phones_and_the_manage_permission(world):
    first, _second = residents_b1(world)
    staff = world.users["staff"]
    base = {"title": "噪音", "case_type": "neighbours", "channel": "phone", "applicant": "甲"}
    cases = [
        ([services.PartyInput(person=first)], "parties_too_few"),
        ([services.PartyInput(person=first), services.PartyInput(person=first)], "party_twice"),
        ([services.PartyInput(person=first), services.PartyInput(name="乙", phone="12345")], "party_phone_bad"),
        ([services.PartyInput(person=first), services.PartyInput(name="", phone="13900001111")], "party_name_missing"),
    ]
    for parties, code in cases:
        with pytest.raises(RefusedError) as refused:
            services.open_case(staff, world.places["b1"], parties=parties, **base)
        assert refused.value.code == code
    with pytest.raises(RefusedError) as refused:
        services.open_case(staff, world.places["b1"], parties=[], **(base | {"channel": "grid"}))
    assert refused.value.code == "referrer_missing"
    with pytest.raises(RefusedError) as refused:  # a grid worker keeps no case files
        services.open_case(world.users["worker_a"], world.places["b1"], **base,
                           parties=[services.PartyInput(person=first), services.PartyInput(name="乙", phone="")])
    assert refused.value.code == "not_allowed"
    case = services.open_case(staff, world.places["b1"], **base | {"channel": "initiative", "applicant": ""},
                              parties=[services.PartyInput(person=first), services.PartyInput(name="乙", phone="")])
    assert case.state == "received" and case.parties.count() == 2


def test_accepting_sets_the_one_month_deadline_and_declining_needs_a_reason(world):
    case = open_case(world)
    case = services.accept(world.users["staff"], case, on=datetime.date(2026, 1, 31))
    assert (case.state, case.deadline) == ("accepted", datetime.date(2026, 2, 28))
    other = open_case(world, title="另一起")
    with pytest.raises(RefusedError):
        services.decline(world.users["staff"], other, " ")
    other = services.decline(world.users["staff"], other, "一方明确拒绝调解（人民调解法第十七条）")
    assert (other.state, other.outcome) == ("declined", "declined")
    with pytest.raises(RefusedError) as refused:
        services.accept(world.users["staff"], other)
    assert refused.value.code == "wrong_state"


def test_extension_needs_a_reason_and_the_parties_consent(world):
    case = services.accept(world.users["staff"], open_case(world), on=datetime.date(2026, 3, 1))
    with pytest.raises(RefusedError) as refused:
        services.extend(world.users["staff"], case, "2026-04-15", "等待房屋鉴定", parties_agree=False)
    assert refused.value.code == "parties_must_agree"
    case = services.extend(world.users["staff"], case, "2026-04-15", "等待房屋鉴定", parties_agree=True)
    assert case.deadline == datetime.date(2026, 4, 15) and case.extension_reason == "等待房屋鉴定"


# --- the whole way: mediators, sessions, agreement, signatures, confirmation, follow-up ----
def test_a_case_from_application_to_closing(world):
    member = committee(world)
    staff, mediator = world.users["staff"], world.users["mediator"]
    first, second = residents_b1(world)
    from tongxin.core.services.roles import create_login

    create_login(second, phone="13600000099", password=PASSWORD)
    case = services.accept(staff, open_case(world, typed=False))
    candidates = dict(services.mediator_candidates(case))
    assert candidates[member] == "committee" and candidates[world.people["staff"]] == "staff"
    with pytest.raises(RefusedError) as refused:  # a resident is no mediator
        services.add_mediator(staff, case, first)
    assert refused.value.code == "mediator_not_allowed"
    services.add_mediator(staff, case, member)
    assert OutboxMessage.objects.filter(kind="mediation_assigned", user=mediator).exists()
    assert selectors.visible_case(mediator, case.pk) is not None  # the mediator now sees it
    assert selectors.visible_case(world.users["worker_a"], case.pk) is None

    services.record_session(mediator, case, held_on=timezone.localdate(), attended="双方当事人、调解员老周",
                            record="双方陈述；楼上同意维修防水层")
    case.refresh_from_db()
    assert case.state == "in_mediation"
    agreement = services.record_agreement(mediator, case, form="written", text="楼上防水层老化导致漏水",
                                          terms="楼上于两周内维修防水层，赔偿楼下800元", performance="两周内，现金")
    case.refresh_from_db()
    assert (case.state, case.outcome, agreement.effective_on) == ("agreed", "agreement", None)
    parties = list(case.parties.order_by("order"))
    services.sign_on_paper(mediator, case, parties[0].pk, SimpleUploadedFile("sign.pdf", b"%PDF-1.4 signed"))
    with pytest.raises(RefusedError) as refused:  # the first party has no login: paper only
        services.send_code(mediator, case, parties[0].pk)
    assert refused.value.code == "no_login"
    signature = services.send_code(mediator, case, parties[1].pk)
    code = _code_sent(signature)
    with pytest.raises(RefusedError) as refused:
        services.confirm_code(mediator, case, parties[1].pk, "000000" if code != "000000" else "111111")
    assert refused.value.code == "code_wrong"
    services.confirm_code(mediator, case, parties[1].pk, code)
    agreement.refresh_from_db()
    assert agreement.effective_on == timezone.localdate()
    assert set(Signature.objects.values_list("method", flat=True)) == {"paper", "phone_code"}

    with pytest.raises(RefusedError) as refused:
        services.apply_confirmation(mediator, case, applied_on=timezone.localdate(), court="沙市区人民法院",
                                    both_parties=False)
    assert refused.value.code == "jointly"
    late = agreement.effective_on + datetime.timedelta(days=45)
    with pytest.raises(RefusedError) as refused:
        services.apply_confirmation(mediator, case, applied_on=late, court="沙市区人民法院", both_parties=True)
    assert refused.value.code == "window_passed"
    services.apply_confirmation(mediator, case, applied_on=timezone.localdate(), court="沙市区人民法院",
                                both_parties=True)
    services.record_confirmation_outcome(mediator, case, outcome="confirmed")
    with pytest.raises(RefusedError) as refused:  # a mediator records the work; staff close
        services.close(mediator, case)
    assert refused.value.code == "not_allowed"
    services.follow_up(mediator, case, visited_on=timezone.localdate(), kept="kept", note="已维修，已赔偿")
    case = services.close(staff, case)
    assert case.state == "closed" and case.outcome == "agreement"


def test_an_oral_agreement_is_in_force_the_day_it_is_reached(world):
    case = services.accept(world.users["staff"], open_case(world))
    agreement = services.record_agreement(world.users["staff"], case, form="oral", text="", terms="互相道歉",
                                          reached_on="2026-03-02")
    assert agreement.effective_on == datetime.date(2026, 3, 2)


def test_a_hand_off_ends_the_case(world):
    case = services.accept(world.users["staff"], open_case(world))
    services.hand_off(world.users["staff"], case, to_kind="police", to_whom="朝阳派出所",
                      reason="发生肢体冲突，转治安调解")
    case.refresh_from_db()
    assert (case.state, case.outcome, case.closed_on) == ("handed_off", "handed_off", timezone.localdate())
    with pytest.raises(RefusedError) as refused:
        services.record_session(world.users["staff"], case, held_on="", attended="x", record="x")
    assert refused.value.code == "wrong_state"


# --- pages: scope, masking, the read log, query counts ------------------------------------
def test_the_case_page_masks_phones_until_asked_and_logs_each_read(world):
    case = open_case(world)
    first, _second = residents_b1(world)
    client = _client(world, "staff")
    page = client.get(reverse("mediation-case", args=[case.pk])).content.decode()
    assert first.phone not in page and "139****6666" in page and "13955556666" not in page
    assert not PersonalDataRead.objects.exists()
    page = client.get(reverse("mediation-case", args=[case.pk]) + "?phones=1").content.decode()
    assert first.phone in page and "13955556666" in page
    assert id_number_of(first) not in page  # ID numbers never
    assert PersonalDataRead.objects.filter(person=first, fields="phone").count() == 1
    typed_in = PersonalDataRead.objects.get(person__isnull=True)
    assert typed_in.phone_hash == phone_hash("13955556666") and typed_in.user == world.users["staff"]


def test_only_managers_of_the_place_and_the_case_mediators_see_it(world):
    case = open_case(world)
    for key in ("worker_a", "worker_b", "leader", "chief_b1"):
        assert _client(world, key).get(reverse("mediation-case", args=[case.pk])).status_code == 404
        assert case.title not in _client(world, key).get(reverse("mediation-mine")).content.decode()
    assert _client(world, "staff").get(reverse("mediation-case", args=[case.pk])).status_code == 200
    assert _client(world, "worker_a").get(reverse("mediation-cases")).status_code == 404
    member = committee(world)
    services.add_mediator(world.users["staff"], case, member)
    mediator = _client(world, "mediator")
    assert case.title in mediator.get(reverse("mediation-mine")).content.decode()
    assert mediator.get(reverse("mediation-case", args=[case.pk])).status_code == 200
    response = mediator.post(reverse("mediation-case", args=[case.pk]), {"action": "accept"})
    assert response.status_code == 400  # accepting is the staff's
    assert Case.objects.get(pk=case.pk).state == "received"


def test_the_pages_record_a_session_and_an_agreement_and_print_it_in_chinese(world):
    from pypdf import PdfReader

    case = services.accept(world.users["staff"], open_case(world))
    client = _client(world, "staff")
    url = reverse("mediation-case", args=[case.pk])
    assert client.post(url, {"action": "session", "held_on": str(timezone.localdate()), "attended": "双方",
                             "record": "协商"}).status_code == 302
    response = client.post(url, {"action": "agreement", "form": "written", "text": "漏水",
                                 "terms": "楼上赔偿楼下八百元", "reached_on": str(timezone.localdate())})
    assert response.status_code == 302
    assert client.post(url, {"action": "agreement", "form": "written", "terms": "x"}).status_code == 400
    pdf = client.get(reverse("mediation-agreement-pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    page = reader.pages[0]
    fonts = [str(page["/Resources"]["/Font"][key].get_object()["/BaseFont"]) for key in page["/Resources"]["/Font"]]
    assert any("CJK" in font for font in fonts)
    text = page.extract_text().replace(" ", "")  # the title is letter-spaced
    assert "人民调解协议书" in text and "楼上赔偿楼下八百元" in text
    assert "13955556666" not in text and "139****6666" in text  # each party keeps a copy: masked


def test_the_list_and_the_case_page_run_flat_query_counts(world):
    staff = _client(world, "staff")
    case = open_case(world)

    def list_count():
        with count_queries() as statements:
            assert staff.get(reverse("mediation-cases")).status_code == 200
        return len(statements)

    def detail_count():
        with count_queries() as statements:
            assert staff.get(reverse("mediation-case", args=[case.pk]) + "?phones=1").status_code == 200
        return len(statements)

    few, one = list_count(), detail_count()
    for n in range(12):
        open_case(world, title=f"纠纷{n}")
        services.accept(world.users["staff"], Case.objects.latest("id"))
    services.accept(world.users["staff"], case)
    for n in range(4):
        services.record_session(world.users["staff"], case, held_on="", attended="双方", record=f"第{n}次")
    assert list_count() == few
    assert detail_count() == one
    second = staff.get(reverse("mediation-cases")).content.decode()
    assert "纠纷0" in second


def test_the_list_is_keyset_paged(world):
    for n in range(selectors.PAGE + 3):
        open_case(world, title=f"纠纷第{n:02d}号", typed=False)
    staff = _client(world, "staff")
    first = staff.get(reverse("mediation-cases")).content.decode()
    assert f"纠纷第{selectors.PAGE + 2:02d}号" in first and "纠纷第00号" not in first
    last_shown = Case.objects.order_by("-id")[selectors.PAGE - 1].pk
    second = staff.get(reverse("mediation-cases") + f"?before={last_shown}").content.decode()
    assert "纠纷第00号" in second and f"纠纷第{selectors.PAGE + 2:02d}号" not in second


def test_stats_by_place_type_and_month_in_flat_queries(world):
    staff = world.users["staff"]
    for n in range(3):
        case = services.accept(staff, open_case(world, title=f"邻里{n}"))
        services.record_agreement(staff, case, form="oral", text="", terms="和解")
    failed = services.accept(staff, open_case(world, title="物业", case_type="property"))
    services.fail(staff, failed, "物业公司不同意")
    services.hand_off(staff, services.accept(staff, open_case(world, title="打架", case_type="damage")),
                      to_kind="police", to_whom="派出所", reason="治安")
    open_case(world, title="新收")
    figures = stats.place_stats(world.places["community"])
    totals = figures["totals"]
    assert (totals["received"], totals["settled"], totals["concluded"], totals["handed_off"]) == (6, 3, 5, 1)
    assert str(totals["rate"]) == "60.0"
    assert {row["case_type"]: row["received"] for row in figures["by_type"]} == {
        "neighbours": 4, "property": 1, "damage": 1}
    assert figures["by_month"][-1]["received"] == 6 and len(figures["by_month"]) == 12
    # A grid's figures are the places it covers; grid B has none of building 1's.
    assert stats.place_stats(world.places["grid_a"])["totals"]["received"] == 6
    assert stats.place_stats(world.places["grid_b"])["totals"]["received"] == 0

    client = _client(world, "leader")  # a street leader sees figures, never a case
    with count_queries() as statements:
        page = client.get(reverse("mediation-stats") + f"?place={world.places['community'].pk}")
    assert page.status_code == 200 and "60.0%" in page.content.decode()
    few = len(statements)
    for n in range(5):
        open_case(world, title=f"又一起{n}", case_type="family")
    with count_queries() as statements:
        client.get(reverse("mediation-stats") + f"?place={world.places['community'].pk}")
    assert len(statements) == few
    assert client.get(reverse("mediation-case", args=[failed.pk])).status_code == 404
    assert _client(world, "worker_a").get(reverse("mediation-stats")).status_code == 404


def test_the_dashboard_shows_open_and_overdue_cases(world):
    from tongxin.mediation.stats import dashboard_stats

    accepted = timezone.localdate() - datetime.timedelta(days=40)
    case = services.accept(world.users["staff"], open_case(world), on=accepted)
    assert rules.is_overdue(case.state, case.deadline, timezone.localdate())
    figures = {str(stat.label): stat.value for stat in dashboard_stats(world.users["staff"])}
    assert list(figures.values()) == [1, 1]
    assert dashboard_stats(world.users["worker_a"]) == []
    page = _client(world, "staff").get(reverse("mediation-cases") + "?overdue=1").content.decode()
    assert case.title in page


def test_typed_parties_are_not_people_in_the_registers(world):
    before = Person.objects.count()
    open_case(world)
    assert Person.objects.count() == before

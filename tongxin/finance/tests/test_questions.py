"""Residents' questions on a line of a published statement, the keepers' answers, the public
page that shows them and the keepers' page (real database, real HTTP through the test client)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, Person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries, login_for, two_grids
from tongxin.finance.models import LineQuestion
from tongxin.finance.services import ledger, questions, statements

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    # Residents with a login: one of building 1, one of building 2 (both under the compound).
    for key, name, phone in (("resident", "居民1", "13188880001"), ("resident_b2", None, "13188880002")):
        person = (Person.objects.get(name=name) if name else
                  Person.objects.filter(household__place__path__startswith=world.places["b2"].path).first())
        world.users[key] = create_login(person, phone=phone, password=PASSWORD)
    return world


def published(world, lines=2, quarter=1):
    """A published 2026 statement (Q1 unless told) of the compound's committee account with ``lines`` lines."""
    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="1000")
    for n in range(lines):
        entry = ledger.enter(staff, account, date=D(2026, 3 * quarter - 2, 5),
                             direction="income" if n % 2 == 0 else "spending",
                             category="停车费" if n % 2 == 0 else "保洁", amount_yuan=str(n + 1),
                             description=f"第{n + 1}笔")
        ledger.approve(world.users["staff2"], entry)
    return statements.publish(staff, statements.generate(staff, account, 2026, quarter))


def first_entry(statement):
    return statement.lines[0]["entry"]


def test_a_resident_asks_and_a_keeper_answers(world):
    statement = published(world)
    resident, entry = world.users["resident"], first_entry(statement)
    question = questions.ask(resident, statement, entry, "  停车费为什么比上季度少？ ")
    assert (question.text, question.entry_id, question.answered_at) == ("停车费为什么比上季度少？", entry, None)
    # The compound's keepers are told (inbox), the asker is not.
    told = set(OutboxMessage.objects.filter(kind="finance_question_asked").values_list("user_id", flat=True))
    assert told == {world.users["staff"].pk, world.users["staff2"].pk}
    with pytest.raises(PermissionDenied):
        questions.answer(world.users["leader"], question, "x")       # sees the books, does not keep them
    with pytest.raises(PermissionDenied):
        questions.answer(resident, question, "x")
    questions.answer(world.users["staff"], question, "有两个月车位空置。")
    question.refresh_from_db()
    assert question.answered_by == world.users["staff"] and question.answer == "有两个月车位空置。"
    with pytest.raises(RefusedError) as refused:
        questions.answer(world.users["staff2"], question, "再答一次")
    assert refused.value.code == "already_answered"
    told = OutboxMessage.objects.get(kind="finance_question_answered")
    assert told.user_id == resident.pk
    assert told.url == f"/finance/statements/{statement.pk}/#line-{entry}"


def test_asking_twice_the_same_makes_one_question(world):
    statement = published(world)
    resident, entry = world.users["resident"], first_entry(statement)
    first = questions.ask(resident, statement, entry, "这笔是谁交的？")
    again = questions.ask(resident, statement, entry, "这笔是谁交的？")
    assert first.pk == again.pk and LineQuestion.objects.count() == 1
    # The database refuses the duplicate too (a double submit racing past the service's look).
    with pytest.raises(IntegrityError), transaction.atomic():
        LineQuestion.objects.create(statement=statement, entry_id=entry, asked_by=resident, text="这笔是谁交的？")
    # Other words, or another person, are another question.
    questions.ask(resident, statement, entry, "收据在哪里？")
    questions.ask(world.users["resident_b2"], statement, entry, "这笔是谁交的？")
    assert LineQuestion.objects.count() == 3


@pytest.mark.parametrize(("who", "entry", "text", "code"), [
    ("resident", 999999, "问", "line_missing"),
    ("resident", "abc", "问", "line_missing"),
    ("resident", None, "", "question_empty"),
    ("resident", None, "问" * 501, "question_long"),
    ("worker_a", None, "问", "not_resident"),     # a grid worker neither lives here nor sees the books
    ("chief_b1", None, "问", "not_resident"),
])
def test_refusals(world, who, entry, text, code):
    statement = published(world)
    with pytest.raises(RefusedError) as refused:
        questions.ask(world.users[who], statement, first_entry(statement) if entry is None else entry, text)
    assert refused.value.code == code
    assert refused.value.message_zh and refused.value.message_en
    assert not LineQuestion.objects.exists()


def test_staff_who_see_the_books_may_ask_and_a_draft_takes_no_question(world):
    statement = published(world)
    assert questions.ask(world.users["leader"], statement, first_entry(statement), "请说明").pk
    staff = world.users["staff"]
    draft = statements.generate(staff, statement.account, 2026, 2)
    with pytest.raises(RefusedError) as refused:
        questions.ask(world.users["resident"], draft, 1, "问")
    assert refused.value.code == "statement_not_published"


def test_the_public_page_shows_answers_masked_and_my_pending_questions(world, client):
    statement = published(world)
    entry, url = first_entry(statement), f"/finance/statements/{statement.pk}/"
    resident = world.users["resident"]
    answered = questions.ask(resident, statement, entry, "答过的问题")
    questions.answer(world.users["staff"], answered, "这是回答<script>")
    questions.ask(resident, statement, entry, "还在等的问题")
    # Anyone: the answered question with the asker masked, not the pending one; a login link.
    text = client.get(url).content.decode()
    assert "答过的问题" in text and "这是回答&lt;script&gt;" in text and "居*" in text
    assert "居民1" not in text and "还在等的问题" not in text
    assert "/login/?next=" in text and 'name="text"' not in text
    assert f"/finance/statements/{statement.pk}/pdf/" in text
    # The asker: their pending question too, and the form on every line.
    client.force_login(resident)
    text = client.get(url).content.decode()
    assert "还在等的问题" in text and text.count('name="text"') == len(statement.lines)
    # Another resident sees the answer but not the other's pending question.
    client.force_login(world.users["resident_b2"])
    assert "还在等的问题" not in client.get(url).content.decode()


def test_asking_through_the_page_redirects_to_the_line(world, client):
    statement = published(world)
    entry = first_entry(statement)
    ask = f"/finance/statements/{statement.pk}/ask/"
    assert client.post(ask, {"entry": entry, "text": "问"}).status_code == 302   # to the login
    assert not LineQuestion.objects.exists()
    client.force_login(world.users["resident"])
    for _ in range(2):   # a double click
        response = client.post(ask, {"entry": entry, "text": "车位费收了几个月？"})
        assert response.status_code == 302
        assert response["Location"] == f"/finance/statements/{statement.pk}/#line-{entry}"
    assert LineQuestion.objects.get().text == "车位费收了几个月？"
    client.force_login(world.users["worker_a"])
    client.post(ask, {"entry": entry, "text": "网格员问"})
    assert LineQuestion.objects.count() == 1


def test_the_public_page_queries_do_not_grow_with_lines_and_questions(world, client):
    def measure(lines, quarter):
        statement = published(world, lines, quarter)
        for n, line in enumerate(statement.lines):
            question = questions.ask(world.users["resident"], statement, line["entry"], f"问题{n}")
            if n % 2 == 0:
                questions.answer(world.users["staff"], question, f"回答{n}")
            questions.ask(world.users["resident_b2"], statement, line["entry"], f"另一个问题{n}")
        client.get(f"/finance/statements/{statement.pk}/")   # warm the caches (sessions, menus)
        with count_queries() as queries:
            response = client.get(f"/finance/statements/{statement.pk}/")
        assert response.status_code == 200
        assert response.content.decode().count("回答") >= (lines + 1) // 2
        return len(queries)

    client.force_login(world.users["resident"])
    small = measure(3, 1)
    large = measure(40, 2)
    assert small == large


def test_the_keepers_page_lists_waiting_oldest_first_and_answers(world, client):
    statement = published(world)
    entry = first_entry(statement)
    older = questions.ask(world.users["resident"], statement, entry, "先问的")
    newer = questions.ask(world.users["resident_b2"], statement, entry, "后问的")
    client.force_login(world.users["staff"])
    text = client.get("/finance/questions/").content.decode()
    assert text.index("先问的") < text.index("后问的")
    assert "第1笔" in text   # the line's details
    response = client.post("/finance/questions/", {"question": older.pk, "answer": "已答复"})
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.answer == "已答复"
    # A grid worker does not keep the books: no page, and no answer through it.
    client.force_login(world.users["worker_a"])
    assert client.get("/finance/questions/").status_code == 403
    assert client.post("/finance/questions/", {"question": newer.pk, "answer": "x"}).status_code == 403
    newer.refresh_from_db()
    assert newer.answered_at is None

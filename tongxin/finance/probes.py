"""The scope walker's requests for finance's pages (``core.scopewalker``): a published
statement of the test compound (public, and its PDF) with a grid B resident's question on a
line, and the keepers' page of questions, which grid A's roles must neither see nor answer."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.core.models import Person
    from tongxin.core.services.roles import create_login
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.finance.models import Entry
    from tongxin.finance.services import ledger, questions, statements

    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="100")
    entry = ledger.enter(staff, account, date=datetime.date(2026, 1, 5), direction="income", category="停车费",
                         amount_yuan="10", description="walk")
    # Approved by a second person (the world has one keeper): the line is in the statement.
    Entry.objects.filter(pk=entry.pk).update(approved_by=world.users["leader"], approved_at=timezone.now())
    published = statements.publish(staff, statements.generate(staff, account, 2026, 1))
    # A resident of grid B's building asks; one question answered (public), one waiting.
    resident = Person.objects.filter(name__startswith=OUTSIDE_MARKER, household__isnull=False).order_by("pk").first()
    login = create_login(resident, phone="13199990001", password="walk-password-1")
    answered = questions.ask(login, published, entry.pk, "停车费怎么收的？")
    questions.answer(staff, answered, "按月收取。")
    waiting = questions.ask(login, published, entry.pk, "还有别的收入吗？")
    return [
        Probe("finance-statement", {"pk": published.pk}, public=True),
        Probe("finance-statement-pdf", {"pk": published.pk}, public=True),
        # Refused unless the role lives under or sees the compound's books; nothing of grid B shown.
        Probe("finance-ask", {"pk": published.pk}, method="post", data={"entry": str(entry.pk), "text": "walk"}),
        Probe("finance-questions"),
        Probe("finance-questions", method="post", data={"question": str(waiting.pk), "answer": "walk"}),
    ]

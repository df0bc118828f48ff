"""The scope walker's requests for finance's pages (``core.scopewalker``): a published
statement of the test compound (public, and its PDF) with a grid B resident's question on a
line, and the keepers' page of questions, which grid A's roles must neither see nor answer; and
the staff pages of the compound's books, which grid A's roles (none of whom covers the whole
compound) must neither see nor change."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.core.files.base import ContentFile
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
    # Staff pages: an entry of another quarter, marked, with a voucher, not yet approved.
    marked = ledger.enter(staff, account, date=datetime.date(2026, 4, 5), direction="income",
                          category=f"{OUTSIDE_MARKER}类", amount_yuan="20", description=f"{OUTSIDE_MARKER}摘要",
                          voucher=ContentFile(b"%PDF-1.4 walk", name="walk.pdf"))
    draft = statements.generate(staff, account, 2026, 2)
    pk = {"pk": account.pk}
    return [
        Probe("finance-statement", {"pk": published.pk}, public=True),
        Probe("finance-statement-pdf", {"pk": published.pk}, public=True),
        # Refused unless the role lives under or sees the compound's books; nothing of grid B shown.
        Probe("finance-ask", {"pk": published.pk}, method="post", data={"entry": str(entry.pk), "text": "walk"}),
        Probe("finance-questions"),
        Probe("finance-questions", method="post", data={"question": str(waiting.pk), "answer": "walk"}),
        Probe("finance-books"),
        Probe("finance-books", method="post",
              data={"place": world.places["compound"].code, "kind": "maintenance_fund"}),
        Probe("finance-ledger", pk),
        Probe("finance-ledger", pk, query="quarter=2026-2"),
        Probe("finance-entry-new", pk),
        Probe("finance-entry-new", pk, method="post", data={
            "form_key": "walk-key", "date": "2026-04-06", "direction": "spending", "category": "维修",
            "amount": "5", "description": "x"}),
        Probe("finance-entry-approve", {"pk": marked.pk}, method="post"),
        Probe("finance-entry-review", {"pk": marked.pk}, method="post", data={"note": "x"}),
        Probe("finance-voucher", {"pk": marked.pk}),
        Probe("finance-statements", pk),
        Probe("finance-statements", pk, method="post", data={"year": "2026", "quarter": "2"}),
        Probe("finance-statement-draft", {"pk": draft.pk}),
        Probe("finance-statement-draft", {"pk": draft.pk}, method="post", data={"action": "publish", "confirm": "1"}),
        Probe("finance-statement-draft", {"pk": published.pk}, method="post",
              data={"action": "correct", "reason": "x"}),
    ]

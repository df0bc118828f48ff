"""The scope walker's requests for finance's pages (``core.scopewalker``): a published
statement of the test compound, public; and the staff pages of the compound's books, which
grid A's roles (none of whom covers the whole compound) must neither see nor change."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.core.files.base import ContentFile

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.finance.services import ledger, statements

    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="100")
    ledger.enter(staff, account, date=datetime.date(2026, 1, 5), direction="income", category="停车费",
                 amount_yuan="10", description="walk")
    published = statements.publish(staff, statements.generate(staff, account, 2026, 1))
    # Staff pages: an entry of another quarter, marked, with a voucher, not yet approved.
    marked = ledger.enter(staff, account, date=datetime.date(2026, 4, 5), direction="income",
                          category=f"{OUTSIDE_MARKER}类", amount_yuan="20", description=f"{OUTSIDE_MARKER}摘要",
                          voucher=ContentFile(b"%PDF-1.4 walk", name="walk.pdf"))
    draft = statements.generate(staff, account, 2026, 2)
    pk = {"pk": account.pk}
    return [
        Probe("finance-statement", {"pk": published.pk}, public=True),
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

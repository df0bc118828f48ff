"""The scope walker's requests for finance's pages (``core.scopewalker``): a published
statement of the test compound, public."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from tongxin.finance.services import ledger, statements

    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="100")
    ledger.enter(staff, account, date=datetime.date(2026, 1, 5), direction="income", category="停车费",
                 amount_yuan="10", description="walk")
    published = statements.publish(staff, statements.generate(staff, account, 2026, 1))
    return [Probe("finance-statement", {"pk": published.pk}, public=True)]

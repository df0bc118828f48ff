"""Demo books at 沙市花园 (东苑社区): the owners' committee's account and the maintenance fund,
the last full quarter of approved income and spending (community staff enter, a second keeper
approves), that quarter's committee statement published (so the notice board shows it), and
one entry of this month still awaiting approval (the dashboard's figure).

Built on the registers' tree and voting's demo, through the services. Idempotent: an account
is opened once, its entries are entered when it has none, the statement published once."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Place, RoleAssignment
from tongxin.finance.apps import KEEPERS
from tongxin.finance.models import Entry, Statement
from tongxin.finance.services import ledger, statements

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
#: (month of the quarter 0–2, day, direction, category, yuan, description)
COMMITTEE = (
    (0, 5, "income", "停车费", "4860.00", "{m}月地面停车位租金（81个车位）"),
    (0, 18, "income", "广告收入", "3600.00", "电梯轿厢广告第{q}季度收益"),
    (0, 26, "spending", "维修", "1380.00", "3栋楼道声控灯更换12盏（楚阳物业代购）"),
    (1, 5, "income", "停车费", "5120.00", "{m}月地面停车位租金"),
    (1, 12, "income", "场地租金", "1200.00", "快递柜场地租金（本季度）"),
    (1, 20, "spending", "保洁", "800.00", "大件垃圾清运两车"),
    (1, 28, "spending", "绿化", "2150.00", "2栋、5栋之间补种绿篱"),
    (2, 5, "income", "停车费", "4990.00", "{m}月地面停车位租金"),
    (2, 16, "spending", "办公", "236.50", "业委会公示材料打印、复印"),
    (2, 25, "spending", "公示印刷", "180.00", "上季度收支公示海报"),
)
FUND = (
    (2, 21, "income", "维修资金利息", "3215.60", "专项维修资金第{q}季度结息"),
    (1, 9, "income", "业主缴存维修资金", "9660.00", "6栋两户新交房首期维修资金"),
)


def _second_keeper(compound: Place, first):
    """Another person keeping the compound's books, to approve (never the one who entered)."""
    holders = (RoleAssignment.objects.filter(role__in=KEEPERS, person__user__isnull=False)
               .exclude(person__user=first).select_related("person__user").order_by("id"))
    for holder in holders:
        if ledger.can_keep(holder.person.user, compound):
            return holder.person.user
    return get_user_model().objects.filter(is_superuser=True).exclude(pk=first.pk).order_by("id").first()


def last_quarter(today: datetime.date) -> tuple[int, int]:
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


def load(stdout) -> None:
    community, compound = Place.objects.filter(code=COMMUNITY).first(), Place.objects.filter(code=COMPOUND).first()
    staff = staff_of(community) if community else None
    approver = _second_keeper(compound, staff) if staff and compound else None
    if compound is None or staff is None or approver is None:
        stdout.write("  finance: the demo compound 沙市花园 or its staff is missing; nothing loaded\n")
        return
    today = timezone.localdate()
    year, quarter = last_quarter(today)
    committee = ledger.open_account(staff, compound, "committee", opening_yuan="38650.00")
    fund = ledger.open_account(staff, compound, "maintenance_fund", opening_yuan="1286400.00")
    for account, rows in ((committee, COMMITTEE), (fund, FUND)):
        if Entry.objects.filter(account=account).exists():
            continue
        for month, day, direction, category, yuan, description in rows:
            month_number = 3 * quarter - 2 + month
            entry = ledger.enter(staff, account, date=datetime.date(year, month_number, day), direction=direction,
                                 category=category, amount_yuan=yuan,
                                 description=description.format(m=month_number, q="一二三四"[quarter - 1]))
            ledger.approve(approver, entry)
        if account is committee:  # this month's, awaiting a second person
            ledger.enter(staff, account, date=today.replace(day=1), direction="income", category="停车费",
                         amount_yuan="5030.00", description=f"{today.month}月地面停车位租金")
    if not Statement.objects.filter(account=committee, year=year, quarter=quarter, published_at__isnull=False).exists():
        statements.publish(staff, statements.generate(staff, committee, year, quarter))
    stdout.write(f"  finance: 2 accounts at {compound.name}, {Entry.objects.filter(account__place=compound).count()} "
                 f"entries, {year} Q{quarter} statement published\n")

"""Demo property accounts at 沙市花园 (东苑社区), kept by its managing company 楚阳物业: a fee
standard (an older one superseded and kept), this year's bills for every household with about
85 % collected, and the last quarter's income from the common parts published on the board.

Idempotent: each part is skipped when it is already there (the standards by their dates, the
bills by household and year, the payments once any is recorded, the report by its quarter)."""

import datetime
import random

from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OrganisationPlace, Place, RoleAssignment
from tongxin.property.models import Bill, FeeStandard, IncomeReport, Payment
from tongxin.property.services import bills, income, standards

COMPOUND = "jz-dongyuan-ssh"
DECISION_TITLE = "续聘物业服务企业（2026—2028年）"  # the voting demo's closed decision
INCOME = (
    ("advertising", "电梯轿厢广告（12栋×2部）", "9600", "960"),
    ("advertising", "小区入口道闸广告", "3000", "0"),
    ("parking", "地面临时停车收费", "15840.50", "4200"),
    ("rented_space", "快递柜、充电桩场地租金", "2400", "0"),
)


def _keeper(compound: Place):
    company_ids = OrganisationPlace.objects.filter(place=compound, relation="manages", valid_to__isnull=True,
                                                   organisation__kind="property_company").values("organisation_id")
    found = (RoleAssignment.objects.filter(role="property_staff", organisation_id__in=company_ids,
                                           person__user__isnull=False, valid_to__isnull=True)
             .select_related("person__user").order_by("id").first())
    return found.person.user if found else None


def load(stdout) -> None:
    compound = Place.objects.filter(code=COMPOUND).first()
    keeper = _keeper(compound) if compound else None
    if keeper is None:
        stdout.write("  property: the demo compound 沙市花园 or its property staff is missing; nothing loaded\n")
        return
    today = timezone.localdate()
    _standards(keeper, compound)
    try:
        bills.generate(keeper, compound, today.year)
    except RefusedError as refused:
        stdout.write(f"  property: no bills ({refused.message_zh})\n")
    _payments(keeper, compound, today.year)
    _income(keeper, compound, today)
    year_bills = Bill.objects.filter(compound=compound, year=today.year)
    stdout.write(f"  property: {FeeStandard.objects.filter(place=compound).count()} standards, "
                 f"{year_bills.count()} bills ({year_bills.filter(paid_fen__gte=1).count()} paid), "
                 f"{IncomeReport.objects.filter(place=compound, published_at__isnull=False).count()} "
                 "quarters of income published\n")


def _standards(keeper, compound: Place) -> None:
    from tongxin.voting.models import Decision

    if not FeeStandard.objects.filter(place=compound, effective_from=datetime.date(2021, 1, 1)).exists():
        standards.create(keeper, compound, effective_from=datetime.date(2021, 1, 1),
                         basis="前期物业服务合同（2016年签订）约定，荆州市住宅物业服务收费二级标准。",
                         items=[standards.Item("service", "物业服务费", "m2_month", "1.00"),
                                standards.Item("parking", "地下车位管理费", "month", "60")])
    if not FeeStandard.objects.filter(place=compound, effective_from=datetime.date(2026, 1, 1)).exists():
        decision = Decision.objects.filter(place=compound, title=DECISION_TITLE, state="closed",
                                           passed=True).first()
        standards.create(keeper, compound, effective_from=datetime.date(2026, 1, 1), decision=decision,
                         basis="物业服务合同（2026—2028年），业主大会续聘决定：服务标准和收费标准经业主共同决定。",
                         items=[standards.Item("service", "物业服务费（多层）", "m2_month", "1.20"),
                                standards.Item("parking", "地下车位管理费", "month", "80"),
                                standards.Item("parking", "地面车位管理费", "month", "50")])


def _payments(keeper, compound: Place, year: int) -> None:
    year_bills = Bill.objects.filter(compound=compound, year=year).order_by("pk")
    if Payment.objects.filter(bill__in=year_bills).exists():
        return
    rng = random.Random(85)
    for bill in year_bills:
        if rng.random() < 0.85:
            bills.pay(keeper, bill, paid_on=datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(120)),
                      method=rng.choice(("微信", "支付宝", "现金", "银行转账")))
        elif rng.random() < 0.3:  # a few paid in part
            bills.pay(keeper, bill, amount_yuan=str(bill.due_fen // 200), paid_on=datetime.date(year, 3, 1),
                      method="现金")


def _income(keeper, compound: Place, today: datetime.date) -> None:
    quarter = (today.month - 1) // 3  # the last quarter completed
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    report = income.open_report(keeper, compound, year, quarter)
    if report.published_at is not None:
        return
    if not report.lines.exists():
        for kind, description, gross, cost in INCOME:
            income.add_line(keeper, report, kind=kind, description=description, gross_yuan=gross, cost_yuan=cost)
    income.publish(keeper, report)

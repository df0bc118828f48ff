"""A demo co-funded project at 沙市花园 (东苑社区, seed 001's 三个分担): a lift for 1栋, its
budget from policy funds, the owners' committee's income and the owners of 1栋 by floor area;
collecting, with about half the households' payments recorded and one progress report; its
notice is on the compound's board. (2栋's lift is still being voted on in the voting demo.)

Through the services, on the registers' tree; idempotent: nothing is added when the project
exists at the compound."""

import datetime
import random
from decimal import Decimal

from tongxin.cofunding import services
from tongxin.cofunding.models import OwnerShare, Project
from tongxin.cofunding.services import SourceInput
from tongxin.core.demo import staff_of
from tongxin.core.models import Place

COMMUNITY, COMPOUND, BUILDING = "jz-dongyuan", "jz-dongyuan-ssh", "jz-dongyuan-ssh-b01"
TITLE = "1栋加装电梯"


def load(stdout) -> None:
    places = {p.code: p for p in Place.objects.filter(code__in=(COMMUNITY, COMPOUND, BUILDING))}
    user = staff_of(places[COMMUNITY]) if COMMUNITY in places else None
    if COMPOUND not in places or BUILDING not in places or user is None:
        stdout.write("  cofunding: the demo compound 沙市花园, its 1栋 or its staff is missing; nothing loaded\n")
        return
    compound = places[COMPOUND]
    project = Project.objects.filter(place=compound, title=TITLE).first()
    if project is None:
        project = services.create(
            user, compound, title=TITLE, budget_fen=services.yuan_to_fen("586000", "预算"), owners_rule="per_area",
            buildings=[places[BUILDING].pk],
            description="1栋各单元加装电梯一部。经业主表决同意，费用“三个分担”：政策资金补助20万元，"
                        "业委会公共收益出资5万元，其余由1栋业主按专有部分面积分摊。",
            sources=[SourceInput("policy", "老旧小区改造加装电梯补助", fixed_fen=20000000),
                     SourceInput("committee", "业委会公共收益", fixed_fen=5000000),
                     SourceInput("owners", "1栋受益业主", percent=Decimal(100))],
        )
        project = services.open_collection(user, project)
        rng = random.Random(85)
        for n, share in enumerate(OwnerShare.objects.filter(project=project).order_by("id"), 1):
            roll = rng.random()
            if roll < 0.45:
                services.record_payment(user, share, amount_fen=share.amount_fen, receipt_no=f"SSH-DT-{n:04d}")
            elif roll < 0.55:
                services.record_payment(user, share, amount_fen=share.amount_fen // 2, receipt_no=f"SSH-DT-{n:04d}")
        services.add_progress(user, project, date=datetime.date.today() - datetime.timedelta(days=3),
                              text="加装方案已在1栋公示7天，无异议；规划审批材料已报送。")
    totals = OwnerShare.objects.filter(project=project)
    paid = sum(totals.values_list("paid_fen", flat=True))
    stdout.write(f"  cofunding: {TITLE} at {compound.name}, {totals.count()} households, "
                 f"¥{paid / 100:.2f} collected\n")

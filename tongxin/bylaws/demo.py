"""Demo rules at 沙市花园 (东苑社区): its 议事规则 and 居民公约, two published versions each. The
second 议事规则 cites the owners' decision voting's demo closed there, when it passed (else a
written basis); the second 居民公约 cites the residents' meeting in words.

Idempotent: each rule is found by (place, kind, title), and each version by its number, before
anything is made."""

import datetime

from tongxin.bylaws import services
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.core.demo import staff_of
from tongxin.core.models import Place
from tongxin.voting.models import Decision

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
VOTE_TITLE = "续聘物业服务企业（2026—2028年）"  # voting's demo

PROCEDURE_1 = """第一条 为规范沙市花园小区居民议事协商，根据有关法律法规，制定本规则。
第二条 小区议事会由社区居委会、业主委员会、物业服务企业和居民代表组成。
第三条 议事会每季度召开一次，遇有重大事项可临时召开。
第四条 议题由居民、楼栋长或业主委员会提出，经社区居委会审议后列入议程。
第五条 议事会须有三分之二以上成员到会方可举行，决定事项须经到会成员过半数同意。
第六条 议事结果在小区公告栏公开七日。"""

PROCEDURE_2 = """第一条 为规范沙市花园小区居民议事协商，根据有关法律法规，制定本规则。
第二条 小区议事会由社区居委会、业主委员会、业主监事会、物业服务企业和居民代表组成。
第三条 议事会每季度召开一次，遇有重大事项可临时召开。
第四条 议题由居民、楼栋长或业主委员会提出，也可通过楼栋二维码在线提出，经社区居委会审议后列入议程。
第五条 议事会须有三分之二以上成员到会方可举行，决定事项须经到会成员过半数同意。
第六条 议事结果在小区公告栏和同心平台公开十五日。
第七条 涉及民法典第二百七十八条所列事项的，提交业主共同决定。"""

CONVENTION_1 = """一、爱护公共设施，不私拉电线，不在楼道停放电动车。
二、垃圾分类投放，不乱扔杂物。
三、饲养宠物须拴绳，及时清理粪便。
四、邻里和睦，互帮互助。"""

CONVENTION_2 = """一、爱护公共设施，不私拉电线，不在楼道停放或充电电动车。
二、垃圾分类投放，定时定点，不乱扔杂物。
三、饲养宠物须拴绳，及时清理粪便。
四、邻里和睦，互帮互助，关心独居老人。
五、装修施工每日8:00至12:00、14:00至18:00进行。"""


def _rule(user, compound, kind, title, versions) -> None:
    bylaw = (Bylaw.objects.filter(place=compound, kind=kind, title=title).first()
             or services.create_bylaw(user, compound, kind=kind, title=title))
    for number, (text, effective_on, cites) in enumerate(versions, start=1):
        if BylawVersion.objects.filter(bylaw=bylaw, number=number, published_at__isnull=False).exists():
            continue
        version = services.draft(user, bylaw, text=text, effective_on=effective_on, **cites)
        services.publish(user, version)


def load(stdout) -> None:
    community, compound = Place.objects.filter(code=COMMUNITY).first(), Place.objects.filter(code=COMPOUND).first()
    user = staff_of(community) if community else None
    if compound is None or user is None:
        stdout.write("  bylaws: the demo compound 沙市花园 or its staff is missing; nothing loaded\n")
        return
    vote = Decision.objects.filter(place=compound, title=VOTE_TITLE, state="closed", passed=True).first()
    second = {"decision": vote, "basis": "2026年业主共同决定表决通过"} if vote else {
        "basis": "2026年3月小区议事会讨论通过，业主委员会确认"}
    _rule(user, compound, "rules_of_procedure", "沙市花园议事规则", [
        (PROCEDURE_1, datetime.date(2024, 1, 1), {"basis": "2023年12月居民会议表决通过"}),
        (PROCEDURE_2, datetime.date(2026, 4, 1), second),
    ])
    _rule(user, compound, "residents_convention", "沙市花园居民公约", [
        (CONVENTION_1, datetime.date(2023, 7, 1), {"basis": "2023年6月居民会议表决通过"}),
        (CONVENTION_2, datetime.date(2026, 3, 15), {"basis": "2026年3月居民会议表决通过"}),
    ])
    stdout.write(f"  bylaws: {Bylaw.objects.filter(place=compound).count()} rules, "
                 f"{BylawVersion.objects.filter(bylaw__place=compound, published_at__isnull=False).count()} "
                 f"published versions\n")

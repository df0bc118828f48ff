"""Demo deliberation at 东苑社区 (the first demo community): a major matter taken through
四议两公开 up to its published resolution (seed 003's 加装电梯), and a building consultation
raised by a resident of 沙市花园, accepted and under discussion with two comments.

Through the services, as staff would record it; idempotent (found by title before made)."""

import datetime

from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Person, Place
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import Consultation, MajorMatter

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
MATTER = "沙市花园老旧楼栋加装电梯"
CONSULTATION = "2栋楼道堆物和电动车停放"


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    compound = Place.objects.filter(code=COMPOUND).first()
    staff = staff_of(community) if community else None
    if community is None or compound is None or staff is None:
        stdout.write("  deliberation: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    made = [_matter(community, staff), _consultation(compound, staff)]
    stdout.write(f"  deliberation: {sum(made)} records made\n")


def _matter(community: Place, staff) -> bool:
    if MajorMatter.objects.filter(place=community, title=MATTER).exists():
        return False
    today = timezone.localdate()
    day = today - datetime.timedelta(days=40)
    matter = services.propose(
        staff, community, title=MATTER, resolving_body=rules.RESIDENTS_REPRESENTATIVES, actor="东苑社区党委",
        held_on=day, note="居民多次反映老人上下楼难，党委提议对6栋以上无电梯楼栋分批加装电梯。",
        description="沙市花园1—6栋为七层无电梯住宅，住户中60岁以上老人占三成。拟申请老旧小区改造资金，"
                    "按“一楼一策”分批加装电梯，费用由补助资金和受益住户共同分担。",
    )

    def step(kind, offset, actor, present, entitled, votes_for, against=0, abstain=0, note=""):
        services.record_step(staff, matter, step=kind, actor=actor, held_on=day + datetime.timedelta(days=offset),
                             outcome=rules.PROCEED, note=note, present=present, entitled=entitled,
                             votes_for=votes_for, against=against, abstain=abstain)

    step(rules.DISCUSS, 7, "社区党委、居委会联席会议", 9, 9, 9, note="同意提交党员大会审议；补充分摊方案。")
    step(rules.REVIEW, 14, "东苑社区党员大会", 142, 167, 131, against=4, abstain=7, note="同意。")
    step(rules.RESOLVE, 21, "东苑社区居民代表会议", 46, 58, 41, against=3, abstain=2,
         note="同意沙市花园1—6栋分批加装电梯，首批2栋、5栋；费用按楼层系数由受益住户分摊，"
              "其余由老旧小区改造补助资金承担。")
    services.publish(staff, MajorMatter.objects.get(pk=matter.pk), held_on=day + datetime.timedelta(days=22))
    return True


def _consultation(compound: Place, staff) -> bool:
    building = Place.objects.filter(parent=compound, kind="building").order_by("path")[1:2].first()
    if building is None or Consultation.objects.filter(place=building, title=CONSULTATION).exists():
        return False
    raiser = (Person.objects.filter(home_path__gte=building.path, home_path__lt=building.path_end,
                                    user__isnull=False).order_by("pk").first())
    author = raiser.user if raiser else staff
    consultation = services.raise_matter(
        author if raiser else staff, building, title=CONSULTATION, form_key=f"demo-deliberation-{building.pk}",
        body="楼道里堆了不少纸箱杂物，还有电动车在楼道充电，存在消防隐患。希望全楼商量个办法：杂物统一清理，"
             "电动车集中到车棚充电。",
    )
    services.review(staff, consultation, accept=True, reason="涉及全楼住户，进入楼栋议事。")
    services.comment(staff, consultation, text="物业同意在车棚增设10个充电口，本月内完工。")
    if raiser:
        services.comment(author, consultation, text="赞成，周六上午可以组织大家一起清理。")
    return True

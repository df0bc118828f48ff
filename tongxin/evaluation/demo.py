"""Demo evaluations at 沙市花园 (东苑社区), seeds 001 and 003: two closed satisfaction
evaluations of the compound a quarter apart (residents' paper questionnaires entered by the
community staff, and a panel of the street's and the district's leaders), so the results page
has a series; and last quarter's 最美家庭 round with a named award panel, nominations from the
registers and the winners published on the compound's notice board.

Idempotent: each campaign is found by its title at its place, the award round by its unique
place, award, year and quarter, before anything is made. Answers go through the services'
``_save`` (as the paper form's entry would), so the figures are what the rules say."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Household, Place, RoleAssignment
from tongxin.core.tree import ancestor_paths
from tongxin.evaluation.models import AwardRound, Campaign, PanelMember, Side
from tongxin.evaluation.services import awards, campaigns

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
QUESTIONS = ["环境卫生", "安全秩序", "设施维护", "服务态度", "收费公开"]
#: (title, days before today it opened, the residents' mean leaning, the panel's)
CAMPAIGNS = (
    ("沙市花园物业服务满意度测评（上半年）", 200, 3.4, 3.2),
    ("沙市花园物业服务满意度测评（三季度）", 110, 3.9, 3.6),
)


def _login_with_role(role: str, paths: list[str]):
    found = (RoleAssignment.objects.filter(role=role, person__user__isnull=False, place__path__in=paths)
             .select_related("person__user").order_by("id").first())
    return found.person.user if found else None


def _rating(rng: random.Random, lean: float) -> int:
    return max(1, min(5, round(rng.gauss(lean, 0.9))))


def load(stdout) -> None:
    community, compound = Place.objects.filter(code=COMMUNITY).first(), Place.objects.filter(code=COMPOUND).first()
    staff = staff_of(community) if community else None
    if compound is None or staff is None:
        stdout.write("  evaluation: the demo compound 沙市花园 or its staff is missing; nothing loaded\n")
        return
    above = ancestor_paths(compound.path)
    panel = [(user, capacity) for user, capacity in (
        (_login_with_role("street_leader", above), "街道领导"),
        (_login_with_role("district_leader", above), "区领导"),
    ) if user is not None]
    rng = random.Random(3)
    homes = list(Household.objects.filter(place_path__gte=compound.path, place_path__lt=compound.path_end,
                                          closed_on__isnull=True).order_by("pk"))
    for title, days, resident_lean, panel_lean in CAMPAIGNS:
        _campaign(staff, compound, title, days, resident_lean, panel_lean, panel, homes, rng)
    _awards(staff, compound, panel, homes)
    stdout.write(f"  evaluation: {Campaign.objects.filter(place=compound).count()} campaigns, "
                 f"{AwardRound.objects.filter(place=compound).count()} award rounds\n")


def _campaign(staff, compound, title, days, resident_lean, panel_lean, panel, homes, rng) -> None:
    if Campaign.objects.filter(place=compound, title=title).exists():
        return
    today = timezone.localdate()
    opens = today - datetime.timedelta(days=days)
    closes = opens + datetime.timedelta(days=14)
    campaign = campaigns.create(
        staff, compound, title=title, subject_kind="compound", opens_on=opens, closes_on=closes,
        questions=QUESTIONS, resident_weight=60, panel=[(user.phone, capacity) for user, capacity in panel])
    questions = list(campaign.questions.all())
    answering = [home for home in homes if rng.random() < 0.35]
    for home in answering:  # paper questionnaires, entered by the community staff
        chosen = [(q, _rating(rng, resident_lean)) for q in questions]
        campaigns._save(campaign, staff, chosen, "", side=Side.RESIDENT, household=home)
    for member in PanelMember.objects.filter(campaign=campaign).select_related("user"):
        chosen = [(q, _rating(rng, panel_lean)) for q in questions]
        campaigns._save(campaign, member.user, chosen, "", side=Side.PANEL, panel_member=member)
    campaigns.close(staff, campaign)
    closed_at = timezone.make_aware(datetime.datetime.combine(closes, datetime.time(17, 0)))
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=closed_at)


def _awards(staff, compound, panel, homes) -> None:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # last quarter: 0 means the fourth of last year
    year = today.year if quarter else today.year - 1
    quarter = quarter or 4
    if AwardRound.objects.filter(place=compound, kind="family", year=year, quarter=quarter).exists():
        return
    award_round = awards.create_round(staff, compound, kind="family", year=year, quarter=quarter)
    members = [user for user, _capacity in panel] + [staff]
    awards.set_panel(staff, award_round, [user.phone for user in members])
    reasons = ("孝老爱亲，照顾瘫痪老人十余年", "邻里和睦，常年义务打扫楼道", "家风良好，子女热心志愿服务")
    nominations = [awards.nominate(staff, award_round, nominee=f"household:{home.pk}", reason=reason,
                                   consent=index == 0)
                   for index, (home, reason) in enumerate(zip(homes[5::40], reasons, strict=False))]
    building = Place.objects.filter(parent=compound, kind="building").order_by("path").first()
    if building is not None:
        nominations.append(awards.nominate(staff, award_round, nominee=f"building:{building.pk}",
                                           reason="楼道整洁，邻里守望"))
    for index, nomination in enumerate(nominations):
        approve = index != 2  # the third is declined: more than half the panel decline it
        for member in members:
            nomination = awards.panel_review(member, nomination, approve=approve, note="")
            if nomination.status != "pending":
                break
    awards.publish(staff, award_round)

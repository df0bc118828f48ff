"""Demo owners' decisions at 沙市花园 (东苑社区): the property register seeded from the residents'
register (three units of the last building still the developer's), one closed decision (renewing
the property company, item 4) with its result on the notice board, and one open renovation
decision (a lift for 2栋, item 7, the "two 2/3").

Idempotent: the register is seeded once per household, and each decision is found by its title
at its place before it is made. Ballots are written through the services (``_record``), so the
demo's figures are what the rules say."""

import datetime
import random

from django.utils import timezone

from tongxin.core.demo import staff_of
from tongxin.core.models import Organisation, Place
from tongxin.voting.models import Decision, DecisionState, ExclusiveUnit, Origin, UnitStatus
from tongxin.voting.services import ballots, decisions, register

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
CLOSED_TITLE = "续聘物业服务企业（2026—2028年）"
OPEN_TITLE = "2栋加装电梯"


def load(stdout) -> None:
    community, compound = Place.objects.filter(code=COMMUNITY).first(), Place.objects.filter(code=COMPOUND).first()
    user = staff_of(community) if community else None
    if compound is None or user is None:
        stdout.write("  voting: the demo compound 沙市花园 or its staff is missing; nothing loaded\n")
        return
    made = register.seed_from_households(compound)
    developer, _ = Organisation.objects.get_or_create(code="jz-dongyuan-ssh-developer", defaults={
        "name": "荆州沙市花园置业有限公司", "kind": "work_unit", "subtype": "开发商", "place": compound,
        "started_on": datetime.date(2009, 5, 1)})
    last = Place.objects.filter(parent=compound, kind="building").order_by("-path").first()
    if made and last is not None:
        unsold = ExclusiveUnit.objects.filter(place_path__startswith=last.path).order_by("id")[:3]
        ExclusiveUnit.objects.filter(pk__in=[u.pk for u in unsold]).update(status=UnitStatus.UNSOLD,
                                                                            developer=developer)
    rng = random.Random(80)
    _closed(user, compound, rng)
    building = Place.objects.filter(parent=compound, kind="building").order_by("path")[1:2].first()
    if building is not None:
        _open(user, building, rng)
    stdout.write(f"  voting: {ExclusiveUnit.objects.filter(place_path__startswith=compound.path).count()} units, "
                 f"{Decision.objects.filter(place_path__startswith=compound.path).count()} decisions\n")


def _vote(voter, answers: dict, paper_by=None) -> None:
    if paper_by is not None:
        ballots.enter_paper(paper_by, voter, **answers)
    else:
        ballots._record(voter, answers, origin=Origin.WEB)


def _closed(user, compound: Place, rng: random.Random) -> None:
    if Decision.objects.filter(place=compound, title=CLOSED_TITLE).exists():
        return
    decision = decisions.create_decision(
        user, compound, title=CLOSED_TITLE, item=4,
        description="业主委员会提议续聘现物业服务企业，服务标准和收费标准不变，合同期两年。",
        closes_at=timezone.now() + datetime.timedelta(days=1))
    decision = decisions.open_decision(user, decision)
    for voter in decision.voters.all():
        roll = rng.random()
        if roll < 0.18:
            continue  # did not vote
        choice = "agree" if roll < 0.78 else "disagree" if roll < 0.92 else "abstain"
        _vote(voter, {"choice": choice}, paper_by=user if rng.random() < 0.25 else None)
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now())
    decisions.close_decision(decision)


def _open(user, building: Place, rng: random.Random) -> None:
    if Decision.objects.filter(place=building, title=OPEN_TITLE, state__in=(
            DecisionState.OPEN, DecisionState.CLOSED)).exists():
        return
    decision = decisions.create_decision(
        user, building, title=OPEN_TITLE, item=7, kind="two_step", allow_change=True,
        description="先表决是否加装电梯，再表决加装方案（每单元一部，费用按楼层分摊）。",
        closes_at=timezone.now() + datetime.timedelta(days=10))
    decision = decisions.open_decision(user, decision)
    for voter in list(decision.voters.all())[::2]:
        _vote(voter, {"choice": "agree", "how": "agree" if rng.random() < 0.8 else "disagree"})

"""Pure rules of deliberation (no database): the quorum and majority of each meeting under the
Organic Laws, the states of a major matter (四议两公开) and of a consultation (提议—审议—合议—决议).

Law texts and the choices where a law is silent: ``docs/deliberation.md``. Every comparison is
done in integers (``present * 3 >= entitled * 2``), never in floats, so the boundaries are exact:
以上 includes the figure, 过半数 (more than half) does not.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- meeting bodies ---------------------------------------------------------------------------
TWO_COMMITTEES = "two_committees"              # 两委会议 (party committee + residents'/villagers' committee)
PARTY_MEMBERS = "party_members"                # 党员大会
RESIDENTS_MEETING = "residents_meeting"        # 居民会议 (城市居民委员会组织法 art. 10)
RESIDENTS_REPRESENTATIVES = "residents_representatives"  # 居民代表会议 (the law is silent)
VILLAGERS_MEETING = "villagers_meeting"        # 村民会议 (村民委员会组织法 art. 22)
VILLAGERS_REPRESENTATIVES = "villagers_representatives"  # 村民代表会议 (村民委员会组织法 art. 26)

RESOLVING_BODIES = {
    "community": (RESIDENTS_MEETING, RESIDENTS_REPRESENTATIVES),
    "village": (VILLAGERS_MEETING, VILLAGERS_REPRESENTATIVES),
}

# How attendance of a meeting is counted.
BY_PEOPLE = "people"            # 18+ residents / villagers, or representatives, or members
BY_HOUSEHOLDS = "households"    # one representative per household (户的代表)

# Quorum of a residents' representatives' meeting (the law is silent; configurable per place).
HALF = "half"                   # more than half present (art. 10's rule for a 居民会议 of group representatives)
TWO_THIRDS = "two_thirds"       # two thirds or more present (art. 26's rule for villagers' representatives)


@dataclass(frozen=True)
class Verdict:
    """A meeting's arithmetic: is it quorate, does the motion pass, and why, in words."""

    quorate: bool
    passed: bool
    quorum_rule: str       # e.g. "到会 31 人 > 应到 60 人的一半"
    majority_rule: str

    @property
    def ok(self) -> bool:
        return self.quorate and self.passed


def _more_than_half(part: int, whole: int) -> bool:
    return part * 2 > whole


def _two_thirds_or_more(part: int, whole: int) -> bool:
    return part * 3 >= whole * 2


def check_figures(present: int, entitled: int, votes_for: int, against: int, abstain: int) -> None:
    """Figures that cannot be true raise ValueError (the service turns it into a refusal)."""
    if min(present, entitled, votes_for, against, abstain) < 0:
        raise ValueError("negative figure")
    if entitled == 0:
        raise ValueError("nobody entitled")
    if present > entitled:
        raise ValueError("more present than entitled")
    if votes_for + against + abstain > present:
        raise ValueError("more votes than people present")


def quorum(body: str, present: int, entitled: int, *, basis: str = BY_PEOPLE,
           representatives_quorum: str = HALF) -> tuple[bool, str]:
    """Is the meeting quorate? Returns (yes/no, the rule applied in words)."""
    if body == VILLAGERS_MEETING and basis == BY_HOUSEHOLDS:
        # 村民委员会组织法 art. 22: 本村三分之二以上的户的代表参加.
        return _two_thirds_or_more(present, entitled), f"户代表到会 {present}/{entitled}，须达三分之二以上"
    strict = body == RESIDENTS_REPRESENTATIVES and representatives_quorum == TWO_THIRDS
    if body == VILLAGERS_REPRESENTATIVES or strict:
        # 村民委员会组织法 art. 26: 有三分之二以上的组成人员参加方可召开.
        return _two_thirds_or_more(present, entitled), f"到会 {present}/{entitled}，须达三分之二以上"
    if body == PARTY_MEMBERS:
        # 中国共产党支部工作条例（试行） art. 11: 半数以上有表决权的党员到会 (以上: half itself counts).
        return present * 2 >= entitled, f"到会 {present}/{entitled}，须达半数以上"
    # 居民会议 (art. 10), 村民会议 by people (art. 22), 居民代表会议 by default and 两委会议:
    # more than half of those entitled.
    return _more_than_half(present, entitled), f"到会 {present}/{entitled}，须超过半数"


def majority(body: str, votes_for: int, present: int, entitled: int) -> tuple[bool, str]:
    """Does the motion pass? Abstentions count as present and not in favour."""
    if body == PARTY_MEMBERS:
        # 支部工作条例 art. 11: 赞成人数超过应到会有表决权的党员的半数.
        return _more_than_half(votes_for, entitled), f"赞成 {votes_for}，须超过应到 {entitled} 人的半数"
    # 居委会组织法 art. 10 (出席人的过半数), 村委会组织法 arts. 22 and 26 (到会人员的过半数).
    return _more_than_half(votes_for, present), f"赞成 {votes_for}，须超过到会 {present} 人的半数"


def verdict(body: str, *, present: int, entitled: int, votes_for: int, against: int = 0, abstain: int = 0,
            basis: str = BY_PEOPLE, representatives_quorum: str = HALF) -> Verdict:
    check_figures(present, entitled, votes_for, against, abstain)
    quorate, quorum_text = quorum(body, present, entitled, basis=basis, representatives_quorum=representatives_quorum)
    passed, majority_text = majority(body, votes_for, present, entitled)
    return Verdict(quorate=quorate, passed=quorate and passed, quorum_rule=quorum_text, majority_rule=majority_text)


def resolving_bodies(place_kind: str) -> tuple[str, ...]:
    """Which meetings may resolve a major matter of this kind of place."""
    return RESOLVING_BODIES.get(place_kind, ())


# --- 四议两公开: a major matter's states ---------------------------------------------------------
PROPOSED = "proposed"              # 党组织提议 recorded, waits for 两委会议商议
DISCUSSED = "discussed"            # 两委 agreed, waits for 党员大会审议
REVIEWED = "reviewed"              # 党员大会 agreed, waits for 居民(代表)会议决议
RESOLVED = "resolved"              # resolution adopted, waits to be published (公开 1)
PUBLISHED = "published"            # resolution published, implementation under way
COMPLETED = "completed"            # implementation result published (公开 2)
RETURNED = "returned"              # sent back to the party organisation to propose again
STOPPED = "stopped"                # stopped by a step
REJECTED = "rejected"              # the resolving meeting voted it down

MATTER_STATES = (PROPOSED, DISCUSSED, REVIEWED, RESOLVED, PUBLISHED, COMPLETED, RETURNED, STOPPED, REJECTED)
MATTER_CLOSED = frozenset({COMPLETED, STOPPED, REJECTED})

# Steps.
PROPOSE, DISCUSS, REVIEW, RESOLVE = "propose", "discuss", "review", "resolve"
PUBLISH_RESOLUTION, PUBLISH_RESULT = "publish_resolution", "publish_result"
MATTER_STEPS = (PROPOSE, DISCUSS, REVIEW, RESOLVE, PUBLISH_RESOLUTION, PUBLISH_RESULT)

# Outcomes of a meeting step.
PROCEED, RETURN, STOP, NOT_QUORATE = "proceed", "return", "stop", "not_quorate"

#: The step each state waits for.
_STEP_FOR = {PROPOSED: DISCUSS, DISCUSSED: REVIEW, REVIEWED: RESOLVE, RESOLVED: PUBLISH_RESOLUTION,
             PUBLISHED: PUBLISH_RESULT, RETURNED: PROPOSE}
#: Where a step's "proceed" leads.
_AFTER = {PROPOSE: PROPOSED, DISCUSS: DISCUSSED, REVIEW: REVIEWED, RESOLVE: RESOLVED,
          PUBLISH_RESOLUTION: PUBLISHED, PUBLISH_RESULT: COMPLETED}
#: Steps that are meetings with a vote.
MEETING_STEPS = frozenset({DISCUSS, REVIEW, RESOLVE})
#: The meeting body of each meeting step (the resolving one is chosen per matter).
STEP_BODY = {DISCUSS: TWO_COMMITTEES, REVIEW: PARTY_MEMBERS}


def next_step(state: str) -> str | None:
    return _STEP_FOR.get(state)


def matter_outcomes(step: str, verdict_: Verdict | None) -> tuple[str, ...]:
    """Outcomes staff may record for a step, given the meeting's arithmetic.

    A meeting that is not quorate decided nothing: the matter stays where it is (meet again).
    A passing vote lets the matter proceed; any vote may send it back or stop it. The
    resolving meeting's failing vote rejects the matter (there is nobody left to send it to
    but the proposer, so "return" is offered too)."""
    if step not in MEETING_STEPS:
        return (PROCEED,)
    if verdict_ is None:
        raise ValueError("a meeting step needs its figures")
    if not verdict_.quorate:
        return (NOT_QUORATE,)
    if verdict_.passed:
        return (PROCEED, RETURN, STOP)
    return (RETURN, STOP)


def matter_transition(state: str, step: str, outcome: str) -> str:
    """The state after ``step`` with ``outcome`` in ``state``; ValueError if not allowed."""
    if next_step(state) != step:
        raise ValueError(f"step {step!r} is not due in state {state!r}")
    if outcome == PROCEED:
        return _AFTER[step]
    if step not in MEETING_STEPS:
        raise ValueError(f"step {step!r} can only proceed")
    if outcome == NOT_QUORATE:
        return state
    if outcome == RETURN:
        return RETURNED
    if outcome == STOP:
        return REJECTED if step == RESOLVE else STOPPED
    raise ValueError(f"unknown outcome {outcome!r}")


# --- the four-step consultation (提议—审议—合议—决议) -----------------------------------------
RAISED = "raised"              # 提议: waits for review
DISCUSSING = "discussing"      # 审议 accepted it: 合议 (comments, a meeting) under way
DECLINED = "declined"          # 审议 declined it, with a reason
DECIDED = "decided"            # 决议 recorded

VOTING = "voting"              # 决议 by the owners: a vote under Civil Code art. 278 (tongxin.voting)
CONSULTATION_STATES = (RAISED, DISCUSSING, VOTING, DECLINED, DECIDED)
CONSULTATION_CLOSED = frozenset({DECLINED, DECIDED})

ACCEPT, DECLINE, COMMENT, MEETING, DECIDE = "accept", "decline", "comment", "meeting", "decide"
TO_VOTE = "to_vote"  # the matter is the owners' to decide: it goes to their vote, whose result is the 决议
VOTED = "voted"  # the vote closed: its result is the 决议 (services.record_vote_result; nobody takes this by hand)

_CONSULTATION = {
    (RAISED, ACCEPT): DISCUSSING,
    (RAISED, DECLINE): DECLINED,
    (RAISED, COMMENT): RAISED,
    (DISCUSSING, COMMENT): DISCUSSING,
    (DISCUSSING, MEETING): DISCUSSING,
    (DISCUSSING, DECIDE): DECIDED,
    (DISCUSSING, TO_VOTE): VOTING,
    (VOTING, COMMENT): VOTING,
    (VOTING, VOTED): DECIDED,
}


def consultation_transition(state: str, action: str) -> str:
    """The state after ``action``; ValueError when the action is not allowed in ``state``."""
    try:
        return _CONSULTATION[(state, action)]
    except KeyError:
        raise ValueError(f"{action!r} is not allowed in state {state!r}") from None


def consultation_actions(state: str) -> tuple[str, ...]:
    return tuple(action for (s, action) in _CONSULTATION if s == state)


#: Places a consultation may be held at, and its level (楼栋、片区、社区三级议事).
CONSULTATION_LEVELS = {"building": "building", "area": "area", "grid": "area", "community": "community",
                       "village": "community", "compound": "area", "villager_group": "area"}


def consultation_level(place_kind: str) -> str | None:
    return CONSULTATION_LEVELS.get(place_kind)

"""The pure rules, table-driven, boundaries included: 以上 includes the figure, 过半数 does not."""

import pytest

from tongxin.deliberation import rules as r


@pytest.mark.parametrize(("body", "basis", "present", "entitled", "quorate"), [
    # 村民会议 by people (art. 22): more than half of the villagers aged 18+.
    (r.VILLAGERS_MEETING, r.BY_PEOPLE, 51, 100, True),
    (r.VILLAGERS_MEETING, r.BY_PEOPLE, 50, 100, False),        # exactly half is not "more than half"
    (r.VILLAGERS_MEETING, r.BY_PEOPLE, 50, 99, True),
    # ... or two thirds or more of the households (art. 22).
    (r.VILLAGERS_MEETING, r.BY_HOUSEHOLDS, 200, 300, True),     # exactly 2/3
    (r.VILLAGERS_MEETING, r.BY_HOUSEHOLDS, 199, 300, False),
    (r.VILLAGERS_MEETING, r.BY_HOUSEHOLDS, 67, 100, True),
    (r.VILLAGERS_MEETING, r.BY_HOUSEHOLDS, 66, 100, False),     # 66% < 2/3
    # 村民代表会议 (art. 26): two thirds or more of its members.
    (r.VILLAGERS_REPRESENTATIVES, r.BY_PEOPLE, 20, 30, True),   # exactly 2/3
    (r.VILLAGERS_REPRESENTATIVES, r.BY_PEOPLE, 19, 30, False),
    (r.VILLAGERS_REPRESENTATIVES, r.BY_PEOPLE, 30, 30, True),
    # 居民会议 (居委会组织法 art. 10): more than half, whoever attends (18+, households or group reps).
    (r.RESIDENTS_MEETING, r.BY_PEOPLE, 31, 60, True),
    (r.RESIDENTS_MEETING, r.BY_PEOPLE, 30, 60, False),
    (r.RESIDENTS_MEETING, r.BY_HOUSEHOLDS, 30, 60, False),     # households do not lower art. 10's bar
    # 居民代表会议: the law is silent; by default art. 10's more-than-half.
    (r.RESIDENTS_REPRESENTATIVES, r.BY_PEOPLE, 26, 50, True),
    (r.RESIDENTS_REPRESENTATIVES, r.BY_PEOPLE, 25, 50, False),
    # 党员大会 (支部工作条例 art. 11): half or more (半数以上).
    (r.PARTY_MEMBERS, r.BY_PEOPLE, 20, 40, True),
    (r.PARTY_MEMBERS, r.BY_PEOPLE, 19, 40, False),
    # 两委会议: more than half.
    (r.TWO_COMMITTEES, r.BY_PEOPLE, 5, 9, True),
    (r.TWO_COMMITTEES, r.BY_PEOPLE, 4, 9, False),
])
def test_quorum(body, basis, present, entitled, quorate):
    assert r.quorum(body, present, entitled, basis=basis)[0] is quorate


@pytest.mark.parametrize(("setting", "present", "entitled", "quorate"), [
    (r.HALF, 26, 50, True),
    (r.TWO_THIRDS, 26, 50, False),
    (r.TWO_THIRDS, 34, 51, True),   # exactly 2/3
    (r.TWO_THIRDS, 33, 51, False),
])
def test_residents_representatives_quorum_is_configurable(setting, present, entitled, quorate):
    assert r.quorum(r.RESIDENTS_REPRESENTATIVES, present, entitled, representatives_quorum=setting)[0] is quorate


@pytest.mark.parametrize(("body", "present", "entitled", "votes_for", "against", "abstain", "quorate", "passed"), [
    # Decisions by more than half of those present (arts. 10, 22, 26).
    (r.VILLAGERS_MEETING, 60, 100, 31, 29, 0, True, True),
    (r.VILLAGERS_MEETING, 60, 100, 30, 30, 0, True, False),   # exactly half of those present
    (r.VILLAGERS_MEETING, 60, 100, 30, 10, 20, True, False),  # abstentions count as present, not for
    (r.VILLAGERS_REPRESENTATIVES, 20, 30, 11, 9, 0, True, True),
    (r.VILLAGERS_REPRESENTATIVES, 20, 30, 10, 5, 5, True, False),
    (r.VILLAGERS_REPRESENTATIVES, 19, 30, 19, 0, 0, False, False),  # unanimous but not quorate
    (r.RESIDENTS_MEETING, 40, 60, 21, 19, 0, True, True),
    (r.RESIDENTS_MEETING, 40, 60, 20, 0, 20, True, False),
    (r.RESIDENTS_REPRESENTATIVES, 30, 50, 16, 14, 0, True, True),
    # 党员大会: more than half of those entitled, not of those present.
    (r.PARTY_MEMBERS, 30, 40, 21, 9, 0, True, True),
    (r.PARTY_MEMBERS, 30, 40, 20, 10, 0, True, False),   # 20 of 30 present, but only half of 40
    (r.PARTY_MEMBERS, 20, 40, 20, 0, 0, True, False),
    (r.TWO_COMMITTEES, 9, 9, 5, 4, 0, True, True),
    (r.TWO_COMMITTEES, 8, 9, 4, 4, 0, True, False),
])
def test_verdict(body, present, entitled, votes_for, against, abstain, quorate, passed):
    found = r.verdict(body, present=present, entitled=entitled, votes_for=votes_for, against=against, abstain=abstain)
    assert (found.quorate, found.passed) == (quorate, passed)
    assert str(present) in found.quorum_rule and str(votes_for) in found.majority_rule


@pytest.mark.parametrize(("present", "entitled", "votes"), [
    (11, 10, (5, 0, 0)),     # more present than entitled
    (5, 10, (4, 2, 0)),      # more votes than present
    (5, 0, (0, 0, 0)),       # nobody entitled
    (-1, 10, (0, 0, 0)),
])
def test_impossible_figures_are_refused(present, entitled, votes):
    with pytest.raises(ValueError):
        r.verdict(r.RESIDENTS_MEETING, present=present, entitled=entitled, votes_for=votes[0], against=votes[1],
                  abstain=votes[2])


PASS = r.Verdict(True, True, "", "")
FAIL = r.Verdict(True, False, "", "")
THIN = r.Verdict(False, False, "", "")


@pytest.mark.parametrize(("state", "step", "outcome", "after"), [
    (r.PROPOSED, r.DISCUSS, r.PROCEED, r.DISCUSSED),
    (r.PROPOSED, r.DISCUSS, r.RETURN, r.RETURNED),
    (r.PROPOSED, r.DISCUSS, r.STOP, r.STOPPED),
    (r.PROPOSED, r.DISCUSS, r.NOT_QUORATE, r.PROPOSED),
    (r.DISCUSSED, r.REVIEW, r.PROCEED, r.REVIEWED),
    (r.DISCUSSED, r.REVIEW, r.RETURN, r.RETURNED),
    (r.REVIEWED, r.RESOLVE, r.PROCEED, r.RESOLVED),
    (r.REVIEWED, r.RESOLVE, r.STOP, r.REJECTED),
    (r.REVIEWED, r.RESOLVE, r.RETURN, r.RETURNED),
    (r.RESOLVED, r.PUBLISH_RESOLUTION, r.PROCEED, r.PUBLISHED),
    (r.PUBLISHED, r.PUBLISH_RESULT, r.PROCEED, r.COMPLETED),
    (r.RETURNED, r.PROPOSE, r.PROCEED, r.PROPOSED),
])
def test_matter_transitions(state, step, outcome, after):
    assert r.matter_transition(state, step, outcome) == after


@pytest.mark.parametrize(("state", "step", "outcome"), [
    (r.PROPOSED, r.REVIEW, r.PROCEED),          # steps in order: no party members' meeting before the two committees
    (r.PROPOSED, r.RESOLVE, r.PROCEED),
    (r.DISCUSSED, r.RESOLVE, r.PROCEED),
    (r.REVIEWED, r.PUBLISH_RESOLUTION, r.PROCEED),
    (r.RESOLVED, r.PUBLISH_RESULT, r.PROCEED),  # the result only after the resolution is public
    (r.RESOLVED, r.PUBLISH_RESOLUTION, r.STOP),
    (r.COMPLETED, r.PUBLISH_RESULT, r.PROCEED),
    (r.STOPPED, r.DISCUSS, r.PROCEED),
    (r.REJECTED, r.PROPOSE, r.PROCEED),
    (r.PROPOSED, r.DISCUSS, "maybe"),
])
def test_matter_refusals(state, step, outcome):
    with pytest.raises(ValueError):
        r.matter_transition(state, step, outcome)


@pytest.mark.parametrize(("step", "verdict", "allowed"), [
    (r.DISCUSS, PASS, (r.PROCEED, r.RETURN, r.STOP)),
    (r.DISCUSS, FAIL, (r.RETURN, r.STOP)),         # a failing vote cannot go on
    (r.RESOLVE, THIN, (r.NOT_QUORATE,)),           # not quorate: it decided nothing
    (r.PUBLISH_RESOLUTION, None, (r.PROCEED,)),
])
def test_outcomes_follow_the_vote(step, verdict, allowed):
    assert r.matter_outcomes(step, verdict) == allowed


@pytest.mark.parametrize(("kind", "bodies"), [
    ("community", (r.RESIDENTS_MEETING, r.RESIDENTS_REPRESENTATIVES)),
    ("village", (r.VILLAGERS_MEETING, r.VILLAGERS_REPRESENTATIVES)),
    ("building", ()),
])
def test_resolving_bodies(kind, bodies):
    assert r.resolving_bodies(kind) == bodies


@pytest.mark.parametrize(("state", "action", "after"), [
    (r.RAISED, r.ACCEPT, r.DISCUSSING),
    (r.RAISED, r.DECLINE, r.DECLINED),
    (r.RAISED, r.COMMENT, r.RAISED),
    (r.DISCUSSING, r.COMMENT, r.DISCUSSING),
    (r.DISCUSSING, r.MEETING, r.DISCUSSING),
    (r.DISCUSSING, r.DECIDE, r.DECIDED),
    (r.RAISED, r.DECIDE, None),          # no decision without discussion
    (r.RAISED, r.MEETING, None),
    (r.DISCUSSING, r.ACCEPT, None),
    (r.DECLINED, r.COMMENT, None),
    (r.DECIDED, r.COMMENT, None),
    (r.DECIDED, r.DECIDE, None),
    (r.DISCUSSING, r.TO_VOTE, r.VOTING),  # the owners' to decide
    (r.RAISED, r.TO_VOTE, None),
    (r.VOTING, r.COMMENT, r.VOTING),
    (r.VOTING, r.DECIDE, None),           # the vote decides, not staff
    (r.VOTING, r.MEETING, None),
    (r.VOTING, r.VOTED, r.DECIDED),
    (r.DISCUSSING, r.VOTED, None),
    (r.VOTING, r.TO_VOTE, None),
])
def test_consultation_transitions(state, action, after):
    if after is None:
        with pytest.raises(ValueError):
            r.consultation_transition(state, action)
    else:
        assert r.consultation_transition(state, action) == after


@pytest.mark.parametrize(("kind", "level"), [
    ("building", "building"), ("area", "area"), ("grid", "area"), ("community", "community"),
    ("village", "community"), ("entrance", None), ("street", None),
])
def test_consultation_levels(kind, level):
    assert r.consultation_level(kind) == level

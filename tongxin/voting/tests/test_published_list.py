"""Property: for any electorate and any ballots, what is published (one line per ballot: receipt
and answers; the area and households per group of identical answers) re-tallies to exactly the
published result, and no line carries an area or anything of the owner."""

import secrets
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tongxin.voting import rules

AREAS = st.decimals(min_value=Decimal("10.00"), max_value=Decimal("500.00"), places=2)
STATUSES = st.sampled_from([rules.DELIVERED] * 4 + [rules.UNSOLD, rules.SOLD_UNDELIVERED])


@st.composite
def electorates(draw):
    """Units with random areas and statuses; owners drawn from a small pool so some hold several."""
    size = draw(st.integers(min_value=1, max_value=40))
    pool = draw(st.integers(min_value=1, max_value=size))
    units = [rules.Unit(unit_id=n, status=draw(STATUSES), owner_key=f"person:{draw(st.integers(0, pool - 1))}",
                        register_area=draw(st.none() | AREAS), survey_area=draw(st.none() | AREAS),
                        contract_area=draw(AREAS)) for n in range(size)]
    return rules.count_owners(units)


@st.composite
def votes(draw, kind):
    owners = draw(electorates())
    answers = st.sampled_from(rules.CHOICES)
    voted = [owner for owner in owners if draw(st.booleans())]
    if kind == "election":
        candidates = list(range(1, draw(st.integers(1, 6)) + 1))
        seats = draw(st.integers(1, len(candidates)))
        ballots = [rules.CastBallot(area=o.area, households=len(o.unit_ids),
                                    picks=tuple(sorted(draw(st.sets(st.sampled_from(candidates), max_size=seats)))))
                   for o in voted]
        return owners, ballots, candidates, seats
    ballots = [rules.CastBallot(area=o.area, households=len(o.unit_ids), choice=draw(answers),
                                how=draw(answers) if kind == "two_step" else "") for o in voted]
    return owners, ballots, [], 0


def _published(ballots):
    """What the result pages publish: lines in receipt order, and the group totals."""
    lines = sorted(({"receipt": secrets.token_hex(5), "choice": b.choice, "how": b.how, "picks": list(b.picks)}
                    for b in ballots), key=lambda line: line["receipt"])
    area, homes = rules.published_totals(ballots)
    return lines, area, homes


def _check(kind, item, owners, ballots, candidates, seats, count_by=rules.BY_HOUSEHOLD):
    total_area = sum((o.area for o in owners), Decimal(0))
    common = {"total_area": total_area, "total_heads": len(owners)}
    if kind == "election":
        published = rules.elect(item, ballots=ballots, candidates=candidates, seats=seats, **common)
    else:
        published = rules.decide(item, ballots=ballots, two_thirds=kind == "two_step", count_by=count_by,
                                 total_households=sum(len(o.unit_ids) for o in owners), **common)
    lines, area, homes = _published(ballots)
    assert all(set(line) == {"receipt", "choice", "how", "picks"} for line in lines)  # no area, no owner
    again = rules.retally_from_published(
        lines, {k: str(v) for k, v in area.items()}, homes, item=item, two_thirds=kind == "two_step",
        count_by=count_by, total_households=sum(len(o.unit_ids) for o in owners), election=kind == "election",
        candidates=candidates, seats=seats, **common)
    assert again.as_dict() == published.as_dict()
    assert len(lines) == len(ballots)


@settings(max_examples=150, deadline=None)
@given(votes("matter"), st.sampled_from([1, 4, 5, 6, 7, 8, 9]))
def test_a_matter_retallies_exactly(drawn, item):
    _check("matter", item, *drawn)


@settings(max_examples=100, deadline=None)
@given(votes("two_step"), st.sampled_from([rules.BY_HOUSEHOLD, rules.BY_OWNER]))
def test_a_two_step_renovation_retallies_exactly(drawn, count_by):
    _check("two_step", 7, *drawn, count_by=count_by)


@settings(max_examples=100, deadline=None)
@given(votes("election"))
def test_an_election_retallies_exactly(drawn):
    _check("election", rules.ELECTION_ITEM, *drawn)

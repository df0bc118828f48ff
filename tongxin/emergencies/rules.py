"""Pure rules of emergency notices (``tests/test_rules.py``): who counts as vulnerable, how a
household is reached, the order of the board's lists, and the report's figures."""

from __future__ import annotations

from dataclasses import dataclass

#: Listed first on the board; their paired helpers are alerted when a notice is raised.
VULNERABLE_TAGS = ("elderly_alone", "disabled", "left_behind_child", "serious_illness")
#: Where the board groups households: a building, a courtyard, a villager group.
BLOCK_KINDS = ("building", "courtyard", "villager_group")
#: Places a notice may be raised for (a street's typhoon warning down to one building).
NOTICE_PLACE_KINDS = ("street", "town", "community", "village", "compound", "villager_group", "building",
                      "courtyard")

SELF, PHONE, DOOR, HELPER = "self", "phone", "door", "helper"
#: How a household was reached; ``self`` only through the household's own link.
STAFF_WAYS = (PHONE, DOOR, HELPER)


def order_key(*, needs_help: bool, reached: bool, vulnerable: bool, path: str, unit: str) -> tuple:
    """The board's order for households: asking for help first, then not reached, the
    vulnerable first among those, then by place and unit number."""
    return (not needs_help, reached, not vulnerable, path, unit.zfill(8))


@dataclass(frozen=True)
class Figures:
    target: int
    reached: int
    by_way: dict[str, int]
    within: dict[int, int]  # hours -> households reached within that many hours

    @property
    def remaining(self) -> int:
        return max(self.target - self.reached, 0)

    @property
    def share(self) -> float:
        return self.reached / self.target if self.target else 1.0


#: The report counts households reached within these many hours of raising.
WITHIN_HOURS = (1, 3, 24)

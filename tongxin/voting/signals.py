"""What voting tells the apps built on it (they listen; voting does not know them).

``decision_closed``: a vote was tallied and its result published (``services.decisions.
close_decision``), sent inside the closing transaction with ``decision`` and ``outcome``
(``rules.Outcome``). Deliberation records a consultation's 决议 from it.
"""

from django.dispatch import Signal

decision_closed = Signal()

"""What care tells the apps built on it (they listen; care does not know them).

``subject_closed``: a subject left the register (``services.register.close``), sent inside
the closing transaction with ``subject`` and ``on``. The alarms app deactivates the
subject's call buttons.
"""

from django.dispatch import Signal

subject_closed = Signal()

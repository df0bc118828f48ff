"""Finance's figure on the dashboard: entries awaiting a second person's approval."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.finance.apps import KEEP
from tongxin.finance.selectors import awaiting_approval


def dashboard_stats(user) -> list[Stat]:
    """For those who keep the books: entries awaiting approval at their compounds."""
    if not access.has_permission(user, KEEP):
        return []
    return [Stat(label=_("Ledger entries awaiting approval"), value=awaiting_approval(user),
                 url=reverse("finance-books"))]

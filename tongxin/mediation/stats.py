from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.mediation.apps import MANAGE
from tongxin.mediation.selectors.stats import dashboard_counts


def dashboard_stats(user) -> list[Stat]:
    """Open mediation cases of the user's places, and how many are past their deadline."""
    if not access.has_permission(user, MANAGE):
        return []
    counts = dashboard_counts(user)
    url = reverse("mediation-cases")
    return [Stat(label=_("Open mediation cases"), value=counts["open"], url=url),
            Stat(label=_("Overdue mediation cases"), value=counts["overdue"], url=f"{url}?overdue=1")]

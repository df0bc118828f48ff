from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.indicators import selectors, table
from tongxin.indicators.apps import VIEW_INDICATORS
from tongxin.indicators.periods import Period


def dashboard_stats(user) -> list[Stat]:
    """This month's composite score and resolution rate of the user's highest place."""
    if not access.has_permission(user, VIEW_INDICATORS):
        return []
    figures = selectors.home_figures(user, Period.containing(timezone.localdate()))
    if figures is None:
        return []
    url = reverse("indicators-dashboard")
    return [
        Stat(label=_("Composite score this month"), value=table.shown(figures.values["score"], "score"), url=url),
        Stat(label=_("Resolution rate this month"), value=table.shown(figures.values["resolution"], "rate"), url=url),
    ]

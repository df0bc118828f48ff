"""The evaluation's figure on the home dashboard (``MechanismConfig.dashboard_stats``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.evaluation.apps import VIEW
from tongxin.evaluation.selectors import campaigns as selectors


def dashboard_stats(user) -> list[Stat]:
    """The latest closed campaign's weighted score at the user's places, and the change from the
    previous one of the same subject (e.g. "4.20 (+0.30)")."""
    if not access.has_permission(user, VIEW):
        return []
    found = selectors.latest_with_change(user)
    if found is None:
        return []
    result, change = found
    campaign = result.campaign
    value = "–" if result.overall is None else str(result.overall)
    if change is not None:
        value = f"{value} ({change:+.2f})"
    url = f"{reverse('evaluation-results')}?place={campaign.place.code}"
    return [Stat(label=_("Latest evaluation: %(title)s") % {"title": campaign.title}, value=value, url=url)]

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.property.apps import VIEW
from tongxin.property.selectors import scope_rate


def dashboard_stats(user) -> list[Stat]:
    """The property fee collection rate (amount paid over due) of one's compounds this year."""
    if not access.has_permission(user, VIEW):
        return []
    found = scope_rate(user, timezone.localdate().year)
    return [Stat(label=_("Property fee collection rate this year"), value=f"{found}%" if found is not None else "—",
                 url=reverse("property-home"))]

"""What the registers add to the dashboard: one figure per place the user starts from."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.core.roles import VIEW_TREE
from tongxin.core.selectors import counts_for

MAX_ROOTS = 12


def dashboard_stats(user) -> list[Stat]:
    roots = list(access.root_places(user, VIEW_TREE).order_by("path")[:MAX_ROOTS])
    counts = counts_for(roots)
    return [
        Stat(
            label=_("%(place)s: households") % {"place": place.name},
            value=counts[place.pk].households,
            url=reverse("place-detail", args=[place.code]),
        )
        for place in roots
    ]

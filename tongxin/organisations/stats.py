from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.registry import Stat
from tongxin.organisations import selectors
from tongxin.organisations.apps import VIEW_ORGANISATIONS


def dashboard_stats(user) -> list[Stat]:
    if not access.has_permission(user, VIEW_ORGANISATIONS):
        return []
    return [Stat(label=_("Organisations"), value=selectors.visible(user).count(), url=reverse("organisation-list"))]

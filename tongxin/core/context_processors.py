from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from tongxin.core import access
from tongxin.core.models import InboxItem
from tongxin.core.registry import menu_entries
from tongxin.core.views import display_preferences

SITE_NAME = _("Tongxin community co-governance")


def tongxin(request):
    """Site name, the user's menu (from every mechanism) and display preferences."""
    user = getattr(request, "user", None)
    menu = []
    unread = 0
    if user is not None and user.is_authenticated:
        menu = [entry for entry in menu_entries()
                if entry.permission is None or access.has_permission(user, entry.permission)]
        unread = SimpleLazyObject(lambda: InboxItem.objects.filter(user=user, read_at__isnull=True).count())
    return {
        "site_name": SITE_NAME,
        "menu": menu,
        "unread_notices": unread,  # the bell: one indexed count, only on pages that show it
        "display": display_preferences(request),
        # Each language named in itself, so a reader of either can find their own.
        "languages": settings.LANGUAGES,
    }

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.core.registry import MechanismConfig, MenuEntry

#: Enter and approve ledger entries, generate and publish statements.
KEEP = "finance.keep"
#: See the ledger of one's places.
VIEW = "finance.view"
KEEPERS = ("community_staff", "owners_committee_member", "administrator")


class FinanceConfig(MechanismConfig):
    """Open books (issue 12): the owners' committee's and the maintenance fund's accounts,
    quarterly disclosure, co-funded projects ("three shares"). So far the share arithmetic
    (``shares.py``) and the ledger with its quarterly statements; ``docs/finance.md``."""

    name = "tongxin.finance"
    label = "finance"
    verbose_name = _("Open books")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "finance/"
    scope_probes = "tongxin.finance.probes.probes"
    dashboard_stats = "tongxin.finance.stats.dashboard_stats"
    demo = "tongxin.finance.demo.load"
    demo_order = 85  # after voting's owners' decisions (80)
    menu = (MenuEntry("finance-books", pgettext_lazy("menu", "Open books"), VIEW, order=47),)
    permissions = {
        KEEP: _("Keep the books: enter and approve entries, publish statements"),
        VIEW: _("See the books of one's places"),
    }
    role_permissions = {
        **{role: (KEEP, VIEW) for role in KEEPERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader")},
    }

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind

#: Enter and approve ledger entries, generate and publish statements.
KEEP = "finance.keep"
#: See the ledger of one's places.
VIEW = "finance.view"
KEEPERS = ("community_staff", "owners_committee_member", "administrator")


class FinanceConfig(MechanismConfig):
    """Open books (issue 12): the owners' committee's and the maintenance fund's accounts,
    the quarterly disclosure (page and PDF) with residents' questions on its lines, and the
    share arithmetic (``shares.py``) that co-funded projects use; ``docs/finance.md``."""

    name = "tongxin.finance"
    label = "finance"
    verbose_name = _("Open books")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "finance/"
    scope_probes = "tongxin.finance.probes.probes"
    dashboard_stats = "tongxin.finance.stats.dashboard_stats"
    demo = "tongxin.finance.demo.load"
    demo_order = 85  # after voting's owners' decisions (80)
    menu = (
        MenuEntry("finance-books", pgettext_lazy("menu", "Open books"), VIEW, order=47),
        # Residents' questions on the published statements' lines, to answer.
        MenuEntry("finance-questions", _("Questions on the accounts"), KEEP, order=56),
    )
    permissions = {
        KEEP: _("Keep the books: enter and approve entries, publish statements"),
        VIEW: _("See the books of one's places"),
    }
    role_permissions = {
        **{role: (KEEP, VIEW) for role in KEEPERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader")},
    }
    notification_kinds = (
        # A resident asked about a line: to the compound's keepers of the books.
        NotificationKind("finance_question_asked", _("A question on the accounts I keep")),
        # The keepers answered: to the one who asked, linking to the line on the public page.
        NotificationKind("finance_question_answered", _("An answer to my question on the accounts")),
    )

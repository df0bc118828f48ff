from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry

#: Create projects, open collection, record payments, report progress, close the accounts.
MANAGE = "cofunding.manage"
#: See the co-funded projects of one's places, with every household's share.
VIEW = "cofunding.view"
MANAGERS = ("community_staff", "owners_committee_member", "administrator")


class CofundingConfig(MechanismConfig):
    """Co-funded projects (三个分担, issue 12): a project's budget split among policy funds, the
    committee's income and the owners who benefit; each household's share, collection,
    progress and final accounts, published. ``docs/cofunding.md``."""

    name = "tongxin.cofunding"
    label = "cofunding"
    verbose_name = _("Co-funded projects")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "cofunding/"
    scope_probes = "tongxin.cofunding.probes.probes"
    demo = "tongxin.cofunding.demo.load"
    demo_order = 85  # after the registers' tree (10), the notices (50) and voting (80)
    menu = (
        MenuEntry("cofunding-projects", _("Co-funded projects"), VIEW, order=47),
        MenuEntry("cofunding-mine", _("My project shares"), None, order=93),
    )
    permissions = {
        MANAGE: _("Run co-funded projects: shares, collection, progress, final accounts"),
        VIEW: _("See the co-funded projects of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader")},
    }

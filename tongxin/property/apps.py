from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry

#: Keep the property company's accounts for the owners: common-parts income, fee standards,
#: bills and payments. Held by the managing company's staff (``services.can_keep`` also asks
#: that the company manages the compound) and administrators.
KEEP = "property.keep"
#: Check the common-parts income (the owners' committee's mark).
CHECK = "property.check"
#: See the accounts and the collection table of one's compounds.
VIEW = "property.view"


class PropertyConfig(MechanismConfig):
    """The property company's accounts for the owners (issue 12): income from the common parts
    (Civil Code art. 282), fee standards, bills and the collection rate per building.
    ``docs/property.md``."""

    name = "tongxin.property"
    label = "property"
    verbose_name = _("Property accounts")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "property/"
    scope_probes = "tongxin.property.probes.probes"
    dashboard_stats = "tongxin.property.stats.dashboard_stats"
    demo = "tongxin.property.demo.load"
    demo_order = 85  # after the registers' tree (10), the notices (50) and the owners' decisions (80)
    menu = (
        MenuEntry("property-home", _("Property accounts"), VIEW, order=47),
        MenuEntry("property-my-bills", _("My property bills"), None, order=120),
    )
    permissions = {
        KEEP: _("Keep the property accounts: income of the common parts, fee standards, bills, payments"),
        CHECK: _("Check the income of the common parts for the owners"),
        VIEW: _("See the property accounts of one's compounds"),
    }
    role_permissions = {
        "property_staff": (KEEP, VIEW),
        "administrator": (KEEP, CHECK, VIEW),
        "owners_committee_member": (CHECK, VIEW),
        **{role: (VIEW,) for role in ("community_staff", "street_leader", "district_leader")},
    }

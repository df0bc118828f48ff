from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry

#: Create rules, draft and publish their versions at one's places.
MANAGE = "bylaws.manage"
#: See the rules and their drafts at one's places.
VIEW = "bylaws.view"
MANAGERS = ("community_staff", "owners_committee_member", "administrator")


class BylawsConfig(MechanismConfig):
    """Rules on the wall (issue 12): a compound's, community's or village's rules of procedure,
    fee standards, financial rules and conventions, every version kept, each citing the decision
    that made it, published on the notice board and on a public page. ``docs/bylaws.md``."""

    name = "tongxin.bylaws"
    label = "bylaws"
    verbose_name = _("Rules on the wall")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "bylaws/"
    scope_probes = "tongxin.bylaws.probes.probes"
    door_links = "tongxin.bylaws.selectors.door_links"
    demo = "tongxin.bylaws.demo.load"
    demo_order = 85
    menu = (MenuEntry("bylaws-list", _("Rules on the wall"), VIEW, order=47),)
    permissions = {
        MANAGE: _("Draft and publish the rules of one's places"),
        VIEW: _("See the rules and drafts of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader")},
    }

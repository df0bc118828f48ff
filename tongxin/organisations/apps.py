from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry

VIEW_ORGANISATIONS = "organisations.view"


class OrganisationsConfig(MechanismConfig):
    """The organisations directory: party bodies, committees, companies and teams by place.

    Added in a commit of its own that touches no file outside this folder, to show that
    the core discovers a mechanism from its manifest alone.
    """

    name = "tongxin.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "organisations/"
    api_routes = "tongxin.organisations.api.register_api"
    dashboard_stats = "tongxin.organisations.stats.dashboard_stats"
    cli_commands = "tongxin.organisations.commands.add_commands"
    scope_probes = "tongxin.organisations.probes.probes"
    menu = (MenuEntry("organisation-list", _("Organisations"), VIEW_ORGANISATIONS, order=20),)
    permissions = {VIEW_ORGANISATIONS: _("See the organisations in one's places")}
    role_permissions = {
        role: (VIEW_ORGANISATIONS,)
        for role in (
            "district_leader", "street_leader", "community_staff", "area_chief", "grid_chief", "grid_worker",
            "grid_point_leader", "administrator",
        )
    }

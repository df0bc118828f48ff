from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import Export, MechanismConfig, MenuEntry

VIEW_INDICATORS = "indicators.view"
VIEWERS = (
    "district_leader", "street_leader", "community_staff", "area_chief", "grid_chief", "grid_worker",
    "administrator",
)


class IndicatorsConfig(MechanismConfig):
    """The demand indicators (响应率, 解决率, 满意率, 结案率 …), their daily rollups, the leaders'
    dashboard, the big-screen view and the Excel export (``docs/indicators.md``)."""

    name = "tongxin.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "indicators/"
    dashboard_stats = "tongxin.indicators.stats.dashboard_stats"
    cli_commands = "tongxin.indicators.commands.add_commands"
    scope_probes = "tongxin.indicators.probes.probes"
    menu = (MenuEntry("indicators-dashboard", _("Indicators"), VIEW_INDICATORS, order=14),)
    permissions = {VIEW_INDICATORS: _("See the demand indicators of one's places")}
    role_permissions = {role: (VIEW_INDICATORS,) for role in VIEWERS}
    exports = (
        Export("indicators-month", _("Demand indicators, this month (Excel)"),
               "tongxin.indicators.exports.this_month", VIEW_INDICATORS),
    )

    def ready(self):
        from django.db.models.signals import post_save

        from tongxin.indicators import rollups

        # Every step of a demand (its report, each workflow action, its rating) is a timeline
        # event written inside the service's transaction: the rollups move in the same one.
        post_save.connect(rollups.on_event, sender="demands.DemandEvent", dispatch_uid="indicators-rollups")

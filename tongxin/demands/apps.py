from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

DISPATCH = "demands.dispatch"
SUPERVISE = "demands.supervise"
DISPATCHERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class DemandsConfig(MechanismConfig):
    """Demands (诉求): the QR suggestion box, reporting and following, the case workflow, the workbench."""

    name = "tongxin.demands"
    label = "demands"
    verbose_name = _("Demands")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = ""
    api_routes = "tongxin.demands.api.register_api"
    cli_commands = "tongxin.demands.commands.add_commands"
    scope_probes = "tongxin.demands.probes.probes"
    demo = "tongxin.demands.demo.load"
    demo_order = 40
    menu = (MenuEntry("demand-workbench", _("Demands"), DISPATCH, order=12),)
    permissions = {
        DISPATCH: _("Accept, dispatch, check and close the demands of one's places"),
        SUPERVISE: _("Take escalated demands and approve suspensions"),
    }
    role_permissions = {
        **{role: (DISPATCH,) for role in DISPATCHERS},
        **{role: (SUPERVISE,) for role in ("street_leader", "district_leader", "administrator")},
    }
    # Each deadline has its own task (``services.schedule_check``); this catches any it missed.
    recurring = (
        Recurring("demands-overdue-sweep", "tongxin.demands.services.sweep_overdue", every=300),
        Recurring("demands-intake-sweep", "tongxin.demands.services.sweep_intake", every=120),
    )
    notification_kinds = (
        NotificationKind("demand_received", _("New demand in my places"), channels=("inbox", "email")),
        NotificationKind("demand_assigned", _("A demand dispatched to me"), channels=("inbox", "email"),
                         email_default="immediate"),
        NotificationKind("demand_escalated", _("A demand escalated to me"), channels=("inbox", "email"),
                         email_default="immediate"),
        # For other systems only (webhook subscribers, ``docs/api.md``): no channel to people.
        NotificationKind("demand_created", _("Demand reported (webhooks)"), channels=()),
        NotificationKind("demand_state_changed", _("Demand changed state (webhooks)"), channels=()),
        NotificationKind("demand_closed", _("Demand closed (webhooks)"), channels=()),
        NotificationKind("demand_rated", _("Demand rated (webhooks)"), channels=()),
    )

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind

#: Keep the mediation case files of one's places: open, accept, record, hand off, close.
MANAGE = "mediation.manage"
#: See the outcome figures of one's places (counts only, never a case's contents).
VIEW_STATS = "mediation.view_stats"


class MediationConfig(MechanismConfig):
    """People's mediation case files (人民调解, 一事一档): application, parties, mediators,
    sessions, the agreement and its signatures, follow-up, judicial confirmation, hand-offs,
    and outcome figures by place. ``docs/mediation.md``."""

    name = "tongxin.mediation"
    label = "mediation"
    verbose_name = _("Mediation")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "mediation/"
    scope_probes = "tongxin.mediation.probes.probes"
    dashboard_stats = "tongxin.mediation.stats.dashboard_stats"
    demo = "tongxin.mediation.demo.load"
    demo_order = 83
    menu = (
        MenuEntry("mediation-cases", _("Mediation cases"), MANAGE, order=50),
        MenuEntry("mediation-stats", _("Mediation outcomes"), VIEW_STATS, order=51),
        MenuEntry("mediation-mine", _("My mediation cases"), None, order=92),
    )
    permissions = {
        MANAGE: _("Keep the mediation case files of one's places"),
        VIEW_STATS: _("See the mediation outcome figures of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW_STATS) for role in ("community_staff", "administrator")},
        **{role: (VIEW_STATS,) for role in ("street_leader", "district_leader", "area_chief", "grid_chief")},
    }
    notification_kinds = (
        NotificationKind("mediation_assigned", _("I was made a mediator of a case"), channels=("inbox",)),
        NotificationKind("mediation_sign_code", _("A code to confirm a mediation agreement"),
                         channels=("inbox",)),
    )

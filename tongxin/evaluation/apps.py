from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import Export, MechanismConfig, MenuEntry

#: Create and close evaluation campaigns (测评) and their panels at one's places.
MANAGE = "evaluation.manage"
#: See the campaigns of one's places and their weighted results.
VIEW = "evaluation.view"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class EvaluationConfig(MechanismConfig):
    """Satisfaction evaluations (双向共评): residents, one answer per household, and a named
    panel score a compound, a property company or a project; the result weights both sides.
    ``docs/evaluation.md``."""

    name = "tongxin.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluations")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "evaluation/"
    scope_probes = "tongxin.evaluation.probes.probes"
    dashboard_stats = "tongxin.evaluation.stats.dashboard_stats"
    demo = "tongxin.evaluation.demo.load"
    demo_order = 85  # after the registers' tree (10), the notices (50) and voting (80)
    exports = (
        Export("evaluation-results", _("Evaluation results (Excel)"), "tongxin.evaluation.exports.results", VIEW),
    )
    menu = (
        MenuEntry("evaluation-campaigns", _("Evaluations"), VIEW, order=45),
        MenuEntry("evaluation-awards", _("Awards"), VIEW, order=46),
    )
    permissions = {
        MANAGE: _("Run satisfaction evaluations at one's places"),
        VIEW: _("See the satisfaction evaluations of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader")},
    }

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind

#: Record the steps of major matters (四议两公开) and run consultations: review, meetings, decisions.
MANAGE = "deliberation.manage"
#: See the major matters and consultations of one's places (leaders, building roles).
VIEW = "deliberation.view"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")
VIEWERS = ("street_leader", "district_leader", "building_chief", "resident_representative", "group_leader",
           "party_group_leader", "grid_point_leader")


class DeliberationConfig(MechanismConfig):
    """Residents' self-governance: major matters through 四议两公开, and the four-step
    consultation (提议—审议—合议—决议) at building, area and community level.
    ``docs/deliberation.md``. Owners' decisions are ``tongxin.voting``'s."""

    name = "tongxin.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "deliberation/"
    scope_probes = "tongxin.deliberation.probes.probes"
    door_links = (("deliberation-raise", _("Raise a matter for consultation")),)
    demo = "tongxin.deliberation.demo.load"
    demo_order = 81
    permissions = {
        MANAGE: _("Record major matters' steps and run consultations of one's places"),
        VIEW: _("See major matters and consultations of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in VIEWERS},
    }
    notification_kinds = (
        NotificationKind("consultation_raised", _("A matter was raised for consultation"), channels=("inbox",)),
        NotificationKind("consultation_step", _("A matter I raised moved on"), channels=("inbox", "email")),
    )
    menu = (
        MenuEntry("deliberation-matters", _("Major matters (四议两公开)"), VIEW, order=50),
        MenuEntry("deliberation-consultations", _("Consultations"), VIEW, order=51),
        MenuEntry("deliberation-mine", _("Matters near me"), None, order=92),
    )

    def ready(self):
        super().ready()
        from tongxin.deliberation.services import record_vote_result
        from tongxin.voting.signals import decision_closed

        decision_closed.connect(record_vote_result, dispatch_uid="deliberation-vote-result")

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Set up rosters, shifts, patrol routes and their checkpoints at one's places; see coverage.
MANAGE = "rosters.manage"
#: Sign up for, offer and take shifts, and walk patrol rounds, at one's places (or above them).
TAKE_PART = "rosters.take_part"
MANAGERS = ("community_staff", "administrator", "grid_chief")
TAKERS = (
    "grid_worker", "area_chief", "grid_point_leader", "building_chief", "building_party_member",
    "building_volunteer", "party_group_leader", "resident_representative", "group_leader", "police_liaison",
    "owners_committee_member", "property_staff", "branch_secretary", "street_leader", "district_leader",
)


class RostersConfig(MechanismConfig):
    """Duty rosters and patrols (值班巡逻, issue 13): shifts with swaps and reminders; patrol
    routes with QR check-points, incidents that raise demands, and coverage. ``docs/rosters.md``."""

    name = "tongxin.rosters"
    label = "rosters"
    verbose_name = _("Duty and patrols")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "rosters/"
    scope_probes = "tongxin.rosters.probes.probes"
    demo = "tongxin.rosters.demo.load"
    demo_order = 150
    menu = (MenuEntry("rosters-list", _("Duty and patrols"), TAKE_PART, order=62),)
    permissions = {
        MANAGE: _("Manage duty rosters and patrol routes at one's places"),
        TAKE_PART: _("Take duty shifts and walk patrols at one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, TAKE_PART) for role in MANAGERS},
        **{role: (TAKE_PART,) for role in TAKERS},
    }
    notification_kinds = (
        NotificationKind("rosters_shift_reminder", _("A duty shift of yours starts soon")),
        NotificationKind("rosters_shift_taken", _("The shift you offered was taken")),
    )
    recurring = (
        # Shifts starting in the next two hours; each holder told once (the event names it).
        Recurring("rosters-reminders", "tongxin.rosters.services.send_reminders", every=600),
    )

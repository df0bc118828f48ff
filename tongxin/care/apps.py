from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Keep the care register, pair helpers, run campaigns, see visits and what they found.
MANAGE = "care.manage"
#: See the care register of one's places (counts and masked entries; leaders).
VIEW = "care.view"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class CareConfig(MechanismConfig):
    """Care for vulnerable residents (关爱): the care register, pairing, visits and door-to-door
    campaigns. ``docs/care.md``. The one-key emergency call is the ``alarms`` app."""

    name = "tongxin.care"
    label = "care"
    verbose_name = _("Care")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "care/"
    scope_probes = "tongxin.care.probes.probes"
    person_grants = "tongxin.care.selectors.register.people"
    demo = "tongxin.care.demo.load"
    demo_order = 70
    permissions = {
        MANAGE: _("Keep the care register of one's places, pair helpers, run door-to-door campaigns"),
        VIEW: _("See the care register of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader", "family_doctor", "building_chief")},
    }
    notification_kinds = (
        NotificationKind("care_paired", _("I was paired with a resident to care for"), channels=("inbox",)),
        NotificationKind("care_visit_overdue", _("A care visit is overdue"), channels=("inbox", "email")),
        NotificationKind("care_visit_escalated", _("A care visit is still overdue after the grid worker was told"),
                         channels=("inbox", "email")),
    )
    menu = (
        MenuEntry("care-subjects", _("Care register"), VIEW, order=40),
        MenuEntry("care-overdue", _("Overdue visits"), VIEW, order=41),
        MenuEntry("care-campaigns", _("Door-to-door campaigns"), MANAGE, order=42),
        MenuEntry("care-my-subjects", _("My paired residents"), None, order=91),
    )
    recurring = (
        # Overdue visits: the grid worker is told once per episode, the community's staff later.
        Recurring("care-visits-overdue", "tongxin.care.services.visits.notify_overdue", daily_at="07:10"),
    )

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Raise and close an emergency notice for one's places.
RAISE = "emergencies.raise"
#: Tick off households reached by phone or at the door; mark calls for help handled.
REACH = "emergencies.reach"
#: See the live board and the report.
VIEW = "emergencies.view"
RAISERS = ("community_staff", "street_leader", "district_leader", "administrator")
REACHERS = (
    "community_staff", "administrator", "area_chief", "grid_chief", "grid_worker", "grid_point_leader",
    "building_chief", "building_party_member", "building_volunteer", "party_group_leader", "group_leader",
)


class EmergenciesConfig(MechanismConfig):
    """Emergency notices that reach every household (紧急通知, issue 13): a typhoon, flood,
    water cut or evacuation notice for a place; residents confirm from their phone link, grid
    workers tick off the rest by phone or at the door; a live board by building with the
    vulnerable first; a report afterwards. ``docs/emergencies.md``."""

    name = "tongxin.emergencies"
    label = "emergencies"
    verbose_name = _("Emergency notices")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "emergencies/"
    scope_probes = "tongxin.emergencies.probes.probes"
    demo = "tongxin.emergencies.demo.load"
    demo_order = 140
    menu = (MenuEntry("emergencies-list", _("Emergency notices"), VIEW, order=15),)
    permissions = {
        RAISE: _("Raise emergency notices for one's places"),
        REACH: _("Tick off households reached in an emergency"),
        VIEW: _("See the emergency board and reports of one's places"),
    }
    role_permissions = {
        **{role: (REACH, VIEW) for role in REACHERS},
        **{role: (RAISE, VIEW) for role in ("street_leader", "district_leader")},
        **{role: (RAISE, REACH, VIEW) for role in ("community_staff", "administrator")},
    }
    recurring = (Recurring("emergencies-resend", "tongxin.emergencies.services.fan_out_unsent", every=60),)
    notification_kinds = (
        # To each household's members with a login: the notice and their household's link.
        NotificationKind("emergency_notice", _("Emergency notice for your home"),
                         channels=("inbox", "email"), inbox_at_once=True, email_default="immediate"),
        # To an SMS gateway registered for it by name: each household's phone and link.
        NotificationKind("emergency_sms", _("Emergency notice by SMS (gateway)"), channels=(),
                         named_subscribers_only=True),
        # To the paired helpers of vulnerable residents: go and check on them.
        NotificationKind("emergency_helper", _("Emergency: check on the resident you are paired with"),
                         channels=("inbox", "email"), inbox_at_once=True, email_default="immediate"),
        # To staff of the place: a household asked for help.
        NotificationKind("emergency_help", _("Emergency: a household asks for help"),
                         channels=("inbox", "email"), inbox_at_once=True, email_default="immediate"),
    )

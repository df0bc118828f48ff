from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import Export, MechanismConfig, MenuEntry, NotificationKind

#: Create, open, close and publish distributions at one's places; add stock and households.
MANAGE = "relief.manage"
#: Hand relief over to the eligible households of one's places, with the recipient's confirmation.
HAND_OVER = "relief.hand_over"
#: See distributions, their lists and stock at one's places (leaders).
VIEW = "relief.view"
MANAGERS = ("community_staff", "administrator")
HANDERS = ("grid_worker", "grid_chief", "area_chief", "grid_point_leader", "building_chief", "building_volunteer",
           "group_leader")
VIEWERS = ("street_leader", "district_leader")


class ReliefConfig(MechanismConfig):
    """Relief distribution (物资发放, issue 13): cold-weather supplies or disaster relief to the
    households the rules make eligible, handed over with the recipient's confirmation, stock
    counted, the list published without the eligibility category. ``docs/relief.md``."""

    name = "tongxin.relief"
    label = "relief"
    verbose_name = _("Relief distribution")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "relief/"
    scope_probes = "tongxin.relief.probes.probes"
    demo = "tongxin.relief.demo.load"
    demo_order = 160
    menu = (MenuEntry("relief-list", _("Relief distribution"), VIEW, order=62),)
    permissions = {
        MANAGE: _("Manage relief distributions at one's places"),
        HAND_OVER: _("Hand relief over to households at one's places"),
        VIEW: _("See relief distributions at one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, HAND_OVER, VIEW) for role in MANAGERS},
        **{role: (HAND_OVER, VIEW) for role in HANDERS},
        **{role: (VIEW,) for role in VIEWERS},
    }
    exports = (
        Export("relief-hand-overs", _("Relief hand-overs (Excel)"), "tongxin.relief.exports.hand_overs_workbook",
               MANAGE),
    )
    notification_kinds = (
        NotificationKind("relief_code", _("A code to confirm receiving relief"), channels=("inbox",),
                         inbox_at_once=True),
    )

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import Export, MechanismConfig, MenuEntry, NotificationKind

#: Add venues and their hours at one's places; approve and decline bookings there.
MANAGE = "venues.manage"
#: Book a venue at one's places for a team or committee (residents book where they live).
BOOK = "venues.book"
MANAGERS = ("community_staff", "administrator")
BOOKERS = (
    "grid_worker", "grid_chief", "area_chief", "grid_point_leader", "building_chief", "building_party_member",
    "building_volunteer", "party_group_leader", "resident_representative", "group_leader",
    "owners_committee_member", "property_staff", "branch_secretary", "street_leader", "district_leader",
)


class VenuesConfig(MechanismConfig):
    """Venues (场地预约, issue 13): function rooms and activity spaces shared by many groups,
    booked by teams, committees and residents, with approval; a clash is refused by the
    database. ``docs/venues.md``."""

    name = "tongxin.venues"
    label = "venues"
    verbose_name = _("Venues")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "venues/"
    scope_probes = "tongxin.venues.probes.probes"
    demo = "tongxin.venues.demo.load"
    demo_order = 130
    menu = (MenuEntry("venues-list", _("Venues"), None, order=60),)
    permissions = {
        MANAGE: _("Manage venues and approve bookings at one's places"),
        BOOK: _("Book venues at one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, BOOK) for role in MANAGERS},
        **{role: (BOOK,) for role in BOOKERS},
    }
    exports = (
        Export("venues-usage", _("Venue usage by month (Excel)"), "tongxin.venues.exports.usage_workbook", MANAGE),
    )
    notification_kinds = (
        NotificationKind("venue_booking_requested", _("A venue booking awaits approval")),
        NotificationKind("venue_booking_decided", _("Your venue booking was approved or declined")),
    )

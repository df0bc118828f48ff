from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Set up meeting series and meetings, record attendance, minutes and decisions, publish.
MANAGE = "meetings.manage"
#: See the meetings and action items of one's places (leaders; a body's members see those it takes part in).
VIEW = "meetings.view"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class MeetingsConfig(MechanismConfig):
    """Meetings with follow-up (三方联席会议, 业主大会, 恳谈会, 屋场会, 民情民意收集会): series on
    a schedule, agenda, attendance, minutes, decisions → action items tracked to done,
    reminders, decisions published. ``docs/meetings.md``."""

    name = "tongxin.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "meetings/"
    scope_probes = "tongxin.meetings.probes.probes"
    demo = "tongxin.meetings.demo.load"
    demo_order = 82
    permissions = {
        MANAGE: _("Hold meetings at one's places: schedules, attendance, minutes, decisions and action items"),
        VIEW: _("See the meetings and action items of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader", "property_staff",
                                      "owners_committee_member")},
    }
    notification_kinds = (
        NotificationKind("meeting_reminder", _("A meeting I am invited to is coming up"), channels=("inbox", "email"),
                         email_default="immediate"),
        NotificationKind("meeting_action_assigned", _("A meeting gave me an action item"), channels=("inbox",)),
        NotificationKind("meeting_action_overdue", _("A meeting's action item is overdue"),
                         channels=("inbox", "email")),
    )
    menu = (
        MenuEntry("meetings-series", _("Meetings"), VIEW, order=50),
        MenuEntry("meetings-overdue", _("Overdue action items"), VIEW, order=51),
        MenuEntry("meetings-my-actions", _("My action items"), None, order=92),
    )
    recurring = (
        # Each series keeps its next meeting made (``services.meetings.make_next``).
        Recurring("meetings-next", "tongxin.meetings.services.meetings.make_next_all", daily_at="02:50"),
        # The day before and two hours before: a five-minute sweep is close enough.
        Recurring("meetings-reminders", "tongxin.meetings.services.reminders.send_due", every=300),
        Recurring("meetings-actions-overdue", "tongxin.meetings.services.actions.notify_overdue", daily_at="07:20"),
    )

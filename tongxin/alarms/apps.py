from django.utils.translation import gettext_lazy as _

from tongxin.alarms.conf import sweep_seconds
from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Answer emergency calls: see open alarms of one's places, acknowledge and close them.
RESPOND = "alarms.respond"
RESPONDERS = ("grid_worker", "grid_chief", "area_chief", "community_staff", "building_chief", "street_leader",
              "administrator")


class AlarmsConfig(MechanismConfig):
    """The one-key emergency call (孝心呼叫器 / 一键呼叫): a subject's device or big-button page
    raises an alarm; helpers, the building chief, the grid and the family are told at once;
    nobody answering escalates to the community's duty list, then to the street.
    ``docs/care.md`` ("The one-key emergency call")."""

    name = "tongxin.alarms"
    label = "alarms"
    verbose_name = _("Emergency calls")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "alarms/"
    api_routes = "tongxin.alarms.api.register_api"
    scope_probes = "tongxin.alarms.probes.probes"
    demo = "tongxin.alarms.demo.load"
    demo_order = 75  # after care's (70): on its subjects
    menu = (
        MenuEntry("alarms-duty", _("Emergency calls"), RESPOND, order=25),
        MenuEntry("alarms-history", _("Past emergency calls"), RESPOND, order=26),
    )
    permissions = {
        RESPOND: _("See and answer the emergency calls of one's places"),
    }
    role_permissions = {role: (RESPOND,) for role in RESPONDERS}
    recurring = (
        # Each alarm has its own escalation task (``services.alarms``); this catches a lost one
        # and an alarm whose notices were never queued (a web process killed after storing it).
        Recurring("alarms-sweep", "tongxin.alarms.services.alarms.sweep", every=sweep_seconds()),
    )
    notification_kinds = (
        # Family contacts have no login: webhook subscribers taking this kind (an SMS/voice
        # gateway) get one notice per contact with the phone in the payload. The inbox item
        # is written with the alarm's notices, so the helper's screen shows it with no worker.
        NotificationKind("alarm_raised", _("An emergency call from a resident I care for"),
                         channels=("inbox", "email"), email_default="immediate", inbox_at_once=True,
                         named_subscribers_only=True),
        NotificationKind("alarm_escalated", _("An emergency call nobody answered came to me"),
                         channels=("inbox", "email"), email_default="immediate", inbox_at_once=True,
                         named_subscribers_only=True),
    )

    def ready(self):
        super().ready()
        from tongxin.alarms.services.devices import deactivate_all_of
        from tongxin.care.signals import subject_closed

        subject_closed.connect(deactivate_all_of, dispatch_uid="alarms-subject-closed")

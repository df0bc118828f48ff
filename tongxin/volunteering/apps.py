from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Approve registrations, publish posts, tasks and activities, confirm completed work.
MANAGE = "volunteering.manage"
#: See the service ledger and rankings of one's places (leaders).
VIEW_LEDGER = "volunteering.view_ledger"
#: A work unit's party branch: its own members, where they serve, their hours (双报到).
VIEW_UNIT = "volunteering.view_unit"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class VolunteeringConfig(MechanismConfig):
    """Party members and volunteers (双报到, 认领, 志愿服务): dual registration of work units and
    members, service posts and teams, claimable tasks and micro-wishes, activities with
    check-in, the service ledger, and the three links (三联系). ``docs/volunteering.md``."""

    name = "tongxin.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "volunteering/"
    scope_probes = "tongxin.volunteering.probes.probes"
    door_links = (("volunteering-register", _("Party members report / volunteers register")),)
    demo = "tongxin.volunteering.demo.load"
    demo_order = 60  # after the registers' tree (10), the demands' reports (40) and the notices (50)
    menu = (
        MenuEntry("volunteering-home", _("Volunteering"), MANAGE, order=30),
        MenuEntry("volunteering-tasks", _("Tasks and micro-wishes"), MANAGE, order=31),
        MenuEntry("volunteering-activities", _("Activities"), MANAGE, order=32),
        MenuEntry("volunteering-ledger", _("Service ledger"), VIEW_LEDGER, order=33),
        MenuEntry("volunteering-coverage", _("Three links"), VIEW_LEDGER, order=34),
        MenuEntry("volunteering-my-units", _("My work unit"), VIEW_UNIT, order=35),
        MenuEntry("volunteering-me", _("My volunteering"), None, order=90),
    )
    permissions = {
        MANAGE: _("Approve volunteers, publish posts, tasks and activities, confirm service"),
        VIEW_LEDGER: _("See the service ledger of one's places"),
        VIEW_UNIT: _("See one's work unit's registered party members and their service"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW_LEDGER) for role in MANAGERS},
        **{role: (VIEW_LEDGER,) for role in ("street_leader", "district_leader")},
        "branch_secretary": (VIEW_UNIT,),
        "administrator": (MANAGE, VIEW_LEDGER, VIEW_UNIT),
    }
    recurring = (
        # Each claim has its own deadline task (``services.claims``); this catches any it missed.
        Recurring("volunteering-claim-sweep", "tongxin.volunteering.services.claims.release_overdue", every=300),
        # Activities' sessions are made ahead (``services.activities.ensure_sessions``).
        Recurring("volunteering-sessions-ahead", "tongxin.volunteering.services.activities.make_sessions_ahead",
                  daily_at="02:40"),
    )
    notification_kinds = (
        NotificationKind("volunteer_registered", _("A volunteer or party member asks to register"),
                         channels=("inbox",)),
        NotificationKind("volunteer_approved", _("My registration was decided"), channels=("inbox", "email")),
        NotificationKind("task_published", _("A task or micro-wish near me to claim"), channels=("inbox",)),
        NotificationKind("claim_due", _("My claimed task is due soon or was released"), channels=("inbox", "email"),
                         email_default="immediate"),
        NotificationKind("claim_completed", _("A claimed task is done and waits for confirmation"),
                         channels=("inbox",)),
        NotificationKind("claim_confirmed", _("My completed task was confirmed"), channels=("inbox",)),
        NotificationKind("activity_cancelled", _("An activity I signed up for was cancelled"),
                         channels=("inbox", "email"), email_default="immediate"),
        NotificationKind("activity_place_freed", _("A place came free for me in an activity"),
                         channels=("inbox", "email"), email_default="immediate"),
    )

    def ready(self):
        from django.db.models.signals import post_save

        from tongxin.volunteering.services import claims

        # A 微心愿 reported at a QR code becomes a wish here when the demand is taken in (its
        # report step is written then, in the intake's transaction). Demands never import us.
        post_save.connect(claims.on_demand_event, sender="demands.DemandEvent", dispatch_uid="volunteering-wishes")

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, NotificationKind, Recurring
from tongxin.core.roles import CORE_ROLE_PERMISSIONS, MANAGE_REGISTER, VIEW_PERSONAL, VIEW_REGISTER, VIEW_TREE


class CoreConfig(MechanismConfig):
    """The core declares itself through the same manifest as every mechanism."""

    name = "tongxin.core"
    label = "core"
    verbose_name = _("Tongxin core")
    default_auto_field = "django.db.models.BigAutoField"

    cli_commands = "tongxin.core.commands.add_commands"
    demo = "tongxin.core.demo.load"
    demo_order = 50  # after the registers: notices need places and staff
    scope_probes = "tongxin.core.probes.probes"
    permissions = {
        VIEW_TREE: _("See places and their counts"),
        VIEW_REGISTER: _("See households and people (masked)"),
        VIEW_PERSONAL: _("See phone and ID numbers unmasked (logged)"),
        MANAGE_REGISTER: _("Change households and people"),
    }
    role_permissions = CORE_ROLE_PERMISSIONS
    notification_kinds = (NotificationKind("place_notice", _("Notice to a place"), channels=("inbox", "email")),)
    recurring = (
        Recurring("outbox-sweep", "tongxin.core.delivery.sweep", every=settings.TONGXIN_OUTBOX_SWEEP_SECONDS),
        Recurring("staff-digest", "tongxin.core.delivery.send_digests", daily_at="07:30"),
        Recurring("prune", "tongxin.core.schedule.prune", daily_at="03:10"),
    )

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_start_schedules, sender=self)


def _start_schedules(**kwargs):
    """After every migrate: queue the next run of each recurring job that has none queued."""
    from tongxin.core.schedule import ensure_schedules

    ensure_schedules()

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig


class Open311Config(MechanismConfig):
    """Open311 GeoReport v2 under ``/open311/v2/`` (``docs/open311.md``): city hotlines,
    FixMyStreet-style apps and 311 tools read the demand categories and file and follow
    demands through the same services as a QR code. Clients hold API keys, each limited to
    its places (``tongxin apikey create``)."""

    name = "tongxin.open311"
    label = "open311"
    verbose_name = _("Open311")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "open311/v2/"
    cli_commands = "tongxin.open311.commands.add_commands"
    scope_probes = "tongxin.open311.probes.probes"

from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import Export, MechanismConfig, MenuEntry
from tongxin.core.roles import MANAGE_REGISTER, VIEW_REGISTER, VIEW_TREE


class RegistersConfig(MechanismConfig):
    """The registers (台账): the tree browser, households, people, and their API.

    Everything it adds to the whole is declared here; the core discovers it.
    """

    name = "tongxin.registers"
    label = "registers"
    verbose_name = _("Registers")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = ""
    api_routes = "tongxin.registers.api.register_api"
    dashboard_stats = "tongxin.registers.stats.dashboard_stats"
    demo = "tongxin.registers.demo.load"
    demo_order = 10  # the tree and people come first; other mechanisms build on them
    scope_probes = "tongxin.registers.probes.probes"
    cli_commands = "tongxin.registers.commands.add_commands"
    menu = (
        MenuEntry("place-index", _("Places"), VIEW_TREE, order=10),
        MenuEntry("register-import", _("Import registers"), MANAGE_REGISTER, order=15),
    )
    exports = (
        Export(
            "registers", _("Households and residents (台账)"), "tongxin.registers.workbook.write_registers",
            VIEW_REGISTER,
        ),
        Export(
            "named-people-gaps", _("Buildings, villages and grids missing their named people"),
            "tongxin.registers.exports.named_people_gaps", VIEW_TREE,
        ),
    )

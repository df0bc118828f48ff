from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig


class FinanceConfig(MechanismConfig):
    """Open books (issue 12): the owners' committee's and the maintenance fund's accounts,
    quarterly disclosure, co-funded projects ("three shares"). So far the share arithmetic
    (``shares.py``); ``docs/finance.md``."""

    name = "tongxin.finance"
    label = "finance"
    verbose_name = _("Open books")
    default_auto_field = "django.db.models.BigAutoField"

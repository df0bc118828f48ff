from django import template

from tongxin.finance.shares import to_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """1234 → 12.34 (fen held as integers, shown in yuan)."""
    return "" if fen is None else to_yuan(fen)

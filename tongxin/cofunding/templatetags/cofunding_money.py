"""``{{ fen|yuan }}``: an amount in fen shown in yuan to the fen (12345 → 123.45)."""

from django import template

from tongxin.finance.shares import to_yuan

register = template.Library()


@register.filter
def yuan(fen):
    return to_yuan(int(fen or 0))

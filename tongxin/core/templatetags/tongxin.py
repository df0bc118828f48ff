from django import template

from tongxin.core import privacy

register = template.Library()


@register.filter
def mask_phone(value):
    return privacy.mask_phone(value)


@register.filter
def mask_id(value):
    return privacy.mask_id_number(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")

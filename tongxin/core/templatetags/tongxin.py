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


@register.inclusion_tag("core/_place_notices.html", takes_context=True)
def place_notices(context, place):
    """The live notices of ``place`` and the places above it (one query), for any app's page."""
    from tongxin.core import place_notices as notices

    user = context.get("user")
    found = list(notices.live_for(place))
    for notice in found:
        notice.withdrawable = bool(user and user.is_authenticated and notices.can_publish(user, notice.place))
    return {"notices": found, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("core/_door_links.html")
def door_links(place, token):
    """Links the apps offer at a door's QR page (``MechanismConfig.door_links``)."""
    from tongxin.core.registry import door_links as links

    return {"links": links(place, token)}

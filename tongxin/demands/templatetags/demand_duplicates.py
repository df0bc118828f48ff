"""The staff detail page's "Possible duplicates" panel, as a tag: the page's view stays as it is."""

from django import template

from tongxin.demands import duplicates, merging, services

register = template.Library()


@register.simple_tag(takes_context=True)
def likely_duplicates(context, demand) -> dict:
    """Likely duplicates of ``demand`` at the user's places, and whether the user may merge it."""
    user = context["request"].user
    if not demand.is_open or not merging.STAFF & services.roles_of(user, demand):
        return {"found": [], "can_merge": False}
    return {
        "found": [(d, round(score * 100)) for d, score in duplicates.likely_duplicates(demand, user)],
        "can_merge": merging.can_merge(user, demand),
    }

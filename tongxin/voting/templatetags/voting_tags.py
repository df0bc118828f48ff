from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {"agree": _("Agree"), "disagree": _("Disagree"), "abstain": _("Abstain"), "": "—"}


@register.filter
def choice_label(value: str):
    return LABELS.get(value or "", value)


@register.filter
def answer_label(key: str):
    """"agree|disagree" (the published totals' key) as "Agree / Disagree"."""
    choice, _sep, how = (key or "").partition("|")
    return f"{LABELS.get(choice, choice)} / {LABELS.get(how, how)}" if how else str(LABELS.get(choice, choice))

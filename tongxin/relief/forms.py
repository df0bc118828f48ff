"""Relief forms: parsing and field errors; the rules live in ``rules.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.core.tags import TAG_BY_CODE
from tongxin.relief import rules
from tongxin.relief.models import Kind


class DistributionForm(forms.Form):
    place = forms.ChoiceField(label=_("Where"))
    title = forms.CharField(label=_("Title"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. winter quilts and rice")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    rule_tags = forms.MultipleChoiceField(
        label=_("Households eligible: a member living there is"), required=False,
        choices=[(tag, TAG_BY_CODE[tag].label) for tag in rules.RULE_TAGS], widget=forms.CheckboxSelectMultiple)

    def __init__(self, places, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.code, p.name) for p in places]


class ItemForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("relief", "Item"), max_length=60,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. quilt")}))
    unit = forms.CharField(label=_("Unit"), max_length=10,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. piece")}))
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)
    per_household = forms.IntegerField(label=pgettext_lazy("relief", "Per household"), min_value=1, max_value=1000,
                                       initial=1)


class AddHouseholdForm(forms.Form):
    place = forms.CharField(label=_("Building or entrance code"), max_length=64)
    unit_number = forms.CharField(label=_("Unit number"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=200)

"""Forms of rosters: parsing and field errors; the rules live in ``rules.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.rosters.models import RosterKind


class PlaceNameForm(forms.Form):
    place = forms.ChoiceField(label=_("Where"))
    name = forms.CharField(label=pgettext_lazy("roster", "Name"), max_length=60)

    def __init__(self, places, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.code, p.name) for p in places]


class RosterForm(PlaceNameForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RosterKind.choices)


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=pgettext_lazy("shift time", "From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=pgettext_lazy("shift time", "Until"),
                          help_text=_("An end before the start is the next morning."),
                          widget=forms.TimeInput(attrs={"type": "time"}))
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=20, initial=1)


class IncidentForm(forms.Form):
    text = forms.CharField(label=_("What did you find?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Raise a demand of kind"), required=False)

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("No demand, just log it"))] + [(c.code, c.name) for c in categories]

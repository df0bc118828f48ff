"""The booking and venue forms: parsing and field errors; the rules live in ``rules.py``."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [("1", _("Mon")), ("2", _("Tue")), ("3", _("Wed")), ("4", _("Thu")), ("5", _("Fri")),
            ("6", _("Sat")), ("7", _("Sun"))]


def half_hours(opens: datetime.time, closes: datetime.time, *, ends: bool) -> list[tuple[str, str]]:
    """The times a booking may start (or end) at, on the half hour within the venue's hours."""
    at = datetime.datetime.combine(datetime.date(2000, 1, 1), opens)
    last = datetime.datetime.combine(datetime.date(2000, 1, 1), closes)
    found = []
    if ends:
        at += datetime.timedelta(minutes=30)
    while at <= last if ends else at < last:
        found.append((f"{at:%H:%M}", f"{at:%H:%M}"))
        at += datetime.timedelta(minutes=30)
    return found


class BookingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.ChoiceField(label=_("From"))
    end = forms.ChoiceField(label=_("Until"))
    purpose = forms.CharField(label=_("Purpose"), max_length=120,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. dance team rehearsal")}))
    group = forms.CharField(label=_("For (team or group)"), max_length=60, required=False)
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, max_value=10000)
    form_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, venue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["start"].choices = half_hours(venue.opens, venue.closes, ends=False)
        self.fields["end"].choices = half_hours(venue.opens, venue.closes, ends=True)
        self.fields["attendees"].widget.attrs["max"] = venue.capacity

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        date = self.cleaned_data["date"]

        def at(value: str) -> datetime.datetime:
            return datetime.datetime.combine(date, datetime.time.fromisoformat(value), tzinfo=zone)

        return at(self.cleaned_data["start"]), at(self.cleaned_data["end"])


class VenueForm(forms.Form):
    place = forms.ChoiceField(label=_("Where"))
    name = forms.CharField(label=_("Name"), max_length=60,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. multi-purpose hall")}))
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10000)
    opens = forms.TimeField(label=_("Opens at"), initial="08:00", widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes at"), initial="21:00", widget=forms.TimeInput(attrs={"type": "time"}))
    open_days = forms.MultipleChoiceField(label=_("Open on"), choices=WEEKDAYS, initial=[d for d, _label in WEEKDAYS],
                                          widget=forms.CheckboxSelectMultiple)
    requires_approval = forms.BooleanField(label=_("Bookings need approval"), required=False, initial=True)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, places, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.code, p.name) for p in places]

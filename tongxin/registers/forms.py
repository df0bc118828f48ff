"""Register upkeep forms (台账维护): validated at the edge, explained in both languages."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.core.models import Gender, MemberRelation, Tenure
from tongxin.core.once import new_key
from tongxin.core.tags import TAG_BY_CODE, TAG_CHOICES
from tongxin.core.validators import id_birth_date, normalise_id_number, normalise_phone


class OnceForm(forms.Form):
    """Carries a one-time key so that a double-clicked submit acts once (core.once)."""

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_key", new_key())
        super().__init__(*args, **kwargs)


class HouseholdForm(OnceForm):
    unit_number = forms.CharField(label=_("Unit number"), max_length=40, help_text=_("For example 501 or 3-2-501"))
    floor_area = forms.DecimalField(
        label=_("Floor area (m²)"), required=False, min_value=Decimal("1"), max_value=Decimal("10000"),
        decimal_places=2, max_digits=8,
    )
    tenure = forms.ChoiceField(label=_("Tenure"), choices=Tenure.choices, initial=Tenure.OWNER_OCCUPIED)


class ConsentFields(forms.Form):
    """Sensitive groups that need separate consent (core.tags) ask who gave it."""

    consent_given_by = forms.CharField(
        label=_("Consent given by"), required=False, max_length=50,
        help_text=_("Needed for elderly living alone, left-behind child and disabled: the person's name, "
                    "or the guardian's for a child under 14"),
    )
    consent_by_guardian = forms.BooleanField(label=_("Given by a guardian"), required=False)

    def check_consent(self, cleaned, already: set[str] = frozenset()):
        new = [tag for tag in cleaned.get("tags", ()) if tag not in already and TAG_BY_CODE[tag].needs_consent]
        if new and not (cleaned.get("consent_given_by") or "").strip():
            labels = "、".join(str(TAG_BY_CODE[tag].label) for tag in new)
            self.add_error(
                "consent_given_by",
                _("%(groups)s can be recorded only with separate consent: say who gave it.") % {"groups": labels},
            )

    def consent(self):
        from tongxin.core.services.people import ConsentGiven

        given_by = (self.cleaned_data.get("consent_given_by") or "").strip()
        return ConsentGiven(given_by, self.cleaned_data.get("consent_by_guardian", False)) if given_by else None


class PersonForm(ConsentFields, OnceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    relation = forms.ChoiceField(label=_("Relation"), choices=MemberRelation.choices, initial=MemberRelation.FAMILY)
    lives_here = forms.BooleanField(label=_("Lives here"), required=False, initial=True)
    phone = forms.CharField(
        label=_("Mobile phone number"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Taken from the ID number when left empty"),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Groups"), choices=TAG_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    field_order = [
        "name", "relation", "lives_here", "phone", "id_number", "birth_date", "gender", "tags",
        "consent_given_by", "consent_by_guardian",
    ]

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_id_number(self):
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and not datetime.date(1900, 1, 1) <= born <= timezone.localdate():
            raise forms.ValidationError(_("Please enter a birth date between 1900 and today."), code="birth_date")
        return born

    def clean(self):
        cleaned = super().clean()
        id_number, born = cleaned.get("id_number"), cleaned.get("birth_date")
        if id_number:
            in_id = id_birth_date(id_number)
            if born and born != in_id:
                self.add_error("birth_date", _("The birth date does not match the ID number."))
            elif not born:
                cleaned["birth_date"] = in_id
        self.check_consent(cleaned)
        return cleaned


class MoveHouseholdForm(OnceForm):
    to_place = forms.CharField(
        label=_("Move to (place code or name)"), max_length=100, help_text=_("For example jz-dongyuan-ssh-b03-u2")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CoverageForm(OnceForm):
    places = forms.ModelMultipleChoiceField(
        label=_("Places this area covers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    on = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), initial=timezone.localdate,
        help_text=_("The old coverage ends on this day and stays in the history"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = candidates
        self.fields["places"].label_from_instance = lambda place: f"{place.name}（{place.get_kind_display()}）"

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("A redraw can be dated at most a year back."), code="too_old")
        return on


class TagsForm(ConsentFields, OnceForm):
    tags = forms.MultipleChoiceField(
        label=_("Groups"), choices=TAG_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    field_order = ["tags", "consent_given_by", "consent_by_guardian"]

    def __init__(self, *args, held: set[str] = frozenset(), **kwargs):
        self.held = set(held)
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.check_consent(cleaned, already=self.held)
        return cleaned


class ImportForm(OnceForm):
    file = forms.FileField(
        label=_("Register workbook (.xlsx)"),
        help_text=_("Fill in the template below, or use a file exported here. Files saved by WPS work too."),
    )
    check_only = forms.BooleanField(
        label=_("Only check the file; import nothing yet"), required=False, initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is over 50 MB; split it into several files."), code="too_big")
        return upload

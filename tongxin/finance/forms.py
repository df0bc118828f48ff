"""The staff pages' forms: an entry (amount in yuan through ``shares.to_fen``, a voucher
checked from its bytes) and the statements' forms. Errors are the services' bilingual
refusals, shown next to their field in the user's language."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.core.errors import RefusedError
from tongxin.core.once import new_key
from tongxin.finance import vouchers
from tongxin.finance.models import Direction
from tongxin.finance.shares import ShareError, to_fen

#: Offered in the category's datalist; any other category may be typed.
COMMON_CATEGORIES = {
    "income": ("停车费", "广告收入", "场地租金", "公共收益分成", "维修资金利息", "业主缴存维修资金", "其他收入"),
    "spending": ("维修", "保洁", "绿化", "办公", "水电费", "保安", "业委会会议费", "公示印刷", "其他支出"),
}
#: A refusal code of ``ledger.enter`` → the field it is about.
FIELD_OF_CODE = {
    "bad_direction": "direction", "no_category": "category", "no_description": "description",
    "amount_zero": "amount", "amount_invalid": "amount", "amount_precision": "amount",
    "fund_needs_decision": "decision", "fund_wrong_item": "decision", "fund_not_passed": "decision",
    "fund_wrong_place": "decision", "voucher_too_big": "voucher", "voucher_type": "voucher",
}


def _message(error) -> str:
    if isinstance(error, ShareError):
        error = RefusedError(error.code, error.message_zh, error.message_en)
    return error.message


class EntryForm(forms.Form):
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": _("Give the date"), "invalid": _("The date is not valid")})
    direction = forms.ChoiceField(label=_("Income or spending"), choices=Direction.choices,
                                  widget=forms.RadioSelect, error_messages={"required": _("Choose income or spending")})
    category = forms.CharField(label=_("Category"), max_length=40,
                               error_messages={"required": _("Give a category")})
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20,
                             error_messages={"required": _("Give the amount")})
    description = forms.CharField(label=_("Description"), max_length=300,
                                  error_messages={"required": _("Give a description")})
    voucher = forms.FileField(label=_("Voucher (photo or PDF, up to 10 MB)"), required=False)
    decision = forms.ModelChoiceField(label=_("Owners' decision allowing this spending"), queryset=None,
                                      required=False, empty_label=_("(none)"))

    def __init__(self, *args, decisions=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_key", new_key())
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        if decisions is None:
            del self.fields["decision"]
        else:
            self.fields["decision"].queryset = decisions

    def clean_amount(self):
        text = self.cleaned_data["amount"].strip().replace(",", "").replace("，", "").removeprefix("¥")
        try:
            fen = to_fen(text)
        except ShareError as error:
            raise forms.ValidationError(_message(error)) from None
        if fen <= 0:
            zero = RefusedError("amount_zero", "金额须大于零", "The amount must be above zero")
            raise forms.ValidationError(zero.message)
        return text

    def clean_voucher(self):
        upload = self.cleaned_data.get("voucher")
        if not upload:
            return None
        try:
            return vouchers.clean(upload)
        except RefusedError as refused:
            raise forms.ValidationError(refused.message) from None

    def refuse(self, refused: RefusedError) -> None:
        """Put a service's refusal next to its field (or above the form)."""
        self.add_error(FIELD_OF_CODE.get(refused.code), refused.message)


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)])


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, widget=forms.Textarea(
        attrs={"rows": 3}), error_messages={"required": _("Give the reason for the correction")})

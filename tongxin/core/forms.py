from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from tongxin.core import throttle
from tongxin.core.validators import normalise_phone


class LoginForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        phone, password = cleaned.get("phone"), cleaned.get("password")
        if not phone or password is None:
            return cleaned
        ip = throttle.client_ip(self.request)
        if throttle.is_locked(phone, ip):
            raise forms.ValidationError(
                _("Too many wrong attempts. Please wait 15 minutes and try again, or ask community staff for help."),
                code="locked",
            )
        user = authenticate(self.request, phone=phone, password=password)
        if user is None:
            throttle.record_failure(phone, ip)
            raise forms.ValidationError(_("The phone number or password is wrong."), code="invalid")
        throttle.record_success(phone)
        self.user = user
        return cleaned

"""Validation of what residents and staff type, with messages in their language."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1\d{10}$")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def normalise_phone(value: str) -> str:
    """Digits of a mainland mobile number; spaces and dashes dropped, +86 accepted."""
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if digits and not MOBILE_RE.match(digits):
        raise ValidationError(_("Please enter an 11-digit mobile number starting with 1."), code="phone")
    return digits


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(id_number: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def id_gender(id_number: str) -> str:
    """The 17th character is odd for men and even for women (GB 11643)."""
    return "male" if int(id_number[16]) % 2 else "female"


def normalise_id_number(value: str) -> str:
    """An 18-character resident ID (GB 11643): 17 digits and a check digit or X."""
    text = (value or "").strip().upper()
    if not text:
        return ""
    if not re.match(r"^\d{17}[\dX]$", text):
        raise ValidationError(_("An ID number has 18 characters: 17 digits, then a digit or X."), code="id_format")
    if id_birth_date(text) is None:
        raise ValidationError(_("The birth date inside this ID number is not a real date."), code="id_date")
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationError(_("This ID number's last character does not match; please check it."), code="id_check")
    return text

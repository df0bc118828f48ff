"""Personal information under the PIPL: masking, encryption, and the read log.

Masking happens here and only here: templates use the ``mask_phone``/``mask_id``
filters, serializers use :func:`masked_phone`/:func:`masked_id_number`. Seeing a value
unmasked is an explicit call to :func:`reveal`, which checks the viewer's permission on
the person's place and writes a :class:`PersonalDataRead` row.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import PermissionDenied


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; short or odd values keep only the last two."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(id_number: str) -> str:
    """A resident ID keeps its first and last character: ``4****************X``."""
    value = (id_number or "").strip()
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``: used where a list is shown to people outside the register."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def _fernet() -> Fernet:
    key = settings.TONGXIN_FIELD_KEY
    if not key:
        digest = hashlib.sha256(("tongxin-field-key:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def id_number_hash(id_number: str) -> str | None:
    """A keyed hash of a normalised ID number, for uniqueness and look-up without decrypting."""
    value = (id_number or "").strip().upper()
    if not value:
        return None
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    """A keyed hash of a phone number (digits only), for the read log of someone outside the
    registers (``PersonalDataRead.phone_hash``)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if not digits:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{digits}".encode(), hashlib.sha256).hexdigest()


def set_id_number(person, id_number: str) -> None:
    person.id_number_encrypted = encrypt(id_number.strip().upper())
    person.id_number_hash = id_number_hash(id_number)


def id_number_of(person) -> str:
    return decrypt(person.id_number_encrypted)


def can_see_personal(user, person) -> bool:
    from tongxin.core import access
    from tongxin.core.roles import VIEW_PERSONAL

    return access.can_see_path(user, VIEW_PERSONAL, person.home_path)


def reveal(user, person, *, context: str) -> dict[str, str]:
    """Unmasked phone and ID number for a viewer whose role needs them, logged."""
    from tongxin.core.models import PersonalDataRead

    if not can_see_personal(user, person):
        raise PermissionDenied("not allowed to see this person's personal information")
    PersonalDataRead.objects.create(user=user, person=person, fields="phone,id_number", context=context[:200])
    return {"phone": person.phone, "id_number": id_number_of(person)}


#: People per statement of :func:`log_reads` (SQLite allows 32,766 parameters).
LOG_READS_CHUNK = 5000


def log_reads(user, person_ids, *, fields: str, context: str) -> int:
    """Log that ``user`` saw these people's unmasked ``fields``: one ``INSERT … SELECT`` per
    5,000 people, so a page listing a building's residents costs one statement whatever its size."""
    from django.db import connection
    from django.utils import timezone

    from tongxin.core.models import Person, PersonalDataRead

    ids = list(dict.fromkeys(person_ids))
    quote = connection.ops.quote_name
    reads, people = quote(PersonalDataRead._meta.db_table), quote(Person._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), LOG_READS_CHUNK):
            chunk = ids[start:start + LOG_READS_CHUNK]
            cursor.execute(
                f"INSERT INTO {reads} (user_id, person_id, phone_hash, fields, context, at) "
                f"SELECT %s, id, '', %s, %s, %s FROM {people} WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [user.pk, fields[:100], context[:200], connection.ops.adapt_datetimefield_value(now), *chunk],
            )
    return len(ids)

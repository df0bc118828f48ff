"""Each household's own link to confirm a notice from a phone without logging in.

The link carries the notice, the household and an HMAC of both (Django's ``Signer``, keyed
by ``SECRET_KEY``): nothing is stored per household when a notice goes out to 100,000 homes,
and a link cannot be altered to confirm for a neighbour. Holding the link is the grant, as with
the door QR codes; it shows the notice and the household's unit number, nothing else.
"""

from django.core import signing
from django.urls import reverse

_SIGNER = signing.Signer(salt="tongxin.emergencies.household-link")


def signature(notice_id: int, household_id: int) -> str:
    return _SIGNER.signature(f"{notice_id}:{household_id}")


def is_valid(notice_id: int, household_id: int, given: str) -> bool:
    return signing.constant_time_compare(signature(notice_id, household_id), given)


def path(notice_id: int, household_id: int) -> str:
    return reverse("emergencies-confirm", args=[notice_id, household_id, signature(notice_id, household_id)])

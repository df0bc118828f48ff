"""At once, on PostgreSQL: two mediators ending the same case two ways (an agreement and a
failure) leave one outcome; a party confirming twice at the same moment signs once."""


import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.testing import errors_at_once, two_grids
from tongxin.mediation.models import Agreement, Case, Signature
from tongxin.mediation.services import cases as services
from tongxin.mediation.tests.support import open_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_agreement_and_a_failure_at_once_leave_one_outcome():
    assert connection.vendor == "postgresql"
    world = two_grids()
    staff = world.users["staff"]
    case = services.accept(staff, open_case(world))
    calls = [lambda: services.record_agreement(staff, case, form="oral", text="", terms="和解")] * 3
    calls += [lambda: services.fail(staff, case, "一方拒绝")] * 3
    errors = errors_at_once(calls)
    assert len(errors) == 5 and all(isinstance(e, RefusedError) and e.code == "wrong_state" for e in errors)
    case.refresh_from_db()
    assert case.outcome in ("agreement", "failed")
    assert Agreement.objects.filter(case=case).count() == (1 if case.outcome == "agreement" else 0)


def test_signing_twice_at_once_signs_once():
    from django.core.files.base import ContentFile

    world = two_grids()
    staff = world.users["staff"]
    case = services.accept(staff, open_case(world, typed=False))
    services.record_agreement(staff, case, form="written", text="", terms="赔偿")
    party = case.parties.order_by("order").first()
    sign = lambda: services.sign_on_paper(staff, case, party.pk, ContentFile(b"x", name="s.pdf"))  # noqa: E731
    errors = errors_at_once([sign] * 4)
    assert len(errors) == 3 and all(e.code == "already_signed" for e in errors)
    assert Signature.objects.filter(party=party, signed_at__isnull=False).count() == 1
    assert Case.objects.get(pk=case.pk).agreement.effective_on is None  # one of two parties

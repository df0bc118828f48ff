"""Schemathesis against /api/schema/ (issue 8), on the PostgreSQL leg: every operation of the
document /api/schema/ serves, called through the WSGI application (the whole Django stack,
middleware included, in this process and this test's transaction) as a staff member with a
token, with a few derandomised examples each: no answer is a server error, and every answer
matches the schema. Bounded: a handful of examples per operation, well under two minutes.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tongxin.demands.testing import catalogues  # noqa: F401 - autouse: the catalogue after a flush

#: Examples per operation: enough for the edges (empty, huge, odd characters), not a fuzzing campaign.
EXAMPLES = 8


def _world_with_demands(world):
    from tongxin.demands import services
    from tongxin.demands.models import Category
    from tongxin.demands.testing import file_report

    lamp = Category.objects.get(code="lighting")
    first = file_report(world.places["b1u1"], category=lamp, description="楼道灯坏了", name="王秀英",
                        phone="13812345678", key="st-1")
    file_report(world.places["b1u1"], category=lamp, description="楼道灯又坏了", key="st-2")
    services.act(world.users["staff"], first, "accept")


@pytest.fixture
def token(world):
    from rest_framework.authtoken.models import Token

    _world_with_demands(world)
    return Token.objects.create(user=world.users["staff"]).key


def _served_schema() -> dict:
    """The document /api/schema/ serves (generated from the code, no database needed)."""
    import json

    from django.test import Client

    answer = Client().get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200, answer.content[:500]
    return json.loads(answer.content)


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = get_wsgi_application()  # requests go through the WSGI handler, not a socket


@pytest.fixture
def app():
    """The WSGI application, as the test client runs it: a request's start and end must not
    close the connection that holds this test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema.app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.postgres
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema_and_never_with_a_server_error(case, token, app):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           checks=[not_a_server_error, response_schema_conformance])

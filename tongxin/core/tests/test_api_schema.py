import pytest
from django.core.management import call_command

from tongxin.core.api import build_router


@pytest.mark.django_db
def test_the_schema_describes_every_mechanism_route_without_guessing(tmp_path):
    """Schema warnings (an undocumented field, a guessed type) fail the suite."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    prefixes = [prefix for prefix, _viewset, _basename in build_router().registry]
    assert prefixes and all(f"/api/v1/{prefix}/" in schema for prefix in prefixes)
    assert "/api/v1/auth/token/" in schema

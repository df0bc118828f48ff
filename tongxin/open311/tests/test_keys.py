import pytest

from tongxin.cli import main
from tongxin.core.errors import RefusedError
from tongxin.open311 import keys
from tongxin.open311.models import ApiKey

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_kept_as_a_digest_and_reaches_only_its_places(world):
    key, raw = keys.issue("市12345热线", [world.places["grid_a"]])
    assert raw.startswith(f"tx_{key.prefix}_") and raw.split("_", 2)[2] not in key.digest
    assert keys.authenticate(raw) == key
    assert keys.authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert keys.authenticate("nonsense") is None and keys.authenticate("") is None
    assert keys.reaches(key, world.places["b1u1"])  # covered by grid A
    assert not keys.reaches(key, world.places["b2u1"])  # grid B's
    keys.revoke(key)
    assert keys.authenticate(raw) is None


def test_a_key_needs_a_name_and_places(world):
    with pytest.raises(RefusedError):
        keys.issue(" ", [world.places["grid_a"]])
    with pytest.raises(RefusedError):
        keys.issue("x", [])


def test_each_key_has_its_own_limit_per_minute(world):
    key, _raw = keys.issue("小程序", [world.places["community"]], per_minute=3)
    for _ in range(3):
        keys.count_use(key)
    with pytest.raises(RefusedError) as refused:
        keys.count_use(key)
    assert refused.value.code == "key_rate_limited"
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_the_console_issues_lists_and_revokes_keys(world, capsys):
    assert main(["apikey", "create", "--name", "市热线", "--place", world.places["community"].code]) == 0
    raw = capsys.readouterr().out.strip().splitlines()[-1]  # the key on the last line
    key = keys.authenticate(raw)
    assert key is not None and list(key.places.all()) == [world.places["community"]]
    assert main(["apikey", "list"]) == 0 and key.prefix in capsys.readouterr().out
    assert main(["apikey", "create", "--name", "x", "--place", "nowhere"]) == 2
    assert main(["apikey", "revoke", key.prefix]) == 0
    assert ApiKey.objects.get().revoked_at is not None and keys.authenticate(raw) is None

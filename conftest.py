"""Suite-wide fixtures and the CI legs' rules.

* Tests marked ``postgres`` or ``multiprocess`` run when the database is PostgreSQL;
  on SQLite they are skipped. On the PostgreSQL leg (``TONGXIN_CI_LEG=postgres``) a skip
  of such a test fails the run, so the leg can never pass vacuously.
* Browser tests use Debian's chromium (never a downloaded browser).
"""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from tongxin.core.browser import checked_page  # noqa: F401 - a fixture for every app's browser tests

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests judge results, never speed: no per-example deadline (a loaded CI machine
# would fail them for being slow, which is the benchmarks' business).
hypothesis_settings.register_profile("tongxin", deadline=None)
hypothesis_settings.load_profile("tongxin")


def pytest_configure(config):
    # Server threads of browser tests must not keep connections open past the session
    # (PostgreSQL then refuses to drop the test database). Production keeps them.
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0

LEG_MARKERS = ("postgres", "multiprocess")


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="runs on the PostgreSQL leg (set DATABASE_URL to a PostgreSQL database)")
    for item in items:
        if any(item.get_closest_marker(marker) for marker in LEG_MARKERS):
            item.add_marker(skip)


_leg_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and any(marker in report.keywords for marker in LEG_MARKERS):
        _leg_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("TONGXIN_CI_LEG") == "postgres" and _leg_skips:
        print(f"\nPostgreSQL leg: {len(_leg_skips)} leg-only tests were skipped: {_leg_skips[:5]}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def world(db):
    from tongxin.core.testing import two_grids

    return two_grids()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is Django's concern; tests log in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end idle sessions other contexts left open.

    Playwright's greenlets and hypothesis's runs each get their own connection object
    (asgiref's Local is per context); PostgreSQL refuses to drop a database in use.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached rows of an earlier test's database (a
    category list, a calendar) must not leak into the next."""
    from django.core.cache import cache

    from tongxin.core import memo

    cache.clear()
    memo.clear()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded photos go to a temporary folder, never to the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")

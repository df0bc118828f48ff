"""Test helpers shared by every app: a small tree with two grids and a role per grid.

``two_grids()`` builds: district → street → community → compound with two buildings of
two entrances each; grid A covers building 1, grid B covers building 2 (the compound is
split between grids). Each entrance has households with residents; people planted in
grid B carry ``OUTSIDE_MARKER`` in their names so scope tests can look for leaks.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections

from tongxin.core import counts
from tongxin.core.models import Household, HouseholdMember, Person, PersonTag, Place
from tongxin.core.privacy import set_id_number
from tongxin.core.services.people import ConsentGiven, add_tag, create_household, create_person, join_household
from tongxin.core.services.places import cover, create_place
from tongxin.core.services.roles import assign_role, create_login

PASSWORD = "test-pass-2026"
OUTSIDE_MARKER = "Zzmarker"


@dataclass
class World:
    places: dict[str, Place] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def valid_id(first17: str) -> str:
    """A resident ID number with its check digit (GB 11643), from its first 17 digits."""
    from tongxin.core.validators import id_check_digit

    return first17 + id_check_digit(first17)


def login_for(world: World, key: str, role: str, *, place=None, organisation=None, phone: str) -> object:
    person = create_person(name=f"{key}", phone=phone)
    assign_role(person, role, place=place, organisation=organisation)
    user = create_login(person, phone=phone, password=PASSWORD)
    world.users[key] = user
    world.people[key] = person
    return user


def two_grids(households_per_entrance: int = 3) -> World:
    world = World()
    p = world.places
    p["district"] = create_place(parent=None, kind="district", code="t-district", name="测试区")
    p["street"] = create_place(parent=p["district"], kind="street", code="t-street", name="测试街道")
    p["community"] = create_place(parent=p["street"], kind="community", code="t-community", name="测试社区")
    p["compound"] = create_place(parent=p["community"], kind="compound", code="t-compound", name="测试小区")
    p["grid_a"] = create_place(parent=p["community"], kind="grid", code="t-grid-a", name="第一网格")
    p["grid_b"] = create_place(parent=p["community"], kind="grid", code="t-grid-b", name="第二网格")
    serial = 0
    for b in (1, 2):
        building = create_place(parent=p["compound"], kind="building", code=f"t-b{b}", name=f"{b}栋")
        p[f"b{b}"] = building
        for u in (1, 2):
            entrance = create_place(parent=building, kind="entrance", code=f"t-b{b}-u{u}", name=f"{u}单元")
            p[f"b{b}u{u}"] = entrance
            for n in range(households_per_entrance):
                household = create_household(place=entrance, unit_number=f"{n + 1}01", floor_area=Decimal("80.50"))
                serial += 1
                name = f"居民{serial}" if b == 1 else f"{OUTSIDE_MARKER}{serial}"
                person = create_person(
                    name=name, phone=f"1370000{serial:04d}", id_number=valid_id(f"42010019800101{serial:03d}")
                )
                join_household(person, household, relation="owner", is_head=True)
                if n == 0:
                    add_tag(person, "party_member")
                if n == 1:
                    add_tag(person, "elderly_alone", consent=ConsentGiven(given_by=name))
    cover(p["grid_a"], [p["b1"]])
    cover(p["grid_b"], [p["b2"]])
    login_for(world, "worker_a", "grid_worker", place=p["grid_a"], phone="13100000001")
    login_for(world, "worker_b", "grid_worker", place=p["grid_b"], phone="13100000002")
    login_for(world, "staff", "community_staff", place=p["community"], phone="13100000003")
    login_for(world, "leader", "street_leader", place=p["street"], phone="13100000004")
    login_for(world, "chief_b1", "building_chief", place=p["b1"], phone="13100000005")
    return world


@contextmanager
def count_queries(using: str = "default"):
    """Every statement run inside the block, request boundaries included.

    (Django's CaptureQueriesContext loses statements when a request inside the block
    resets the query log, so counts across test-client requests use this instead.)
    """
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(record):
        yield statements


def bulk_households(entrances: list[Place], per_entrance: int, *, start: int = 0) -> int:
    """Many households with one resident each, quickly (bulk inserts, denormalised paths set)."""
    households = [
        Household(place=entrance, place_path=entrance.path, unit_number=f"{start + n}", floor_area=Decimal("70"))
        for entrance in entrances
        for n in range(per_entrance)
    ]
    Household.objects.bulk_create(households, batch_size=2000)  # sets pks on SQLite and PostgreSQL
    created = [(household.pk, household.place_path) for household in households]
    people = []
    for index, (hid, path) in enumerate(created):
        person = Person(name=f"批量{index}", phone="", household_id=hid, home_path=path)
        if index % 50 == 0:
            set_id_number(person, f"4201{hid:014d}")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    ids = [(person.pk, person.household_id) for person in people]
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(household_id=h, person_id=pid, relation="owner", valid_from="2026-01-01") for pid, h in ids],
        batch_size=2000,
    )
    PersonTag.objects.bulk_create(
        [PersonTag(person_id=pid, tag="party_member") for pid, _h in ids[::7]], batch_size=2000
    )
    counts.rebuild()  # bulk inserts bypass the services' counters
    return len(created)


class WebhookReceiver:
    """A real HTTP receiver on 127.0.0.1 for webhook tests and benchmarks.

    It checks every signature, keeps every delivery id it accepted (dropping repeats, as a
    receiver should), counts raw requests, and can refuse the first ``fail_first`` requests
    with HTTP 500. ``accepted`` maps delivery id → when it first arrived (for latency).
    With ``hold_at``, the request that brings the n-th accepted notice is answered only
    after ``hold_seconds``: ``holding`` is set meanwhile, so a test can kill the sender after
    the notice arrived and before the sender could record it.
    """

    def __init__(self, secret: str, *, fail_first: int = 0, hold_at: int | None = None, hold_seconds: float = 0):
        import json
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from tongxin.core.delivery import signature

        receiver = self
        self.secret, self.fail_first = secret, fail_first
        self.requests = 0
        self.accepted: dict[str, float] = {}
        self.bodies: list[dict] = []  # the notices accepted, parsed, in order of arrival
        self.repeats = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.hold_at, self.hold_seconds = hold_at, hold_seconds
        self.holding = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    failing = receiver.requests <= receiver.fail_first
                    good = self.headers.get("X-Tongxin-Signature") == signature(
                        receiver.secret, self.headers.get("X-Tongxin-Timestamp", ""), body
                    )
                    delivery = self.headers.get("X-Tongxin-Delivery-Id", "")
                    if not good:
                        receiver.bad_signatures += 1
                    elif not failing:
                        if delivery in receiver.accepted:
                            receiver.repeats += 1
                        else:
                            receiver.accepted[delivery] = time.time()
                            receiver.bodies.append(json.loads(body))
                    hold = receiver.hold_at is not None and len(receiver.accepted) == receiver.hold_at
                    if hold:
                        receiver.hold_at = None
                if hold:
                    receiver.holding.set()
                    time.sleep(receiver.hold_seconds)
                self.send_response(500 if failing or not good else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a ``db_worker`` process on this test's (PostgreSQL) database."""
    import os

    settings = connections["default"].settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    url = f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxin.settings", "DATABASE_URL": url, "TONGXIN_CONN_MAX_AGE": "0"}
    env.update(extra)
    return env


def start_worker(env: dict[str, str], *, interval: float = 0.2, log=None):
    """A real ``manage.py db_worker`` process."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", str(interval), "--no-startup-delay"],
        cwd=root, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
    )


def run_cli(env: dict[str, str], *args: str) -> str:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "tongxin.cli", *args], cwd=root, env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout


def wait_for(condition, seconds: float, *, step: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (for tests and benchmarks with processes)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def at_once(calls) -> list[BaseException | None]:
    """Run ``calls`` in threads released together, each on its own database connection (the
    concurrency tests, on PostgreSQL); returns what each raised, or None, in order."""
    import threading

    from django.db import connection

    barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(10)
            call()
        except BaseException as error:  # noqa: BLE001 - returned to the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def errors_at_once(calls) -> list[BaseException]:
    """What :func:`at_once` calls raised (none raised: empty)."""
    return [error for error in at_once(calls) if error is not None]


@contextmanager
def demo_loaded_twice(django_db_blocker, before, load, tables):
    """For a module-scoped fixture: the demo loaders ``before`` (each ``load(out)``), then
    ``load`` twice, in one transaction rolled back at the end; yields ``{"out", "first",
    "again"}`` (what the loaders printed, and the rows of ``tables`` after each ``load``)."""
    import io

    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                out = io.StringIO()
                for earlier in before:
                    earlier(out)
                load(out)
                first = {table.__name__: table.objects.count() for table in tables}
                load(out)
                again = {table.__name__: table.objects.count() for table in tables}
            yield {"out": out.getvalue(), "first": first, "again": again}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

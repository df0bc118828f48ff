"""Demands at city scale, figures side by side in one run (issue 7), on PostgreSQL.

1. **Submission throughput** through the real HTTP stack: gunicorn with 2 sync workers, a
   resident's QR report (CSRF, the QR code's place, rate limits, deadlines, the demand row)
   against a bare one-row insert view on the same stack. Target ≥ 0.5×. The rest of a
   report (its unit, the duplicate check, the staff notice, the deadline tasks) is the
   intake's (``services.take_in``), measured after as reports taken in per second by one
   worker process.
2. **Duplicate check** and **dashboard** time at 10,000 and at 1,000,000 demands. Target:
   the larger ≤ 2× the smaller.
3. The **workbench's query count** at both sizes: the same.

Data comes from bulk SQL (``generate_series``), never the ORM row by row. Uses
DATABASE_URL's server, else PostgreSQL on 127.0.0.1 (user postgres). Sizes:
``BENCH_DEMANDS_SIZES=10000,1000000`` (the default); ``BENCH_KEEP=1`` keeps the database
for profiling. Run: ``make bench`` or ``.venv/bin/python bench/bench_demands.py``.
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = [int(n) for n in os.environ.get("BENCH_DEMANDS_SIZES", "10000,1000000").split(",")]
COMMUNITIES, COMPOUNDS, BUILDINGS = 20, 5, 10  # × 2 entrances: 2,000 doors, 100 grids
CLIENTS, SECONDS, PORT, ROUNDS = 8, 15, 8765, 5


def server_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        return base.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def build_tree():
    """A street of 20 communities; each community one grid covering its 5 compounds of 10
    buildings with 2 entrances; a grid worker per grid, the street's leader."""
    import datetime

    from tongxin.core.models import GridCoverage
    from tongxin.core.services.people import create_person
    from tongxin.core.services.places import create_place
    from tongxin.core.services.roles import assign_role, create_login

    district = create_place(parent=None, kind="district", code="bd", name="基准区")
    street = create_place(parent=district, kind="street", code="bs", name="基准街道")
    people = {}
    for c in range(COMMUNITIES):
        community = create_place(parent=street, kind="community", code=f"bc{c}", name=f"第{c}社区")
        grid = create_place(parent=community, kind="grid", code=f"bg{c}", name=f"第{c}网格")
        for k in range(COMPOUNDS):
            compound = create_place(parent=community, kind="compound", code=f"bc{c}k{k}", name=f"{c}-{k}小区")
            GridCoverage.objects.create(grid=grid, place=compound, valid_from=datetime.date(2020, 1, 1))
            for b in range(BUILDINGS):
                building = create_place(parent=compound, kind="building", code=f"bc{c}k{k}b{b}", name=f"{b}栋")
                for u in (1, 2):
                    create_place(parent=building, kind="entrance", code=f"bc{c}k{k}b{b}u{u}", name=f"{u}单元")
        if c == 0:
            person = create_person(name="网格员0", phone="13900000000")
            assign_role(person, "grid_worker", place=grid)
            people["worker"] = create_login(person, phone="13900000000", password="bench-pass-2026")
    leader = create_person(name="街道领导", phone="13900000001")
    assign_role(leader, "street_leader", place=street)
    people["leader"] = create_login(leader, phone="13900000001", password="bench-pass-2026")
    return people


TEXTS = [
    "3单元楼道灯坏了，晚上很黑", "垃圾桶满了两天没人清运", "消防通道被私家车占了", "电梯又坏了，老人上不去",
    "楼上漏水到我家卫生间", "小区门口路灯不亮", "绿化带里有人种菜", "楼道里堆满了杂物", "充电桩用不了",
    "噪音扰民，晚上十二点还在装修", "想咨询老年人优待证怎么办理", "下水道堵了，污水漫出来",
]


def generate(cursor, first: int, last: int) -> None:
    """Demands ``first``..``last`` spread over three years: most closed, the last month's open."""
    cursor.execute("""
        INSERT INTO demands_demand (
            tracking_code, place_id, place_path, unit_id, unit_path, level_id, category_id, description,
            reporter_name, reporter_phone, source, state, client_key, created_at, updated_at,
            respond_by, resolve_by, responded_at, resolved_at, closed_at, escalations, extensions, reworks,
            rating, rating_comment)
        SELECT 'B' || lpad(to_hex(g), 9, '0'), e.place_id, e.path, e.unit_id, e.unit_path, e.unit_id,
               c.ids[1 + g %% array_length(c.ids, 1)], t.texts[1 + g %% array_length(t.texts, 1)],
               '', '', 'qr', s.state, '', s.at, s.at,
               s.at + interval '1 day', s.at + interval '7 days',
               CASE WHEN s.state <> 'received' THEN s.at + interval '3 hours' END,
               CASE WHEN s.state IN ('closed', 'resolved', 'verified') THEN s.at + interval '2 days' END,
               CASE WHEN s.state IN ('closed', 'rejected', 'merged') THEN s.at + interval '3 days' END,
               0, 0, 0,
               CASE WHEN s.state = 'closed' AND g %% 3 = 0 THEN 3 + g %% 3 END, ''
        FROM generate_series(%(first)s, %(last)s) AS g
        JOIN bench_door e ON e.idx = g %% (SELECT count(*) FROM bench_door)
        CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM demands_category) c
        CROSS JOIN (SELECT %(texts)s::text[] AS texts) t
        CROSS JOIN LATERAL (
            SELECT now() - (g %% 1095) * interval '1 day' - (g %% 24) * interval '1 hour' AS at,
                   CASE WHEN g %% 1095 < 30 THEN (ARRAY['received','accepted','dispatched','in_progress'])[1 + g %% 4]
                        WHEN g %% 50 = 0 THEN 'rejected' WHEN g %% 37 = 0 THEN 'merged' ELSE 'closed' END AS state
        ) s
    """, {"first": first, "last": last, "texts": TEXTS})
    # Their timelines, as the services would have written them: report, accept, resolve, close, rate.
    steps = [
        ("report", "''", "'received'", "'reporter'", "created_at", "TRUE"),
        ("accept", "'received'", "'accepted'", "'dispatcher'", "responded_at",
         "responded_at IS NOT NULL AND state NOT IN ('rejected', 'merged')"),
        ("reject", "'received'", "'rejected'", "'dispatcher'", "closed_at", "state = 'rejected'"),
        ("merge", "'received'", "'merged'", "'dispatcher'", "closed_at", "state = 'merged'"),
        ("resolve", "'in_progress'", "'resolved'", "'handler'", "resolved_at", "resolved_at IS NOT NULL"),
        ("close", "'verified'", "'closed'", "'dispatcher'", "closed_at", "state = 'closed'"),
        ("rate", "'closed'", "'closed'", "'reporter'", "closed_at + interval '1 hour'", "rating IS NOT NULL"),
    ]
    for action, before, after, role, at, when in steps:
        cursor.execute(f"""
            INSERT INTO demands_demandevent (demand_id, action, from_state, to_state, actor_role, note, at)
            SELECT id, '{action}', {before}, {after}, {role}, '', {at} FROM demands_demand
            WHERE tracking_code BETWEEN %(a)s AND %(b)s AND {when}
        """, {"a": f"B{first:09x}", "b": f"B{last:09x}"})
    cursor.execute("UPDATE demands_demand SET rated_at = closed_at + interval '1 hour', taken_in_at = created_at "
                   "WHERE tracking_code BETWEEN %(a)s AND %(b)s", {"a": f"B{first:09x}", "b": f"B{last:09x}"})


def timed(func, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure_size(size: int, people: dict) -> dict:
    from django.test import Client

    from tongxin.core.models import Place
    from tongxin.core.testing import count_queries

    found = {}
    doors = list(Place.objects.filter(kind="entrance").order_by("?")[:50])
    try:
        from tongxin.demands import duplicates
    except ImportError:
        duplicates = None
    if duplicates is not None:
        from tongxin.demands.models import Category, Demand

        lights = Category.objects.get(code="lighting")
        probes = [Demand(place=d, place_path=d.path, category=lights, description="楼道的灯坏了好几天") for d in doors]
        runs = iter(probes * 10)
        found["duplicate check (ms)"] = 1000 * timed(lambda: duplicates.likely_duplicates(next(runs)), 200)
    client = Client()
    client.force_login(people["leader"])
    from django.urls import NoReverseMatch, reverse

    try:
        dashboard = reverse("indicators-dashboard")
    except NoReverseMatch:
        dashboard = None
    if dashboard:
        client.get(dashboard)  # warm
        found["dashboard (ms)"] = 1000 * timed(lambda: client.get(dashboard), 20)
    worker = Client()
    worker.force_login(people["worker"])
    worker.get("/demands/")
    with count_queries() as queries:
        worker.get("/demands/")
    found["workbench queries"] = len(queries)
    found["workbench (ms)"] = 1000 * timed(lambda: worker.get("/demands/"), 20)
    return found


# --- HTTP -------------------------------------------------------------------------------


def start_gunicorn(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "http_settings",
           "PYTHONPATH": f"{HERE}:{ROOT}", "TONGXIN_TRUSTED_PROXIES": "127.0.0.1", "TONGXIN_CONN_MAX_AGE": "600"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "tongxin.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "2", "--timeout", "60", "--log-level", "warning",
         *(["--config", os.environ["BENCH_GUNICORN_CONFIG"]] if os.environ.get("BENCH_GUNICORN_CONFIG") else [])],
        cwd=ROOT, env=env)
    for _ in range(100):
        try:
            HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/bench/insert/")
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def load(make_request, seconds: float) -> float:
    """Requests per second from ``CLIENTS`` keep-alive clients for ``seconds``."""
    done, stop = [0] * CLIENTS, time.monotonic() + seconds

    def client(n):
        conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
        state = {}
        while time.monotonic() < stop:
            status = make_request(conn, state)
            assert status in (200, 201, 302), status
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - start)


def bare_insert(conn, state) -> int:
    conn.request("POST", "/bench/insert/", body=b"", headers={"Content-Length": "0"})
    response = conn.getresponse()
    response.read()
    return response.status


def make_report(tokens: list[str], category_id: int):
    def report(conn, state) -> int:
        token = random.choice(tokens)
        if "csrf" not in state:  # the form once per client, as a phone keeps its cookie
            conn.request("GET", f"/q/{token}/")
            page = conn.getresponse()
            body = page.read().decode()
            cookie = page.getheader("Set-Cookie").split(";")[0]
            state["csrf"] = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            state["cookie"] = cookie
        form = urlencode({"csrfmiddlewaretoken": state["csrf"], "form_key": uuid.uuid4().hex,
                          "category": category_id, "description": random.choice(TEXTS)})
        address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        conn.request("POST", f"/q/{token}/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": state["cookie"],
            "X-Forwarded-For": address, "Referer": f"http://127.0.0.1:{PORT}/q/{token}/"})
        response = conn.getresponse()
        response.read()
        return response.status
    return report


def http_throughput(database_url: str) -> dict:
    from tongxin.core.models import Place
    from tongxin.demands.models import Category
    from tongxin.demands.services import ensure_qr_codes

    doors = list(Place.objects.filter(kind="entrance"))
    tokens = list(ensure_qr_codes(doors).values())
    lights = Category.objects.get(code="lighting").pk
    server = start_gunicorn(database_url)
    try:
        load(bare_insert, 2)  # warm both workers
        report = make_report(tokens, lights)
        # Alternating rounds, so a machine whose speed drifts (a shared VM) drifts for both
        # sides alike; the ratio is the median of the rounds'.
        rounds = [(load(bare_insert, SECONDS / ROUNDS), load(report, SECONDS / ROUNDS)) for _ in range(ROUNDS)]
    finally:
        server.terminate()
        server.wait(30)
    bare = statistics.mean(b for b, _r in rounds)
    reports = statistics.mean(r for _b, r in rounds)
    return {"bare insert (req/s)": bare, "QR report (req/s)": reports,
            "ratio (median of rounds)": statistics.median(r / b for b, r in rounds),
            "ratio, worst round": min(r / b for b, r in rounds), "intake (reports/s)": intake_rate()}


def intake_rate(seconds: float = 20) -> float:
    """What one worker process takes in per second of the reports just filed: the report's
    step, its unit, the duplicate check, the staff notice and two deadline tasks each."""
    from tongxin.demands.services import take_in_waiting

    taken, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds and (batch := take_in_waiting(100)):
        taken += batch
    return taken / (time.perf_counter() - started)


def main() -> None:
    server = server_url()
    name = f"tongxin_bench_demands_{os.getpid()}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True)
    except psycopg.OperationalError:
        print("needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432): skipped")
        return
    admin.execute(f"CREATE DATABASE {name}")
    database_url = f"{server}/{name}"
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tongxin.settings",
                      TONGXIN_VAR_DIR=os.environ.get("TONGXIN_VAR_DIR", "/tmp/tongxin-bench-demands"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        people = build_tree()
        with connection.cursor() as cursor:
            cursor.execute("""
                CREATE TABLE bench_door AS
                SELECT row_number() OVER (ORDER BY p.id) - 1 AS idx, p.id AS place_id, p.path,
                       g.id AS unit_id, g.path AS unit_path
                FROM core_place p
                JOIN core_gridcoverage gc ON p.path LIKE (SELECT path FROM core_place WHERE id = gc.place_id) || '%%'
                JOIN core_place g ON g.id = gc.grid_id
                WHERE p.kind = 'entrance'
            """)
            cursor.execute("CREATE UNIQUE INDEX ON bench_door (idx)")
        print(f"tree: {time.perf_counter() - started:.1f} s")
        results, made = {}, 0
        for size in SIZES:
            started = time.perf_counter()
            with connection.cursor() as cursor:
                generate(cursor, made + 1, size)
                cursor.execute("ANALYZE")
            made = size
            rebuild = None
            try:
                from tongxin.indicators import rollups
            except ImportError:
                rollups = None
            if rollups is not None:
                rebuild = timed(rollups.rebuild_rollups, 1)
            print(f"{size:,} demands generated in {time.perf_counter() - started:.1f} s"
                  + (f"; rollups rebuilt in {rebuild:.1f} s" if rebuild is not None else ""), flush=True)
            results[size] = measure_size(size, people)
        http = http_throughput(database_url)
        print()
        print(f"{'figure':<26}" + "".join(f"{size:>14,}" for size in SIZES) + f"{'larger/smaller':>16}")
        for figure in results[SIZES[0]]:
            values = [results[size][figure] for size in SIZES]
            ratio = values[-1] / values[0] if values[0] else float("nan")
            print(f"{figure:<26}" + "".join(f"{v:>14.1f}" for v in values) + f"{ratio:>15.2f}×")
        print()
        print(f"HTTP, gunicorn 2 sync workers, {CLIENTS} clients, {ROUNDS} alternating rounds, {SECONDS} s each side,"
              f" at {SIZES[-1]:,} demands:")
        for figure, value in http.items():
            print(f"  {figure:<22} {value:8.2f}")
        print("targets: duplicate check and dashboard larger ≤ 2× smaller; workbench queries equal; ratio ≥ 0.5")
    finally:
        connection.close()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept: DATABASE_URL={database_url} (drop it with: dropdb -h 127.0.0.1 -U postgres {name})")
        else:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()

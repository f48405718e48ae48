"""Sync API under gunicorn: records/s beside a bare executemany endpoint, and a 200-client burst.

    .venv/bin/python bench/sync_bench.py --db sqlite --results
    .venv/bin/python bench/sync_bench.py --db postgresql --results

A fresh database (SQLModel.metadata.create_all) with the demo core (fieldapp.demo.load_demo:
commune, thôn, users), then two gunicorn servers on 127.0.0.1, each with gunicorn.conf.py
(2 sync workers): the app (`wsgi:app`) and bench/reference_app.py on the same database.
Phase 1, throughput: a few client threads send batches of 100 records (50 households and a
visit of each, the visit naming its household by UUID) to POST /api/v1/sync with device
tokens from POST /api/v1/auth/token, then the same kind of batches to the reference; the two
alternate, twice. Phase 2, burst: 200 client threads, each with its own token, send one batch
of 50 records at the same moment; 5xx responses, "database is locked" in the gunicorn log,
stored rows (exactly 10,000, each once), latency percentiles, and `flask aggregates check`'s
comparison (aggregates.services.check) afterwards. Every request has a timeout; the servers
are stopped (process group) whatever happens.
"""

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

from common import OUT, ROOT, SECRET, db_url, fresh_database, make_app, percentile, write_section

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CLIENT_TIME = "2025-12-31T20:00:00+07:00"  # the phones' clock: records of 2025 are in its past
TIMEOUT = 600  # seconds for any one request: bounds the run even if a server stalls


def build_database(url: str) -> dict:
    """Create the schema, load the demo core; returns the member's user and thôn ids."""
    from sqlmodel import Session, SQLModel, select

    import fieldapp.models  # noqa: F401
    from fieldapp.auth.models import User
    from fieldapp.demo import load_demo

    fresh_database(url)
    app = make_app(url)
    engine = app.extensions["engine"]
    SQLModel.metadata.create_all(engine)
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        load_demo(session)
        member = session.exec(select(User).where(User.username == "tocns")).one()
    engine.dispose()
    return {"user_id": member.id, "area_id": member.area_id}


class Server:
    """One gunicorn with gunicorn.conf.py on a loopback port, in its own process group."""

    def __init__(self, name: str, target: str, port: int, env: dict, extra=()):
        self.log_path = OUT / f"gunicorn_{name}.log"
        self.port = port
        self.log = self.log_path.open("w")
        cmd = [GUNICORN, "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", *extra, target]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env, "PORT": str(port)},
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str, seconds: float = 60) -> None:
        """Poll until the server answers 200."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {self.log_path}")
            try:
                if request(self.port, "GET", path, None, timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn not ready on port {self.port}")

    def stop(self) -> None:
        """TERM the process group, KILL it if it lingers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()

    def log_count(self, needle: str) -> int:
        """Lines of the server's log containing needle."""
        return sum(needle in line for line in self.log_path.read_text(errors="replace").splitlines())


def request(port: int, method: str, path: str, body: bytes | None, token: str | None = None,
            timeout: float = TIMEOUT) -> tuple[int, bytes]:
    """One HTTP request on loopback; returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def device_token(port: int, label: str) -> str:
    """A device token for the demo team member."""
    status, body = request(port, "POST", "/api/v1/auth/token",
                           json.dumps({"username": "tocns", "password": "demo1234", "label": label}).encode())
    assert status == 200, (status, body[:300])
    return json.loads(body)["token"]


def batch(rng: random.Random, marker: int, pairs: int) -> tuple[bytes, list[str]]:
    """A sync body of `pairs` households and one visit each; returns (JSON bytes, uuids)."""
    def uid():
        # Valid UUIDs whose first group marks the phase, so stored rows can be counted per phase.
        return str(uuid.UUID(f"{marker:08x}{rng.getrandbits(96):024x}"))

    records = []
    for i in range(pairs):
        hid, vid = uid(), uid()
        members = rng.randint(1, 7)
        adults = rng.randint(1, members)
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        records.append({"type": "household", "uuid": hid, "client_time": CLIENT_TIME, "data": {
            "head_name": f"Nguyễn Văn Đồng {marker % 1000}-{i}", "address": f"Xóm {rng.randint(1, 8)}",
            "phone": f"09{rng.randrange(10**8):08d}", "members": members, "adults": adults,
            "adults_dvctt": rng.randint(0, adults), "adults_vneid2": rng.randint(0, adults),
            "consent_given": True, "registered_on": day}})
        records.append({"type": "visit", "uuid": vid, "client_time": CLIENT_TIME, "data": {
            "household_uuid": hid, "visited_at": f"{day}T09:30:00+07:00", "result": "helped",
            "services": rng.sample(["vneid_1", "vneid_2", "portal", "insurance"], rng.randint(1, 2)),
            "adults_guided": rng.randint(1, adults), "dossiers_submitted": rng.randint(0, 2),
            "adults_dvctt_after": rng.randint(0, adults)}})
    return json.dumps({"records": records}).encode(), [r["uuid"] for r in records]


class Tally:
    """Statuses and latencies of many requests, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.http: dict[int, int] = {}
        self.records: dict[str, int] = {}
        self.errors: list[str] = []

    def send(self, port: int, path: str, body: bytes, token: str | None) -> None:
        """Send one batch and record how it went."""
        started = time.perf_counter()
        try:
            status, payload = request(port, "POST", path, body, token)
        except OSError as err:  # refused, reset or timed out: counted, never retried
            with self.lock:
                self.errors.append(repr(err))
            return
        ms = (time.perf_counter() - started) * 1000
        results = json.loads(payload)["results"] if status == 200 else []
        with self.lock:
            self.latencies.append(ms)
            self.http[status] = self.http.get(status, 0) + 1
            for r in results:
                self.records[r["status"]] = self.records.get(r["status"], 0) + 1


def run_clients(port: int, path: str, work: list[tuple[str | None, list[bytes]]]) -> tuple[Tally, float]:
    """One thread per (token, bodies); all start together; returns the tally and the wall time."""
    tally = Tally()
    gate = threading.Barrier(len(work) + 1)

    def client(token, bodies):
        gate.wait()
        for body in bodies:
            tally.send(port, path, body, token)

    threads = [threading.Thread(target=client, args=w, daemon=True) for w in work]
    for t in threads:
        t.start()
    gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=TIMEOUT * 2)
    return tally, time.perf_counter() - started


def count_rows(url: str, marker: int) -> dict:
    """Stored households and visits of one phase, and their distinct UUIDs."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in ("household", "visit"):
            n, distinct = conn.execute(text(
                f"SELECT COUNT(*), COUNT(DISTINCT uuid) FROM {table} WHERE uuid LIKE :m"),
                {"m": f"{marker:08x}-%"}).one()
            out[table], out[f"{table}_distinct"] = n, distinct
    engine.dispose()
    return out


def drop_rows(url: str, markers: list[int]) -> None:
    """Delete the reference endpoint's rows (they have no history or aggregates to undo)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for m in markers:
            for table in ("visit", "household"):
                conn.execute(text(f"DELETE FROM {table} WHERE uuid LIKE :m"), {"m": f"{m:08x}-%"})
    engine.dispose()


def check_aggregates(url: str) -> int:
    """Differences between the maintained aggregate tables and a rebuild (0 = exact)."""
    from sqlmodel import Session

    app = make_app(url)
    from fieldapp.aggregates.services import check

    with Session(app.extensions["engine"]) as session:
        diffs = check(session)
    app.extensions["engine"].dispose()
    return len(diffs)


def main() -> None:
    """Parse options, run both phases with the servers up, stop them, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=4, help="client threads in the throughput phase")
    parser.add_argument("--batches", type=int, default=25, help="batches of 100 per client per turn")
    parser.add_argument("--warmup", type=int, default=2,
                        help="untimed batches per client to each endpoint first (each worker's first "
                             "requests import, compile and cache; not what a day of syncing costs)")
    parser.add_argument("--turns", type=int, default=2, help="app/reference alternations")
    parser.add_argument("--ref-factor", type=int, default=4,
                        help="the reference gets this many times the batches (it is far faster; "
                             "a longer phase times it better)")
    parser.add_argument("--burst", type=int, default=200, help="clients in the burst")
    parser.add_argument("--burst-records", type=int, default=50, help="records per burst client (even)")
    parser.add_argument("--port", type=int, default=18600, help="app port; the reference uses port + 1")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--name", default="bench_sync",
                        help="bench database: bench/out/<name>.db, or PostgreSQL fieldapp_<name>")
    parser.add_argument("--results", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    url = db_url(args.db, args.name)
    ids = build_database(url)
    env = {"DATABASE_URL": url, "FIELDAPP_ENV": "development", "SECRET_KEY": SECRET}
    app_srv = Server(f"app_{args.db}", "wsgi:app", args.port, env)
    ref_srv = Server(f"reference_{args.db}", "reference_app:app", args.port + 1,
                     {**env, "REF_AREA_ID": str(ids["area_id"]), "REF_USER_ID": str(ids["user_id"])},
                     extra=("--pythonpath", str(ROOT / "bench")))
    try:
        app_srv.wait_ready("/api/v1/openapi.json")
        ref_srv.wait_ready("/")
        out = run(args, url, app_srv, ref_srv)
    finally:
        app_srv.stop()
        ref_srv.stop()
    out["locked_in_log"] = app_srv.log_count("database is locked") + ref_srv.log_count("database is locked")
    out["tracebacks_in_log"] = app_srv.log_count("Traceback")
    # The reference wrote rows without aggregates by design: remove them, then check the rest.
    drop_rows(url, [p["marker"] for p in out["phases"] if p["endpoint"] == "reference"]
              + [out["warm_reference"]])
    out["aggregate_check_diffs"] = check_aggregates(url)
    print(json.dumps(out, indent=1))
    if args.results:
        report(args, url, out)


def run(args, url: str, app_srv: Server, ref_srv: Server) -> dict:
    """Throughput turns, then the burst; returns every figure."""
    rng = random.Random(args.seed)
    tokens = [device_token(app_srv.port, f"bench {i}") for i in range(max(args.clients, args.burst))]
    marker = 0xB0000000
    phases = []
    endpoints = (("app", app_srv, "/api/v1/sync"), ("reference", ref_srv, "/"), ("equal", ref_srv, "/equal"))
    for name, srv, path in endpoints:
        marker += 1
        run_clients(srv.port, path, [(tokens[c] if name == "app" else None,
                                      [batch(rng, marker, 50)[0] for _ in range(args.warmup)])
                                     for c in range(args.clients)])
        if name == "reference":  # its rows have no aggregates: removed before the check
            warm_reference = marker
    for turn in range(args.turns):
        for name, srv, path in endpoints:
            marker += 1
            n = args.batches * {"reference": args.ref_factor, "equal": 2}.get(name, 1)
            # Bodies are encoded before the clock starts: the clients should cost the server little.
            work = [(tokens[c] if name == "app" else None,
                     [batch(rng, marker, 50)[0] for _ in range(n)]) for c in range(args.clients)]
            tally, seconds = run_clients(srv.port, path, work)
            rows = count_rows(url, marker)
            sent = args.clients * n * 100
            phases.append({"turn": turn + 1, "endpoint": name, "marker": marker, "records": sent,
                           "seconds": seconds,
                           "records_per_s": sent / seconds, "http": tally.http, "statuses": tally.records,
                           "errors": len(tally.errors), "rows": rows,
                           "batch_p50": percentile(tally.latencies, 50),
                           "batch_p95": percentile(tally.latencies, 95)})
            print(f"turn {turn + 1} {name}: {sent / seconds:,.0f} records/s", file=sys.stderr, flush=True)
    marker += 1
    pairs = args.burst_records // 2
    work = [(tokens[c], [batch(rng, marker, pairs)[0]]) for c in range(args.burst)]
    tally, seconds = run_clients(app_srv.port, "/api/v1/sync", work)
    rows = count_rows(url, marker)
    burst = {"clients": args.burst, "records_each": pairs * 2, "expected": args.burst * pairs * 2,
             "seconds": seconds, "http": tally.http, "statuses": tally.records, "errors": tally.errors[:5],
             "error_count": len(tally.errors), "rows": rows,
             "p50": percentile(tally.latencies, 50), "p95": percentile(tally.latencies, 95),
             "p99": percentile(tally.latencies, 99), "max": max(tally.latencies, default=float("nan"))}
    print(f"burst: {burst['http']} in {seconds:.1f} s", file=sys.stderr, flush=True)
    return {"phases": phases, "burst": burst, "warm_reference": warm_reference}


def report(args, url: str, out: dict) -> None:
    """The run as a RESULTS.md section."""
    lines = ["| turn | endpoint | records | seconds | records/s | batch p50 (ms) | batch p95 (ms) "
             "| HTTP | record statuses | rows stored (household + visit) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for p in out["phases"]:
        stored = p["rows"]["household"] + p["rows"]["visit"]
        lines.append(f"| {p['turn']} | {p['endpoint']} | {p['records']:,} | {p['seconds']:.1f} "
                     f"| {p['records_per_s']:,.0f} | {p['batch_p50']:.0f} | {p['batch_p95']:.0f} "
                     f"| {p['http']} | {p['statuses']} | {stored:,} |")
    def rate(endpoint):
        phases = [p for p in out["phases"] if p["endpoint"] == endpoint]
        return sum(p["records"] for p in phases) / sum(p["seconds"] for p in phases)

    app, ref, equal = rate("app"), rate("reference"), rate("equal")
    ratio, equal_ratio = app / ref, app / equal
    b = out["burst"]
    stored = b["rows"]["household"] + b["rows"]["visit"]
    distinct = b["rows"]["household_distinct"] + b["rows"]["visit_distinct"]
    five = sum(n for code, n in b["http"].items() if int(code) >= 500)
    verdict = "exact" if stored == distinct == b["expected"] else "NOT exact"
    tracebacks = out["tracebacks_in_log"]
    latency = " / ".join(f"{b[k]:,.0f}" for k in ("p50", "p95", "p99", "max"))
    body = f"""Fresh database `{url}` with the demo core; gunicorn -c gunicorn.conf.py (2 sync workers,
bound to 127.0.0.1 with -b) serving `wsgi:app` and `bench/reference_app.py` on the same database.
Batches of 100 records (50 households + a visit of each, the visit naming its household by UUID);
{args.clients} client threads x {args.batches} batches per turn ({args.batches * args.ref_factor} for the
reference, which is far faster); bodies encoded before the clock. First, untimed, {args.warmup} batches
per client to each endpoint (a worker's first requests import, compile and fill caches).
The bare reference (`POST /`) inserts the same records with one Core executemany per table, no
token, validation, history or aggregates. The equal-work reference (`POST /equal`,
`bench/equal_work.py`) writes exactly the rows the sync path writes for the batch (the records
and their history rows, the household updates the visits carry with theirs, the aggregate and
member upserts at thôn, commune and province) by raw executemany in one transaction, without
token or validation.

{chr(10).join(lines)}

Throughput, all turns: app {app:,.0f} records/s; bare reference {ref:,.0f} records/s -> **{ratio:.1%}**
of the bare reference; equal-work reference {equal:,.0f} records/s -> **{equal_ratio:.1%}** of the
equal-work reference (goal >= 50% of the equal-work reference:
**{"met" if equal_ratio >= 0.5 else "NOT met"}**).

Burst: {b['clients']} clients x {b['records_each']} records at once, one token each:

| figure | value |
|---|---|
| wall time | {b['seconds']:.1f} s |
| HTTP statuses | {b['http']} (5xx: **{five}**; connection errors: {b['error_count']}) |
| record statuses | {b['statuses']} |
| rows stored / distinct UUIDs / expected | {stored:,} / {distinct:,} / {b['expected']:,} -> **{verdict}** |
| "database is locked" in the gunicorn logs | **{out['locked_in_log']}** (app log tracebacks: {tracebacks}) |
| request latency p50 / p95 / p99 / max | {latency} ms |
| aggregates check (bare rows removed, equal-work rows kept): diffs | {out['aggregate_check_diffs']} |
"""
    write_section(f"sync-{args.db}", f"Sync API under gunicorn — {args.db}", body, url)


if __name__ == "__main__":
    main()

"""Sync under faults: gunicorn killed with SIGKILL mid-batch, lost responses, device clocks off by days.

    .venv/bin/python bench/fault_bench.py --db sqlite --results
    .venv/bin/python bench/fault_bench.py --db postgresql --results

A fresh database (SQLModel.metadata.create_all + fieldapp.demo.load_demo core) and gunicorn
(gunicorn.conf.py, 2 workers, bound to 127.0.0.1) in its own process group, marked with the
environment variable FIELDAPP_BENCH_MARKER so only this script's processes are ever signalled
(by process group id, never by name).
1. Kill runs: a client drains an outbox of batches (households + a visit of each) through
   POST /api/v1/sync, dropping a record only when the answer names its UUID created or
   duplicate, and retrying everything else; once a batch picked at random is sent, within a
   random few milliseconds (a batch takes about ten), the whole process group
   (master and workers) gets SIGKILL, the server is restarted, the client keeps retrying.
   Figures: acknowledged-but-missing (acknowledged UUIDs absent from the database) and rows
   exact (each UUID of the run stored exactly once).
2. Response lost after commit: each batch is sent, its answer thrown away (read, or the socket
   closed before reading), then sent again. Figure: duplicates (rows minus distinct UUIDs).
3. Device clock off: batches whose client_time and dates are the device's, offset by -3 days
   to +3 days. Figure: rejections.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from common import OUT, ROOT, SECRET, db_url, fresh_database, make_app, write_section

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TIMEOUT = 120  # seconds for any one request


def build_database(url: str) -> None:
    """Fresh schema and the demo core (commune, thôn, users)."""
    from sqlmodel import Session, SQLModel

    import fieldapp.models  # noqa: F401
    from fieldapp.demo import load_demo

    fresh_database(url)
    app = make_app(url)
    engine = app.extensions["engine"]
    SQLModel.metadata.create_all(engine)
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        load_demo(session)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn -c gunicorn.conf.py wsgi:app on loopback, in a process group of its own."""

    def __init__(self, name: str, url: str, port: int, workers: int = 2, extra: tuple = ()):
        self.name, self.url, self.port, self.workers, self.extra = name, url, port, workers, extra
        self.log_path = OUT / f"gunicorn_{name}.log"
        self.log_path.write_text("")
        self.proc = None
        self.restarts = 0

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.url, "FIELDAPP_ENV": "development",
               "SECRET_KEY": SECRET, "PORT": str(self.port), "WEB_CONCURRENCY": str(self.workers),
               "FIELDAPP_BENCH_MARKER": f"{self.name}-{os.getpid()}"}
        with self.log_path.open("a") as log:
            self.proc = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{self.port}",
                 "--name", f"fieldapp-{self.name}", *self.extra, "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {self.log_path}")
            try:
                if request(self.port, "GET", "/api/v1/openapi.json", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready on port {self.port}")

    def worker_pids(self) -> list[int]:
        """The master's children (the workers)."""
        try:
            text = open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers, no clean-up of any kind."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log_count(self, needle: str) -> int:
        return sum(needle in line for line in self.log_path.read_text(errors="replace").splitlines())


def request(port: int, method: str, path: str, body: bytes | None = None, token: str | None = None,
            timeout: float = TIMEOUT, headers: dict | None = None) -> tuple[int, bytes]:
    """One HTTP request on loopback; returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def device_token(port: int, label: str, username: str = "tocns") -> str:
    status, body = request(port, "POST", "/api/v1/auth/token", json.dumps(
        {"username": username, "password": "demo1234", "label": label}).encode())
    assert status == 200, (status, body[:300])
    return json.loads(body)["token"]


def records(rng: random.Random, marker: int, pairs: int, device_now: datetime | None = None) -> list[dict]:
    """`pairs` households and a visit of each, UUIDs prefixed by marker, dates from the device's clock."""
    now = (device_now or datetime.now(UTC)).astimezone(LOCAL)
    out = []
    for i in range(pairs):
        hid, vid = (str(uuid.UUID(f"{marker:08x}{rng.getrandbits(96):024x}")) for _ in range(2))
        members = rng.randint(1, 7)
        adults = rng.randint(1, members)
        day = now.date() - timedelta(days=rng.randint(0, 2))
        stamp = now.isoformat()
        out.append({"type": "household", "uuid": hid, "client_time": stamp, "data": {
            "head_name": f"Trần Thị Lụa {marker % 10000}-{i}", "address": f"Xóm {rng.randint(1, 8)}",
            "phone": f"09{rng.randrange(10**8):08d}", "members": members, "adults": adults,
            "adults_dvctt": rng.randint(0, adults), "adults_vneid2": rng.randint(0, adults),
            "consent_given": True, "registered_on": day.isoformat()}})
        visited = min(now, datetime.combine(day, datetime.min.time(), LOCAL) + timedelta(hours=9))
        out.append({"type": "visit", "uuid": vid, "client_time": stamp, "data": {
            "household_uuid": hid, "visited_at": visited.isoformat(), "result": "helped",
            "services": rng.sample(["vneid_1", "vneid_2", "portal", "insurance"], rng.randint(1, 2)),
            "adults_guided": rng.randint(1, adults), "dossiers_submitted": rng.randint(0, 2),
            "adults_dvctt_after": rng.randint(0, adults)}})
    return out


def stored(url: str, marker: int) -> dict[str, set[str] | int]:
    """UUIDs stored under a marker (households and visits) and the row count."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    uuids, rows = set(), 0
    with engine.connect() as conn:
        for table in ("household", "visit"):
            got = conn.execute(text(f"SELECT uuid FROM {table} WHERE uuid LIKE :m"),
                               {"m": f"{marker:08x}-%"}).scalars().all()
            rows += len(got)
            uuids.update(str(u) for u in got)
    engine.dispose()
    return {"uuids": uuids, "rows": rows}


class Outbox:
    """A phone's outbox: drops a record only on created/duplicate for its UUID."""

    def __init__(self, port: int, token: str, batches: list[list[dict]]):
        self.port, self.token, self.batches = port, token, batches
        self.acked: set[str] = set()
        self.statuses: dict[str, int] = {}
        self.attempts = self.failures = 0
        self.in_flight = False

    def drain(self, deadline: float) -> None:
        for batch in self.batches:
            pending = list(batch)
            while pending and time.monotonic() < deadline:
                self.attempts += 1
                self.in_flight = True
                try:
                    status, body = request(self.port, "POST", "/api/v1/sync",
                                           json.dumps({"records": pending}).encode(), self.token)
                    results = json.loads(body)["results"] if status == 200 else None
                except (OSError, ValueError, KeyError, http.client.HTTPException):
                    status, results = None, None
                finally:
                    self.in_flight = False
                if not isinstance(results, list):
                    self.failures += 1
                    self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
                    time.sleep(0.1)
                    continue
                done = set()
                for r in results:
                    self.statuses[r["status"]] = self.statuses.get(r["status"], 0) + 1
                    if r["status"] in ("created", "duplicate"):
                        done.add(r["uuid"])
                self.acked |= done
                pending = [r for r in pending if r["uuid"] not in done]


def kill_runs(server: Server, url: str, token: str, args, rng: random.Random) -> dict:
    """Runs of: outbox draining while the server is killed at a random moment and restarted."""
    out = {"runs": 0, "kills_in_flight": 0, "acked_missing": 0, "expected": 0, "rows": 0,
           "distinct": 0, "not_exact_runs": 0, "attempts": 0, "failed_attempts": 0, "statuses": {}}
    for run in range(args.runs):
        marker = 0xFA000000 + (1 << 20) * (1 if url.startswith("sqlite") else 2) + run
        batches = [records(rng, marker, args.pairs) for _ in range(args.batches)]
        box = Outbox(server.port, token, batches)
        client = threading.Thread(target=box.drain, args=(time.monotonic() + 240,), daemon=True)
        client.start()
        # Aim at a batch: one takes about ten milliseconds, so a kill at a random moment would
        # mostly land between batches. Wait for a random one to be sent, then kill within it.
        target = rng.randrange(args.batches)
        deadline = time.monotonic() + 10
        while not (box.in_flight and box.attempts > target) and client.is_alive() \
                and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, args.within))
        in_flight = box.in_flight
        server.kill()
        out["kills_in_flight"] += in_flight
        server.start()
        server.restarts += 1
        client.join()
        got = stored(url, marker)
        expected = {r["uuid"] for b in batches for r in b}
        out["runs"] += 1
        out["acked_missing"] += len(box.acked - got["uuids"])
        out["expected"] += len(expected)
        out["rows"] += got["rows"]
        out["distinct"] += len(got["uuids"])
        out["not_exact_runs"] += not (got["uuids"] == expected == box.acked and got["rows"] == len(expected))
        out["attempts"] += box.attempts
        out["failed_attempts"] += box.failures
        for k, v in box.statuses.items():
            out["statuses"][k] = out["statuses"].get(k, 0) + v
        print(f"run {run + 1}: in flight {in_flight}, acked {len(box.acked)}/{len(expected)}, "
              f"rows {got['rows']}, attempts {box.attempts}", flush=True)
        server.wait_ready()
    return out


def lost_responses(port: int, url: str, token: str, args, rng: random.Random, marker: int) -> dict:
    """Each batch sent, its answer thrown away (read or socket closed unread), then sent again."""
    statuses: dict[str, int] = {}
    expected = set()
    for i in range(args.runs):
        body = {"records": records(rng, marker, args.pairs)}
        expected |= {r["uuid"] for r in body["records"]}
        raw = json.dumps(body).encode()
        if i % 2:
            request(port, "POST", "/api/v1/sync", raw, token)  # committed; the phone never saw it
        else:  # the phone goes away before the answer: send, close without reading
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
            conn.request("POST", "/api/v1/sync", body=raw, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            conn.close()
        status, answer = request(port, "POST", "/api/v1/sync", raw, token)
        for r in json.loads(answer)["results"] if status == 200 else [{"status": f"http {status}"}]:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    got = stored(url, marker)
    return {"batches": args.runs, "expected": len(expected), "rows": got["rows"],
            "distinct": len(got["uuids"]), "duplicates": got["rows"] - len(got["uuids"]),
            "missing": len(expected - got["uuids"]), "statuses": statuses}


def clock_skew(port: int, url: str, token: str, rng: random.Random, marker: int) -> dict:
    """Batches from devices whose clocks are off by -3 days to +3 days."""
    rows = []
    for hours in (-72, -49, -24, -3, 3, 24, 49, 72):
        device_now = datetime.now(UTC) + timedelta(hours=hours)
        status, answer = request(port, "POST", "/api/v1/sync", json.dumps(
            {"records": records(rng, marker, 10, device_now)}).encode(), token)
        results = json.loads(answer)["results"] if status == 200 else []
        counts = {}
        for r in results:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        errors = [r["errors"] for r in results if r["status"] == "rejected"][:2]
        rows.append({"offset_h": hours, "http": status, "statuses": counts, "errors": errors})
    rejected = sum(r["statuses"].get("rejected", 0) for r in rows) + sum(20 for r in rows if r["http"] != 200)
    return {"batches": rows, "rejected": rejected, "stored": stored(url, marker)["rows"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batches", type=int, default=6, help="batches per kill run")
    parser.add_argument("--pairs", type=int, default=20, help="households (each with a visit) per batch")
    parser.add_argument("--within", type=float, default=0.01,
                        help="kill uniform(0, this) s after the batch was sent")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    url = db_url(args.db, "faults")
    started = time.monotonic()
    build_database(url)
    server = Server(f"faults_{args.db}", url, free_port())
    server.start()
    try:
        server.wait_ready()
        token = device_token(server.port, "fault bench")
        kills = kill_runs(server, url, token, args, rng)
        lost = lost_responses(server.port, url, token, args, rng, 0xFB000000)
        skew = clock_skew(server.port, url, token, rng, 0xFC000000)
    finally:
        server.stop()
    out = {"kills": kills, "lost": lost, "skew": skew, "restarts": server.restarts,
           "locked_in_log": server.log_count("database is locked"),
           "tracebacks_in_log": server.log_count("Traceback"), "seconds": time.monotonic() - started}
    print(json.dumps(out, indent=1, default=str))
    if args.results:
        report(args, url, out)


def report(args, url: str, out: dict) -> None:
    k, lost, skew = out["kills"], out["lost"], out["skew"]
    ok = k["not_exact_runs"] == 0 and k["rows"] == k["distinct"] == k["expected"]
    exact = "exact" if ok else "NOT exact"
    skew_lines = "\n".join(f"| {r['offset_h']:+d} h | {r['http']} | {r['statuses']} |"
                           for r in skew["batches"])
    rows = f"{k['rows']:,} / {k['distinct']:,} / {k['expected']:,}"
    body = f"""Fresh database `{url}` (create_all + demo core); gunicorn -c gunicorn.conf.py, 2 workers,
127.0.0.1, own process group. Total wall time {out['seconds']:.0f} s.

**Kill -9 during sync** ({k['runs']} runs; each: an outbox of {args.batches} batches x {args.pairs * 2}
records drained by one client; once a batch picked at random is sent, after uniform(0,
{args.within}) s, SIGKILL to the process group (master + workers), restart,
the client retries every record not answered created/duplicate):

| figure | value |
|---|---|
| kills with a batch in flight | {k['kills_in_flight']} of {k['runs']} |
| acknowledged-but-missing | **{k['acked_missing']}** |
| rows stored / distinct UUIDs / sent | {rows} -> **{exact}** (runs not exact: {k['not_exact_runs']}) |
| sync attempts / failed (connection lost, refused, non-200) | {k['attempts']} / {k['failed_attempts']} |
| answers seen | {k['statuses']} |

**Response lost after the commit** ({lost['batches']} batches x {args.pairs * 2} records, each sent,
its answer dropped — read and ignored, or the socket closed before reading — then sent again):
rows {lost['rows']:,} / distinct {lost['distinct']:,} / sent {lost['expected']:,}: duplicates =
**{lost['duplicates']}**, missing = {lost['missing']}; answers to the resend: {lost['statuses']}.

**Device clock off** (20 records per batch, client_time and the record dates from the device's
clock): rejections = **{skew['rejected']}**, rows stored {skew['stored']} of {20 * len(skew['batches'])}.

| device clock | HTTP | answers |
|---|---|---|
{skew_lines}

"database is locked" in the gunicorn log: **{out['locked_in_log']}**; tracebacks: {out['tracebacks_in_log']}.
"""
    write_section(f"faults-{args.db}", f"Faults: kill -9, lost responses, clock skew — {args.db}", body, url)


if __name__ == "__main__":
    main()

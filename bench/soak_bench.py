"""Load and soak: 200 concurrent clients on loopback syncing and reading pages for --minutes.

    .venv/bin/python bench/soak_bench.py --db sqlite --minutes 10 --results
    .venv/bin/python bench/soak_bench.py --db postgresql --minutes 10 --results

A fresh database (create_all + demo core), gunicorn -c gunicorn.conf.py (2 workers, 127.0.0.1,
own process group, marked by FIELDAPP_BENCH_MARKER; only its process group is ever signalled).
Each of --clients threads gets its own device token, then until the time is up picks, after a
random pause of uniform(0, 2 x --think) s, one of: a sync batch (--pairs households and a
visit of each; the client resends whatever is not answered created/duplicate), the public page
/cong-khai, the officer's /dashboard, the team member's /households (signed-in sessions made
through the real /login form), or /api/v1/reference. Figures: HTTP statuses (5xx = 0), "database
is locked" lines in the gunicorn log, latency p50/p95/p99 per kind, rows exact (every
acknowledged UUID stored exactly once), and VmRSS of each worker (/proc/<pid>/status) at the
start, every minute, and at the end.
"""

import argparse
import http.client
import json
import random
import re
import runpy
import threading
import time
import urllib.parse

from common import ROOT, percentile, write_section
from fault_bench import Server, build_database, db_url, device_token, free_port, records, request, stored

KINDS = (("sync", 50), ("public", 15), ("dashboard", 15), ("households", 15), ("reference", 5))


def login(port: int, username: str) -> str:
    """Sign in through the HTML form (CSRF token included); returns the Cookie header value."""
    def cookies(resp, jar):
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, v = value.split(";", 1)[0].split("=", 1)
                jar[k] = v
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/login")
    resp = conn.getresponse()
    page = resp.read().decode()
    cookies(resp, jar)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": csrf, "username": username, "password": "demo1234"})
    conn.request("POST", "/login", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    resp = conn.getresponse()
    resp.read()
    cookies(resp, jar)
    conn.close()
    assert resp.status == 302, resp.status
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def rss_mb(pids: list[int]) -> dict[int, float]:
    """VmRSS of each process in MB."""
    out = {}
    for pid in pids:
        try:
            text = open(f"/proc/{pid}/status").read()
            out[pid] = int(re.search(r"VmRSS:\s+(\d+) kB", text).group(1)) / 1024
        except (OSError, AttributeError):
            pass
    return out


class Load:
    """The clients' shared tally."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {k: [] for k, _ in KINDS}
        self.http: dict[str, int] = {}
        self.records: dict[str, int] = {}
        self.errors: list[str] = []
        self.acked: set[str] = set()
        self.sent: set[str] = set()

    def note(self, kind: str, status, ms: float | None) -> None:
        with self.lock:
            self.http[str(status)] = self.http.get(str(status), 0) + 1
            if ms is not None:
                self.latency[kind].append(ms)


def client(n: int, port: int, token: str, cookies: dict, args, load: Load, end: float) -> None:
    rng = random.Random(args.seed * 1000 + n)
    paths = {"public": ("/cong-khai?xa=21220", None), "dashboard": ("/dashboard", cookies["canbo"]),
             "households": ("/households/?page=1", cookies["tocns"])}
    outbox: list[dict] = []
    while time.monotonic() < end:
        time.sleep(rng.uniform(0, 2 * args.think))
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        started = time.perf_counter()
        try:
            if kind == "sync":
                if not outbox:
                    outbox = records(rng, args.marker, args.pairs)
                    with load.lock:
                        load.sent.update(r["uuid"] for r in outbox)
                status, body = request(port, "POST", "/api/v1/sync",
                                       json.dumps({"records": outbox}).encode(), token)
                if status == 200:
                    done = set()
                    for r in json.loads(body)["results"]:
                        with load.lock:
                            load.records[r["status"]] = load.records.get(r["status"], 0) + 1
                        if r["status"] in ("created", "duplicate"):
                            done.add(r["uuid"])
                    with load.lock:
                        load.acked |= done
                    outbox = [r for r in outbox if r["uuid"] not in done]
            elif kind == "reference":
                status, _ = request(port, "GET", "/api/v1/reference", None, token)
            else:
                path, cookie = paths[kind]
                status, _ = request(port, "GET", path, None, headers={"Cookie": cookie} if cookie else {})
        except (OSError, http.client.HTTPException, ValueError) as err:
            with load.lock:
                load.errors.append(f"{kind}: {err!r}")
            load.note(kind, "error", None)
            continue
        load.note(kind, status, (time.perf_counter() - started) * 1000)
    if outbox:  # the time is up: send what is left, as a phone would, until it is acknowledged
        for _ in range(5):
            raw = json.dumps({"records": outbox}).encode()
            status, body = request(port, "POST", "/api/v1/sync", raw, token)
            if status == 200:
                done = {r["uuid"] for r in json.loads(body)["results"]
                        if r["status"] in ("created", "duplicate")}
                with load.lock:
                    load.acked |= done
                outbox = [r for r in outbox if r["uuid"] not in done]
            if not outbox:
                break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--pairs", type=int, default=3, help="households (each with a visit) per sync batch")
    parser.add_argument("--think", type=float, default=15.0, help="mean pause between requests (s)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-recycle", action="store_true",
                        help="--max-requests 0: the same worker processes all along, to see memory growth")
    parser.add_argument("--results", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    args.marker = 0x50A00000
    url = db_url(args.db, "faults_soak")
    build_database(url)
    extra = ("--max-requests", "0") if args.no_recycle else ()
    server = Server(f"soak_{args.db}", url, free_port(), extra=extra)
    server.start()
    samples = []
    try:
        server.wait_ready()
        port = server.port
        tokens = [None] * args.clients

        def get_tokens(i0):
            for i in range(i0, args.clients, 8):
                tokens[i] = device_token(port, f"soak {i}")
        fetchers = [threading.Thread(target=get_tokens, args=(i,)) for i in range(8)]
        for t in fetchers:
            t.start()
        for t in fetchers:
            t.join()
        cookies = {u: login(port, u) for u in ("canbo", "tocns")}
        for path, cookie in (("/dashboard", cookies["canbo"]), ("/households/?page=1", cookies["tocns"]),
                             ("/cong-khai?xa=21220", "")):  # warm every page once
            request(port, "GET", path, None, headers={"Cookie": cookie})
        workers = server.worker_pids()
        seen = set(workers)
        samples.append((0.0, rss_mb(workers)))
        load = Load()
        started = time.monotonic()
        end = started + args.minutes * 60
        threads = [threading.Thread(target=client, args=(n, port, tokens[n], cookies, args, load, end),
                                    daemon=True) for n in range(args.clients)]
        for t in threads:
            t.start()
        while time.monotonic() < end:
            time.sleep(min(60, max(0.1, end - time.monotonic())))
            seen.update(server.worker_pids())
            samples.append(((time.monotonic() - started) / 60, rss_mb(server.worker_pids())))
            print(f"{samples[-1][0]:.1f} min: {load.http} rss {samples[-1][1]}", flush=True)
        for t in threads:
            t.join(timeout=600)
        seen.update(server.worker_pids())
        samples.append(((time.monotonic() - started) / 60, rss_mb(server.worker_pids())))
        same_workers = sorted(server.worker_pids()) == sorted(workers)
    finally:
        server.stop()
    got = stored(url, args.marker)
    out = {"http": load.http, "records": load.records, "errors": len(load.errors),
           "error_examples": load.errors[:5], "sent": len(load.sent), "acked": len(load.acked),
           "rows": got["rows"], "distinct": len(got["uuids"]),
           "acked_missing": len(load.acked - got["uuids"]),
           "latency": {k: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95),
                           "p99": percentile(v, 99)} for k, v in load.latency.items()},
           "all": {p: percentile([x for v in load.latency.values() for x in v], p) for p in (50, 95, 99)},
           "rss": samples, "same_workers": same_workers, "worker_processes": len(seen),
           "locked_in_log": server.log_count("database is locked"),
           "tracebacks_in_log": server.log_count("Traceback")}
    print(json.dumps(out, indent=1, default=str))
    if args.results:
        report(args, url, out)


def report(args, url: str, out: dict) -> None:
    five = sum(n for code, n in out["http"].items() if code.isdigit() and int(code) >= 500)
    exact = out["rows"] == out["distinct"] == out["acked"] == out["sent"] and out["acked_missing"] == 0
    lat = "\n".join(f"| {k} | {v['n']:,} | {v['p50']:,.0f} | {v['p95']:,.0f} | {v['p99']:,.0f} |"
                    for k, v in out["latency"].items())
    a = out["all"]
    rows = f"{out['rows']:,} / {out['distinct']:,} / {out['acked']:,} / {out['sent']:,}"
    tb = out["tracebacks_in_log"]
    def row(t, sample):
        cells = " | ".join(f"{mb:.1f} (pid {pid})" for pid, mb in sorted(sample.items()))
        return f"| {t:.1f} | {cells} |"
    rss = "\n".join(row(t, s) for t, s in out["rss"])
    start, last = out["rss"][0][1], out["rss"][-1][1]
    growth = ", ".join(f"pid {p}: {last[p] - start[p]:+.1f} MB" if p in last else f"pid {p}: recycled"
                       for p in sorted(start))
    peak = max((v for _, s in out["rss"] for v in s.values()), default=float("nan"))
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    recycle = ("--max-requests 0" if args.no_recycle else
               f"max_requests {conf['max_requests']} + jitter {conf['max_requests_jitter']}, as configured")
    body = f"""Fresh database `{url}` (create_all + demo core); gunicorn -c gunicorn.conf.py (2 gthread
workers x 4 threads, 127.0.0.1). {args.clients} client threads in one process, each with its own
device token, for {args.minutes:g} minutes; pause uniform(0, {2 * args.think:g}) s between a
client's requests; mix: sync batch of {args.pairs * 2} records 50%, /cong-khai 15%, /dashboard
(officer) 15%, /households (team member) 15%, /api/v1/reference 5%.

| figure | value |
|---|---|
| HTTP statuses | {out['http']} (5xx: **{five}**; connection errors: {out['errors']}) |
| record answers | {out['records']} |
| sync rows stored / distinct / acknowledged / sent | {rows} -> **{"exact" if exact else "NOT exact"}** |
| "database is locked" in the gunicorn log | **{out['locked_in_log']}** (tracebacks: {tb}) |
| latency, all requests p50 / p95 / p99 | {a[50]:,.0f} / {a[95]:,.0f} / {a[99]:,.0f} ms |
| worker RSS peak (goal <= 120 MB) | {peak:.1f} MB |
| worker RSS end - start | {growth} (worker processes seen: {out['worker_processes']}; {recycle}) |

| request | count | p50 (ms) | p95 (ms) | p99 (ms) |
|---|---|---|---|---|
{lat}

Worker VmRSS (MB) by minute:

| minute | worker 1 | worker 2 |
|---|---|---|
{rss}
"""
    title = f"Load and soak: {args.clients} clients, {args.minutes:g} min — {args.db}"
    write_section(f"soak-{args.db}", title, body, url)


if __name__ == "__main__":
    main()

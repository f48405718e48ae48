"""Dashboard and public page server time on a generated database, beside GROUP BY over raw tables.

    .venv/bin/python bench/generate.py --scale province --db sqlite      # once
    .venv/bin/python bench/dashboard_bench.py --scale province --db sqlite --results

In one run: reports.services.overview() for the first commune and for the province, and the
full GET of /dashboard (a viewer of each level, created by generate.py) and /cong-khai through
the Flask test client, N times each -> p50 and p95; then the same figures computed by GROUP BY
over the raw record tables (per-child households, adults, DVCTT and VNeID adults, surveys,
feedback and visits; monthly surveys, visits and DVCTT stock), checked equal to the dashboard's,
and the ratio of the two medians. The year is 2025, the year generate.py fills.
"""

import argparse
import cProfile
import json
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta

from common import BENCH_PASSWORD, OUT, db_url, make_app, percentile, write_section

YEAR = 2025


def login(app, username: str):
    """A test client signed in through the real login form."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    resp = client.post("/login", data={"username": username, "password": BENCH_PASSWORD,
                                       "csrf_token": token})
    assert resp.status_code == 302, (username, resp.status_code)
    return client


def timed(fn) -> tuple[float, float]:
    """Milliseconds one call takes: wall clock, and CPU time of this process.

    The CPU time leaves out waiting for a core on a busy machine (SQLite runs in this process;
    PostgreSQL's own work is in its server processes and is not counted there).
    """
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


class GroupBy:
    """The dashboard's main figures straight from the raw tables, one GROUP BY per question."""

    def __init__(self, session, root, year: int):
        from fieldapp.areas.models import PROVINCE

        self.session, self.root, self.year = session, root, year
        # A record's thôn is its leaf area; the dashboard's rows are the root's children.
        self.child_col = "a.parent_id" if root.level == PROVINCE else "a.id"
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        t0 = datetime(year, 1, 1, tzinfo=UTC) - timedelta(hours=7)
        t0 = t0.replace(tzinfo=None)  # stored as naive UTC
        params = {"root": f"{root.path}%", "first": date(year, 1, 1), "next": date(year + 1, 1, 1),
                  "t0": t0, "t1": t0.replace(year=year + 1)}
        if self.sqlite:  # compare as the stored text: 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS.ffffff'
            params |= {k: v.isoformat(" ") if isinstance(v, datetime) else v.isoformat()
                       for k, v in params.items() if k != "root"}
        self.params = params

    def _q(self, sql: str):
        from sqlalchemy import text

        return self.session.connection().execute(text(sql), self.params).all()

    def run(self) -> dict:
        """Every figure, as plain dicts, from raw rows only."""
        month = self._month
        child = self.child_col
        out = {}
        # Stock: households and their adults registered up to the end of the year, per child.
        out["households"] = {r[0]: tuple(int(x or 0) for x in r[1:]) for r in self._q(f"""
            SELECT {child}, COUNT(*), SUM(h.adults), SUM(h.adults_dvctt), SUM(h.adults_vneid2)
            FROM household h JOIN area a ON a.id = h.area_id
            WHERE a.path LIKE :root AND h.deleted_at IS NULL AND h.registered_on < :next
            GROUP BY {child}""")}
        out["surveys"] = {r[0]: (int(r[1]), int(r[2])) for r in self._q(f"""
            SELECT {child}, COUNT(*), SUM(CASE WHEN s.overall IN (4, 5) THEN 1 ELSE 0 END)
            FROM survey s JOIN area a ON a.id = s.area_id
            WHERE a.path LIKE :root AND s.deleted_at IS NULL
              AND s.surveyed_on >= :first AND s.surveyed_on < :next
            GROUP BY {child}""")}
        out["feedback"] = {r[0]: (int(r[1]), int(r[2])) for r in self._q(f"""
            SELECT {child}, COUNT(*), SUM(CASE WHEN f.status = 'published' THEN 1 ELSE 0 END)
            FROM feedback f JOIN area a ON a.id = f.area_id
            WHERE a.path LIKE :root AND f.deleted_at IS NULL
              AND f.received_on >= :first AND f.received_on < :next
            GROUP BY {child}""")}
        # Visits count in commune time (UTC+7): the year's bounds are shifted, not each row.
        out["visits"] = {r[0]: int(r[1]) for r in self._q(f"""
            SELECT {child}, COUNT(*) FROM visit v JOIN area a ON a.id = v.area_id
            WHERE a.path LIKE :root AND v.deleted_at IS NULL
              AND v.visited_at >= :t0 AND v.visited_at < :t1
            GROUP BY {child}""")}
        out["visits_by_month"] = {r[0]: int(r[1]) for r in self._q(f"""
            SELECT {month('v.visited_at', local=True)}, COUNT(*) FROM visit v JOIN area a ON a.id = v.area_id
            WHERE a.path LIKE :root AND v.deleted_at IS NULL
              AND v.visited_at >= :t0 AND v.visited_at < :t1
            GROUP BY 1""")}
        out["surveys_by_month"] = {r[0]: (int(r[1]), int(r[2])) for r in self._q(f"""
            SELECT {month('s.surveyed_on')}, COUNT(*),
                   SUM(CASE WHEN s.overall IN (4, 5) THEN 1 ELSE 0 END)
            FROM survey s JOIN area a ON a.id = s.area_id
            WHERE a.path LIKE :root AND s.deleted_at IS NULL
              AND s.surveyed_on >= :first AND s.surveyed_on < :next
            GROUP BY 1""")}
        out["stock_by_month"] = {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in self._q(f"""
            SELECT {month('h.registered_on')}, SUM(h.adults), SUM(h.adults_dvctt)
            FROM household h JOIN area a ON a.id = h.area_id
            WHERE a.path LIKE :root AND h.deleted_at IS NULL AND h.registered_on < :next
            GROUP BY 1""")}
        return out

    def _month(self, col: str, local: bool = False) -> str:
        """SQL for the 'YYYY-MM' of a column, in commune time when it holds UTC moments."""
        if self.sqlite:
            shift = ", '+7 hours'" if local else ""
            return f"strftime('%Y-%m', {col}{shift})"
        shift = " + interval '7 hours'" if local else ""
        return f"to_char({col}{shift}, 'YYYY-MM')"


def compare(data: dict, raw: dict, year: int) -> list[str]:
    """Where the dashboard's figures differ from the GROUP BY ones (empty: they agree)."""
    diffs = []
    for kid, by, _coverage, visits in data["children"]:
        hh = raw["households"].get(kid.id, (0, 0, 0, 0))
        sv = raw["surveys"].get(kid.id, (0, 0))
        fb = raw["feedback"].get(kid.id, (0, 0))
        want = {"h": (hh[3], hh[1]), "j": (hh[2], hh[1]), "k": (sv[1], sv[0]), "l": (fb[1], fb[0])}
        for code, (num, den) in want.items():
            if (by[code].numerator or 0, by[code].denominator or 0) != (num, den):
                diffs.append(f"{kid.name} {code}: dashboard {by[code].numerator}/{by[code].denominator}, "
                             f"GROUP BY {num}/{den}")
        if visits != raw["visits"].get(kid.id, 0):
            diffs.append(f"{kid.name} visits: dashboard {visits}, GROUP BY {raw['visits'].get(kid.id, 0)}")
    trends = data["trends"]
    for m in range(1, 13):
        key = f"{year}-{m:02d}"
        if trends["visits"][m - 1][1] != raw["visits_by_month"].get(key, 0):
            diffs.append(f"visits {key}")
        total, happy = raw["surveys_by_month"].get(key, (0, 0))
        if trends["k"][m - 1][1] != (happy / total if total else None):
            diffs.append(f"satisfied share {key}")
        adults = sum(v[0] for p, v in raw["stock_by_month"].items() if p <= key)
        dvctt = sum(v[1] for p, v in raw["stock_by_month"].items() if p <= key)
        if trends["j"][m - 1][1] != (dvctt / adults if adults else None):
            diffs.append(f"DVCTT share {key}")
    return diffs


def main() -> None:
    """Time the dashboard work and the GROUP BY work in one run; print and optionally record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("commune", "province"), default="commune")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--name", help="database name (default: bench_<scale>)")
    parser.add_argument("--reps", type=int, default=40, help="repetitions of each dashboard timing")
    parser.add_argument("--groupby-reps", type=int, default=5, help="repetitions of the GROUP BY set")
    parser.add_argument("--profile", action="store_true",
                        help="also write a cProfile of one province overview() to bench/out/")
    parser.add_argument("--results", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    url = db_url(args.db, args.name or f"bench_{args.scale}")
    out = run(url, args)
    print(json.dumps(out, indent=1))
    if args.results:
        report(args, url, out)


def run(url: str, args) -> dict:
    """All timings of one run."""
    from sqlmodel import Session, select

    from fieldapp.areas.models import COMMUNE, PROVINCE, Area
    from fieldapp.reports.services import overview

    app = make_app(url)
    engine = app.extensions["engine"]
    with Session(engine) as s:
        province = s.exec(select(Area).where(Area.level == PROVINCE)).one()
        commune = s.exec(select(Area).where(Area.level == COMMUNE).order_by(Area.id)).first()
        n_communes = len(s.exec(select(Area.id).where(Area.level == COMMUNE)).all())
    areas = {"commune": commune, "province": province}
    clients = {"commune": login(app, "bench_viewer_xa"), "province": login(app, "bench_viewer")}

    def server(level):
        with app.app_context(), Session(engine) as s:
            return overview(s, areas[level], YEAR)

    def get(level, path):
        resp = clients[level].get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        resp.get_data()

    public = f"/cong-khai?xa={commune.code}&year={YEAR}"
    cases = {
        ("overview()", "commune"): lambda: server("commune"),
        ("overview()", "province"): lambda: server("province"),
        ("GET /dashboard", "commune"): lambda: get("commune", f"/dashboard?year={YEAR}"),
        ("GET /dashboard", "province"): lambda: get("province", f"/dashboard?year={YEAR}"),
        ("GET /cong-khai", "commune"): lambda: get("commune", public),
    }
    for fn in cases.values():  # warm caches, templates and the connection pool
        fn()
    times = {key: [] for key in cases}

    def dashboard_rounds(n):
        # Interleaved, so that load from other processes falls on every case alike.
        for i in range(n):
            for key, fn in cases.items():
                times[key].append(timed(fn))
            if i % 10 == 9:
                print(f"  {i + 1}/{n} rounds", file=sys.stderr, flush=True)

    dashboard_rounds(args.reps // 2)
    raw_times = {"commune": [], "province": []}
    checks = {}
    for level in ("commune", "province"):
        with app.app_context(), Session(engine) as s:
            data = overview(s, areas[level], YEAR)
        for _ in range(args.groupby_reps):
            with Session(engine) as s:
                wall, cpu = time.perf_counter(), time.process_time()
                raw = GroupBy(s, areas[level], YEAR).run()
                raw_times[level].append(((time.perf_counter() - wall) * 1000,
                                         (time.process_time() - cpu) * 1000))
                print(f"  GROUP BY {level}: {raw_times[level][-1][0]:,.0f} ms", file=sys.stderr, flush=True)
        checks[level] = compare(data, raw, YEAR)
    dashboard_rounds(args.reps - args.reps // 2)
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(server, "province")
        path = OUT / f"profile_overview_{args.db}_{args.scale}.prof"
        prof.dump_stats(path)
        print(f"profile written to {path}", file=sys.stderr)
    engine.dispose()
    stats = {f"{what} {level}": {"p50": percentile([w for w, _c in v], 50),
                                 "p95": percentile([w for w, _c in v], 95),
                                 "cpu_p50": percentile([c for _w, c in v], 50), "n": len(v)}
             for (what, level), v in times.items()}
    groupby = {level: {"p50": percentile([w for w, _c in v], 50), "p95": percentile([w for w, _c in v], 95),
                       "cpu_p50": percentile([c for _w, c in v], 50), "n": len(v)}
               for level, v in raw_times.items()}
    return {"communes": n_communes, "stats": stats, "groupby": groupby, "mismatches": checks}


def report(args, url: str, out: dict) -> None:
    """The run as a RESULTS.md section, goals included."""
    s, g = out["stats"], out["groupby"]
    lines = ["| what | area | p50 (ms) | p95 (ms) | CPU p50 (ms, this process) | runs "
             "| GROUP BY p50 / this p50 |", "|---|---|---|---|---|---|---|"]
    for key, v in s.items():
        what, level = key.rsplit(" ", 1)
        ratio = g[level]["p50"] / v["p50"]
        lines.append(f"| {what} | {level} | {v['p50']:.1f} | {v['p95']:.1f} | {v['cpu_p50']:.1f} | {v['n']} "
                     f"| {ratio:,.1f}x |")
    for level, v in g.items():
        lines.append(f"| GROUP BY over raw tables (same figures) | {level} | {v['p50']:.1f} | {v['p95']:.1f} "
                     f"| {v['cpu_p50']:.1f} | {v['n']} | 1x |")
    verdicts = []
    for key in ("overview() province", "GET /dashboard province", "GET /cong-khai commune",
                "overview() commune", "GET /dashboard commune"):
        v = s[key]
        level = key.rsplit(" ", 1)[1]
        ratio = g[level]["p50"] / v["p50"]
        fast = "met" if v["p50"] <= 50 else "NOT met"
        far = "met" if ratio >= 100 else "NOT met"
        verdicts.append(f"- {key}: p50 {v['p50']:.1f} ms -> p50 <= 50 ms **{fast}**; "
                        f"{ratio:,.1f}x faster than GROUP BY -> >= 100x **{far}**")
    agree = all(not d for d in out["mismatches"].values())
    mismatches = json.dumps(out["mismatches"], ensure_ascii=False)[:800]
    check = ("The GROUP BY figures equal the dashboard's (per-child h, j, k, l and visits; monthly "
             "visits, satisfied share and DVCTT share)." if agree else
             f"MISMATCH between dashboard and GROUP BY: {mismatches}")
    body = (f"Database: `{url}` ({out['communes']} communes; year {YEAR}). Server time = "
            "`reports.services.overview()` in a fresh session; GET = the full request through the "
            "Flask test client as a signed-in viewer (province viewer for province, commune viewer "
            "for commune; /cong-khai shows one commune). Cases are interleaved round by round; the "
            "GROUP BY set runs between the two halves of the rounds.\n\n" + "\n".join(lines)
            + "\n\n" + check + "\n\nGoals (p50 <= 50 ms and >= 100x faster than the GROUP BY):\n"
            + "\n".join(verdicts) + "\n")
    write_section(f"dashboard-{args.scale}-{args.db}", f"Dashboard and public page — {args.scale}, {args.db}",
                  body, url)


if __name__ == "__main__":
    main()

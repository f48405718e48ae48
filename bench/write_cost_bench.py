"""What aggregate maintenance adds to a single write: services with aggregates on versus off.

    .venv/bin/python bench/generate.py --scale commune --db sqlite      # once
    .venv/bin/python bench/write_cost_bench.py --db sqlite --results

On a throwaway copy of the generated database: N create_household() and N record_visit()
calls through the real services (one commit each, as a form post makes), timed call by call,
aggregates on and off alternating write by write (each pair of writes in random order). Off means
fieldapp.records.services.apply and .contribution are replaced by no-ops in this process only
(history, validation-free service work and the household update still happen). Input data is
validated before the clock starts. Overhead = median(on) / median(off) - 1. Goal <= 20%.
"""

import argparse
import cProfile
import json
import random
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime

from common import OUT, copy_database, db_url, drop_database, make_app, percentile, write_section

LOCAL_OFFSET = "+07:00"
SERVICES = ["vneid_1", "vneid_2", "portal", "insurance", "cashless"]


@contextmanager
def aggregates_off():
    """Replace the aggregate hooks of the write path with no-ops, then put them back."""
    import fieldapp.records.services as rs
    from fieldapp.aggregates.services import Contribution

    saved = rs.apply, rs.contribution
    rs.apply = lambda session, delta: None
    rs.contribution = lambda session, record, changed=None, **_options: Contribution()
    try:
        yield
    finally:
        rs.apply, rs.contribution = saved


class StatementCounter:
    """Counts SQL statements sent to the database (to show where the extra time goes).

    SQLAlchemy's events see all but the aggregate upserts, which go to the driver directly
    (aggregates.services): those are counted where they are sent.
    """

    def __init__(self, engine):
        from sqlalchemy import event

        import fieldapp.aggregates.services as ags

        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)
        members, sums, both = ags._member_refs, ags._add_sums, ags._pg_write

        def counted(fn, statements):
            def call(driver, rows, *more):
                self.n += statements(rows)
                return fn(driver, rows, *more)
            return call

        ags._member_refs = counted(members, len)  # one upsert each (SQLite)
        ags._add_sums = counted(sums, lambda rows: 1)  # one executemany (SQLite)
        ags._pg_write = counted(both, lambda rows: 1)  # one statement (PostgreSQL)

    def _count(self, *args):
        self.n += 1


def household_data(rng: random.Random, k: int) -> dict:
    """Form-like input for one household."""
    members = rng.randint(1, 7)
    adults = rng.randint(1, members)
    return {"head_name": f"Nguyễn Văn Bench {k}", "address": f"Xóm {rng.randint(1, 8)}",
            "phone": f"09{rng.randrange(10**8):08d}", "members": members, "adults": adults,
            "adults_dvctt": rng.randint(0, adults), "adults_vneid2": rng.randint(0, adults),
            "consent_given": True,
            "registered_on": (date(2025, 1, 1) + timedelta(days=rng.randrange(300))).isoformat()}


def visit_data(rng: random.Random, adults: int) -> dict:
    """Form-like input for one helped visit."""
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(360))
    when = datetime.combine(day, dtime(rng.randint(7, 17), rng.randrange(60))).isoformat() + LOCAL_OFFSET
    return {"visited_at": when, "result": "helped",
            "services": rng.sample(SERVICES, rng.randint(1, 3)),
            "adults_guided": rng.randint(1, adults), "dossiers_submitted": rng.randint(0, 2),
            "adults_dvctt_after": rng.randint(0, adults), "adults_vneid2_after": rng.randint(0, adults)}


def main() -> None:
    """Parse options, run the rounds, print and optionally record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("commune", "province"), default="commune",
                        help="which generated database to copy (its aggregate tables' size)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--n", type=int, default=100, help="households and visits per round")
    parser.add_argument("--rounds", type=int, default=6,
                        help="rounds of n households and n visits (half of each on)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the 'on' writes of the last two rounds to bench/out/")
    parser.add_argument("--results", action="store_true", help="write the figures to bench/RESULTS.md")
    args = parser.parse_args()
    src = db_url(args.db, f"bench_{args.scale}")
    url = db_url(args.db, f"bench_write_{args.scale}")
    copy_database(src, url)
    try:
        out = run(url, args)
    finally:
        drop_database(url)
    print(json.dumps(out, indent=1))
    if args.results:
        report(args, src, out)


def run(url: str, args) -> dict:
    """Alternating rounds of household and visit writes; returns per-mode timings."""
    from sqlmodel import Session, select

    from fieldapp.areas.models import Area
    from fieldapp.auth.models import User
    from fieldapp.db import writer_bind
    from fieldapp.households.models import Household, HouseholdIn
    from fieldapp.households.services import create_household
    from fieldapp.records.validation import validate
    from fieldapp.visits.models import VisitIn
    from fieldapp.visits.services import record_visit

    app = make_app(url)
    engine = app.extensions["engine"]
    counter = StatementCounter(engine)
    rng = random.Random(args.seed)
    times = {(op, mode): [] for op in ("household", "visit") for mode in ("on", "off")}
    statements = dict.fromkeys(times, 0)
    profile = cProfile.Profile() if args.profile else None
    with app.app_context(), Session(writer_bind(engine), expire_on_commit=False) as session:
        # The commune officer: registers households in the first thôn, visits anywhere in the commune.
        user = session.exec(select(User).where(User.username == "x001_canbo")).one()
        thon = session.exec(select(Area).where(Area.parent_id == user.area_id).order_by(Area.id)).first()
        # Existing households of the commune to visit, a fresh one for every visit.
        pool = session.exec(select(Household).join(Area, Area.id == Household.area_id).where(
            Area.parent_id == user.area_id).order_by(Household.id).limit(args.n * args.rounds + 1)).all()
        rng.shuffle(pool)
        session.commit()
        # One warm-up of each, so that first-use costs (statement caches, imports) fall outside.
        create_household(session=session, user=user, thon=thon,
                         data=validate(HouseholdIn, household_data(rng, -1)))
        record_visit(session=session, user=user, household=pool[-1],
                     data=validate(VisitIn, visit_data(rng, pool[-1].adults)))
        # On and off alternate write by write, in pairs whose order is drawn at random, so that
        # whatever slows the machine or the database for a while (autovacuum, a checkpoint,
        # another job) falls on both sides alike instead of on one side's round.
        k = 0
        for r in range(args.rounds):
            hh_inputs = [validate(HouseholdIn, household_data(rng, k + i)) for i in range(args.n)]
            targets = pool[r * args.n:(r + 1) * args.n]
            v_inputs = [validate(VisitIn, visit_data(rng, h.adults)) for h in targets]
            k += args.n
            prof = profile if r >= args.rounds - 2 else None  # the last two rounds
            for mode, data in zip(_modes(rng, args.n), hh_inputs, strict=True):
                which = ("household", mode)
                times[which].append(_timed(counter, statements, which, prof, (
                    lambda d=data: create_household(session=session, user=user, thon=thon, data=d))))
            for mode, h, data in zip(_modes(rng, args.n), targets, v_inputs, strict=True):
                which = ("visit", mode)
                times[which].append(_timed(counter, statements, which, prof, (
                    lambda h=h, d=data: record_visit(session=session, user=user, household=h, data=d))))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    if profile:
        path = OUT / f"profile_write_{engine.dialect.name}.prof"
        profile.dump_stats(path)
        print(f"profile written to {path}", file=sys.stderr)
    engine.dispose()
    out = {}
    for (op, mode), v in times.items():
        wall, cpu = [w for w, _c in v], [c for _w, c in v]
        out[f"{op} {mode}"] = {"p50": percentile(wall, 50), "p95": percentile(wall, 95),
                               "mean": sum(wall) / len(v), "cpu_p50": percentile(cpu, 50),
                               "n": len(v), "statements": statements[(op, mode)] / len(v)}
    for op in ("household", "visit"):
        on, off = out[f"{op} on"], out[f"{op} off"]
        out[f"{op} overhead"] = {"median": on["p50"] / off["p50"] - 1, "mean": on["mean"] / off["mean"] - 1,
                                 "cpu": on["cpu_p50"] / off["cpu_p50"] - 1}
    return out


def _modes(rng: random.Random, n: int) -> list[str]:
    """n modes, "on" or "off": each pair of writes has one of each, in random order."""
    return [mode for _ in range((n + 1) // 2) for mode in rng.sample(["on", "off"], 2)][:n]


def _timed(counter, statements: dict, which: tuple, profile, fn) -> tuple[float, float]:
    """One write in its mode (aggregates off when asked), its statements counted."""
    before = counter.n
    if which[1] == "off":
        with aggregates_off():
            out = _call(None, fn)
    else:
        out = _call(profile, fn)
    statements[which] += counter.n - before
    return out


def _call(profile, fn) -> tuple[float, float]:
    """Milliseconds of one service call, wall clock and CPU of this process (profiled when asked).

    On SQLite the database work runs in this process, so CPU time is the call's cost without
    the waiting for a core that a busy machine adds; on PostgreSQL it leaves the server out.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.runcall(fn)
    else:
        fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def report(args, src: str, out: dict) -> None:
    """The run as a RESULTS.md section."""
    lines = ["| write | aggregates | p50 (ms) | p95 (ms) | mean (ms) | CPU p50 (ms, this process) "
             "| SQL statements per write | writes |", "|---|---|---|---|---|---|---|---|"]
    for op in ("household", "visit"):
        for mode in ("on", "off"):
            v = out[f"{op} {mode}"]
            lines.append(f"| {op} | {mode} | {v['p50']:.2f} | {v['p95']:.2f} | {v['mean']:.2f} "
                         f"| {v['cpu_p50']:.2f} | {v['statements']:.1f} | {v['n']} |")
    verdicts = []
    for op, what in (("household", "create_household"), ("visit", "record_visit")):
        o = out[f"{op} overhead"]
        met = "met" if o["median"] <= 0.20 else "NOT met"
        verdicts.append(f"- {what}: overhead {o['median']:+.0%} on wall-clock medians ({o['mean']:+.0%} on "
                        f"means, {o['cpu']:+.0%} on CPU medians) -> goal <= 20% **{met}**")
    body = (f"Copy of `{src}` (its aggregate tables as generated), one session, the services' own "
            f"commit per write, {args.rounds} rounds of {args.n} households then {args.n} visits, "
            "on and off alternating write by write (each pair in random order), as the commune officer. "
            "Visits go to existing households of the commune (each visited once here); a visit also "
            "updates its household's adult counts, as the service does.\n\n"
            + "\n".join(lines) + "\n\n" + "\n".join(verdicts) + "\n")
    write_section(f"write-cost-{args.db}", f"Write cost of aggregate maintenance — {args.db}", body, src)


if __name__ == "__main__":
    main()

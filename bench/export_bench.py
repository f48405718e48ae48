"""Export benchmark: rows/s and peak memory of CSV and XLSX exports at two sizes.

    .venv/bin/python bench/export_bench.py --sizes 100000,1000000

For each size it builds a fresh SQLite file under bench/out/ (demo commune, N households
spread over its 10 thôn, inserted with executemany), then runs each export in a child
process of its own, so that the child's peak RSS (getrusage ru_maxrss) belongs to that one
export: the app signs in as the commune officer and reads /exports/households.<fmt> through
the Flask test client without buffering, counting bytes and dropping them. Memory is flat
when the peak does not grow with N. --append writes the table to bench/RESULTS.md.
"""

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Đình", "Ngọc", "Thanh"]
GIVEN = ["Đức", "Ánh", "Ơn", "Ưng", "Hùng", "Lan", "Phước", "Quý", "Thảo", "Tâm", "Bảo", "Yến"]
BATCH = 20_000


def _app(url: str):
    from fieldapp import create_app

    return create_app({
        "FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "bench-secret-key-not-for-production",
        "DATABASE_URL": url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KB": 256,
    })


def build(size: int) -> str:
    """A fresh SQLite file with the demo commune and `size` households; returns its URL."""
    from sqlmodel import Session, SQLModel, select

    import fieldapp.models  # noqa: F401  (every table)
    from fieldapp.areas.models import Area
    from fieldapp.auth.models import User
    from fieldapp.demo import load_demo
    from fieldapp.i18n import fold, vi_sort_string

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"exports_{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    app = _app(url)
    engine = app.extensions["engine"]
    SQLModel.metadata.create_all(engine)
    with app.app_context(), Session(engine) as session:
        commune = load_demo(session)
        thon = [a.id for a in session.exec(select(Area).where(Area.parent_id == commune.id)).all()]
        officer = session.exec(select(User).where(User.username == "canbo")).one().id
    rng = random.Random(20251128)
    sql = ("INSERT INTO household (uuid, area_id, created_by, updated_by, created_at, updated_at, version, "
           "head_name, address, phone, members, adults, adults_dvctt, adults_vneid2, consent_given, note, "
           "registered_on, head_name_folded, search_text, name_sort) "
           "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 1, '', ?, ?, ?, ?)")
    now = "2025-11-28 02:00:00.000000"
    with engine.begin() as conn:
        for start in range(0, size, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, size)):
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                address = f"Tổ {rng.randint(1, 12)}, thôn {i % 10 + 1}"
                phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None
                adults = rng.randint(1, 5)
                day = date(2025, 1, 1) + timedelta(days=rng.randrange(330))
                counts = (adults + rng.randint(0, 3), adults, rng.randint(0, adults), rng.randint(0, adults))
                rows.append((f"bench-{i:08d}", thon[i % len(thon)], officer, officer, now, now, name, address,
                             phone, *counts, day.isoformat(), fold(name), fold(f"{name} {address}"),
                             vi_sort_string(name)))
            conn.exec_driver_sql(sql, rows)
    engine.dispose()
    return url


def one(url: str, fmt: str) -> dict:
    """Sign in as the officer and export every household once; runs in its own process."""
    from sqlmodel import Session, select

    from fieldapp.exports.models import ExportLog

    app = _app(url)
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    resp = client.post("/login", data={"username": "canbo", "password": "demo1234", "csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    resp = client.get(f"/exports/households.{fmt}", buffered=False)
    assert resp.status_code == 200 and resp.is_streamed
    first = None
    size = chunks = 0
    for block in resp.response:
        first = first or time.perf_counter()
        size += len(block)
        chunks += 1
    resp.close()
    seconds = time.perf_counter() - started
    with Session(app.extensions["engine"]) as session:
        rows = session.exec(select(ExportLog.row_count).order_by(ExportLog.id.desc())).first()
    return {"fmt": fmt, "rows": rows, "seconds": seconds, "first_byte": first - started, "bytes": size,
            "chunks": chunks, "rss_before_mb": rss_before / 1024,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    """Build each size, export it as CSV and XLSX in child processes, print (and append) a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--append", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--one", nargs=2, metavar=("URL", "FMT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    lines = ["| households | format | rows | seconds | rows/s | first byte (s) | file MB | "
             "RSS before export (MB) | peak RSS (MB) |", "|---|---|---|---|---|---|---|---|---|"]
    for size in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        url = build(size)
        print(f"built {size:,} households in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        for fmt in args.formats.split(","):
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            out = subprocess.run([sys.executable, __file__, "--one", url, fmt], check=True,
                                 capture_output=True, text=True, cwd=ROOT, env=env)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            assert r["rows"] == size, r
            line = (f"| {size:,} | {fmt.upper()} | {r['rows']:,} | {r['seconds']:.1f} "
                    f"| {r['rows'] / r['seconds']:,.0f} | {r['first_byte']:.2f} | {r['bytes'] / 1e6:.1f} "
                    f"| {r['rss_before_mb']:.0f} | {r['peak_rss_mb']:.0f} |")
            print(line, file=sys.stderr)
            lines.append(line)
    table = "\n".join(lines)
    print(table)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + table + "\n")


if __name__ == "__main__":
    main()

"""Household import: preview and import of 2,000 and 20,000 rows, time and peak memory.

Each size runs in a process of its own on a fresh SQLite database holding the demo commune
(`load_demo`), so its peak resident memory is its own. The file is an XLSX built with
openpyxl's write-only mode, with title rows like an office's. Goals (issue 16): 20,000 rows
preview ≤ 10 s, import ≤ 30 s, memory flat in the row count.

    .venv/bin/python bench/import_bench.py            # both sizes, writes bench/RESULTS.md
"""

import json
import resource
import subprocess
import sys
import time

from common import OUT, ROOT, db_url, fresh_database, make_app, write_section

SIZES = (2000, 20000)
THON = ["Phước Lộc Đông", "Phước Lộc Tây", "Ngọc Thạnh", "Đông Hòa", "Bình Nam"]


def build_file(n: int) -> bytes:
    """An office's household list of n rows (title rows, header, data) as XLSX bytes."""
    from openpyxl import Workbook

    path = OUT / f"import-{n}.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["UBND XÃ SƠN TỊNH"])
    ws.append(["DANH SÁCH HỘ GIA ĐÌNH"])
    ws.append([])
    ws.append(["STT", "Họ và tên chủ hộ", "Thôn", "Địa chỉ", "Số ĐT", "Số nhân khẩu", "Từ 18 tuổi"])
    for i in range(n):
        ws.append([i + 1, f"Nguyễn Văn Thử {i}", THON[i % len(THON)], f"Số {i}", 900000000 + i, 4, 2])
    wb.save(path)
    return path.read_bytes()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(n: int) -> dict:
    """Preview then import n rows; seconds and peak memory above the baseline."""
    from sqlmodel import Session, SQLModel, select

    import fieldapp.models  # noqa: F401
    from fieldapp.auth.models import User
    from fieldapp.demo import load_demo
    from fieldapp.households.imports import HOUSEHOLDS
    from fieldapp.imports import engine

    url = db_url("sqlite", f"import_bench_{n}")
    fresh_database(url)
    app = make_app(url)
    eng = app.extensions["engine"]
    SQLModel.metadata.create_all(eng)
    data = build_file(n)
    with Session(eng, expire_on_commit=False) as session, app.test_request_context():
        commune = load_demo(session)
        user = session.exec(select(User).where(User.username == "canbo")).one()
        base = peak_mb()
        t0 = time.perf_counter()
        result = engine.preview(HOUSEHOLDS, session=session, area=commune, filename="ds.xlsx", data=data)
        preview_s = time.perf_counter() - t0
        preview_mb = peak_mb() - base
        assert result.counts[engine.NEW] == n, result.counts
        t0 = time.perf_counter()
        result = engine.run(HOUSEHOLDS, session=session, user=user, area=commune, filename="ds.xlsx", data=data)
        import_s = time.perf_counter() - t0
        assert result.log.created == n
    return {"n": n, "preview_s": preview_s, "import_s": import_s, "preview_mb": preview_mb,
            "peak_mb": peak_mb() - base, "file_kb": len(data) / 1024}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(int(sys.argv[2]))))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True,
                             text=True, cwd=ROOT)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    body = ["| rows | file | preview | import | memory above baseline: preview / preview + import |",
            "|---|---|---|---|---|"]
    body += [f"| {r['n']:,} | {r['file_kb']:.0f} KB | **{r['preview_s']:.1f} s** | **{r['import_s']:.1f} s** "
             f"| {r['preview_mb']:.0f} MB / {r['peak_mb']:.0f} MB |" for r in rows]
    body += ["", f"`uptime` when written: {uptime} (six helpers share the machine).", "",
             "Goals: 20,000 rows preview ≤ 10 s, import ≤ 30 s; memory flat in the row count. The file "
             "streams (openpyxl read-only); what grows with the rows is the set of row keys seen (repeats "
             "in the file) and, on import, the ids created (for undo) and the rows listed on the preview "
             "(at most 200 per status). Every row goes through HouseholdIn, and the import through "
             "create_households (insert_many: history, dated figures, aggregates) in chunks of 1,000 "
             "in one transaction. Each size runs in its own process; memory is the peak resident size "
             "above the process's size before the preview."]
    write_section("import", "Household import (bench/import_bench.py)", "\n".join(body), db_url("sqlite", "x"))


if __name__ == "__main__":
    main()

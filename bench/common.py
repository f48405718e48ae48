"""Shared helpers of the bench scripts: database URLs, the app, percentiles, RESULTS.md sections."""

import os
import platform
import re
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))

PG_ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
SECRET = "bench-secret-key-not-for-production"
BENCH_PASSWORD = "bench1234"


def db_url(db: str, name: str) -> str:
    """The URL of a bench database: bench/out/<name>.db, or PostgreSQL database fieldapp_<name>."""
    if db == "sqlite":
        return f"sqlite:///{OUT / name}.db"
    return PG_URL.format(name=f"fieldapp_{name}")


def pg_name(url: str) -> str:
    """The database name of a PostgreSQL URL."""
    return url.rsplit("/", 1)[1]


def psql(sql: str, database: str = "postgres") -> str:
    """Run SQL through psql on 127.0.0.1 (CREATE/DROP DATABASE cannot run in a transaction)."""
    out = subprocess.run([*PG_ADMIN, "-d", database, "-At", "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def fresh_database(url: str) -> None:
    """Remove the SQLite file (and its WAL) or drop and create the PostgreSQL database."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = pg_name(url)
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def copy_database(src: str, dst: str) -> None:
    """A throwaway copy of a generated database (file copy, or CREATE DATABASE … TEMPLATE)."""
    if src.startswith("sqlite"):
        import sqlite3

        fresh_database(dst)
        # The backup API copies a consistent snapshot, WAL included.
        with sqlite3.connect(src.removeprefix("sqlite:///")) as a, \
                sqlite3.connect(dst.removeprefix("sqlite:///")) as b:
            a.backup(b)
        return
    psql(f'DROP DATABASE IF EXISTS "{pg_name(dst)}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{pg_name(dst)}" TEMPLATE "{pg_name(src)}"')


def drop_database(url: str) -> None:
    """Remove a throwaway copy."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
    else:
        psql(f'DROP DATABASE IF EXISTS "{pg_name(url)}" WITH (FORCE)')


def make_app(url: str, **extra):
    """The real app on a bench database (cheap password hashing, as in the tests)."""
    from fieldapp import create_app

    return create_app({
        "FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": url,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KB": 256, **extra,
    })


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of a list."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def machine(url: str | None = None) -> str:
    """One line about the machine and database engine, for RESULTS.md."""
    cpu = "?"
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", text).group(1).strip()
    except (OSError, AttributeError):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    parts = [f"{os.cpu_count()} cores ({cpu})", f"{mem:.0f} GB RAM", f"Python {platform.python_version()}",
             f"load average (1/5/15 min) when written {load}, other jobs share the machine"]
    if url and url.startswith("sqlite"):
        import sqlite3

        parts.append(f"SQLite {sqlite3.sqlite_version}")
    elif url:
        parts.append(f"PostgreSQL {psql('SHOW server_version').split()[0]}")
    return "; ".join(parts)


def command_line() -> str:
    """The command that is running, as typed from the repository root."""
    return " ".join([".venv/bin/python", *map(shlex.quote, [os.path.relpath(sys.argv[0], ROOT),
                                                           *sys.argv[1:]])])


def write_section(key: str, title: str, body: str, url: str | None = None) -> None:
    """Put a section into bench/RESULTS.md between markers, replacing its previous run.

    Other sections (e.g. the Export one another script appends) are left as they are.
    """
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (f"<!-- bench:{key} -->\n## {title}\n\n"
             f"- Command: `{command_line()}`\n- Date: {stamp}\n- Machine: {machine(url)}\n\n"
             f"{body.strip()}\n<!-- /bench:{key} -->\n")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"<!-- bench:{re.escape(key)} -->.*?<!-- /bench:{re.escape(key)} -->\n",
                         re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text, encoding="utf-8")

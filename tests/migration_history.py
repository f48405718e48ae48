"""Databases as earlier versions of the app left them, for the upgrade tests to start from.

Each snapshot in tests/fixtures/history/ holds what one commit's app wrote at its revision:
the schema's fingerprint and every row (the demo data, then a few edits and deletes through
that version's own services), engine-neutral JSON. `.venv/bin/python tests/migration_history.py`
regenerates them: a git worktree per commit, its own migrations, run with this checkout's
.venv (the dependencies have not changed since the first commit); the fingerprint is taken on
SQLite and on PostgreSQL (TEST_DATABASE_URL names the server) and must agree.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "history"

# (commit, revision): every revision of the chain, each with the last version of the app that
# ran on it. Three versions shipped a different revision 5b1f0c7d9e21; 7c2e4a91b3d5 was never
# a head, so the app of the commit that added it writes there.
SNAPSHOTS = [
    ("06fb680", "e60418efe666"),  # accounts and areas
    ("ac996f1", "a4a610b5e2e0"),  # every feature
    ("0cdbcef", "2e9516f36073"),  # personal-data access log
    ("1f32d38", "5b1f0c7d9e21"),  # 'members at their own area': no schema change
    ("0e45751", "5b1f0c7d9e21"),  # 'read paths', before improvement actions existed
    ("3376c3e", "7c2e4a91b3d5"),  # improvement actions
    ("9b2680a", "5b1f0c7d9e21"),  # 'read paths' after improvement actions
]

# A few edits and deletes through the version's own services, after its demo data.
EXERCISE = """
from sqlmodel import Session, func, select
from fieldapp import create_app
from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.households.models import Household
from fieldapp.records.services import change_record, delete_record
from fieldapp.visits.models import Visit

app = create_app()
with app.app_context(), Session(app.extensions["engine"]) as s:
    officer = s.exec(select(User).where(User.username == "canbo")).one()
    visited = s.exec(select(Visit.household_id, func.count()).group_by(Visit.household_id)
                     .order_by(func.count().desc(), Visit.household_id)).all()
    gone, moved, grown = (s.get(Household, hid) for hid, _n in visited[:3])
    delete_record(session=s, user=officer, record=gone, reason="moved away")
    other = s.exec(select(Area).where(Area.level == THON, Area.id != moved.area_id)
                   .order_by(Area.id)).first()
    change_record(session=s, user=officer, record=moved, changes={"area_id": other.id})
    change_record(session=s, user=officer, record=grown,
                  changes={"members": grown.members + 1, "adults": grown.adults + 1})
    visit = s.exec(select(Visit).where(Visit.household_id == grown.id).order_by(Visit.id)).first()
    delete_record(session=s, user=officer, record=visit, reason="entered twice")
    s.commit()
"""


def _kind(coltype) -> str:
    """A column type as the Python type it holds: the same on SQLite and PostgreSQL."""
    try:
        return coltype.python_type.__name__
    except NotImplementedError:
        return type(coltype).__name__


def fingerprint(conn) -> dict:
    """Tables, columns, keys, indexes and foreign keys, in terms both engines share."""
    insp = sa.inspect(conn)
    out = {}
    for name in sorted(insp.get_table_names()):
        out[name] = {
            "columns": [[c["name"], _kind(c["type"]), getattr(c["type"], "length", None), c["nullable"]]
                        for c in insp.get_columns(name)],
            "primary_key": insp.get_pk_constraint(name)["constrained_columns"],
            "indexes": sorted([i["name"], i["column_names"], bool(i["unique"])]
                              for i in insp.get_indexes(name) if "duplicates_constraint" not in i),
            "unique": sorted(sorted(u["column_names"]) for u in insp.get_unique_constraints(name)),
            "foreign_keys": sorted([f["constrained_columns"], f["referred_table"], f["referred_columns"]]
                                   for f in insp.get_foreign_keys(name)),
        }
    return out


def _encode(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def dump_rows(conn, skip=("alembic_version",)) -> dict:
    """Every row of every table, in primary-key order, as JSON-ready lists."""
    meta = sa.MetaData()
    meta.reflect(conn)
    out = {}
    for table in meta.sorted_tables:
        if table.name in skip:
            continue
        rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = {"columns": [c.name for c in table.columns],
                           "rows": [[_encode(v) for v in row] for row in rows]}
    return out


def _decoder(column):
    kind = _kind(column.type)
    if kind == "datetime":
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if kind == "date":
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def load_rows(conn, tables: dict) -> None:
    """Insert dumped rows into a database at the same schema, parents first."""
    meta = sa.MetaData()
    meta.reflect(conn, only=list(tables))
    for table in meta.sorted_tables:
        data = tables[table.name]
        decode = [_decoder(table.c[name]) for name in data["columns"]]
        rows = [{n: d(v) for n, d, v in zip(data["columns"], decode, row, strict=True)}
                for row in data["rows"]]
        if rows:
            conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql" and "id" in table.c and table.c.id.autoincrement:
            # Ids came with the rows: the sequence continues after them, as it did on the server.
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                 f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


def read(path: Path) -> dict:
    """One snapshot file."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def snapshot_files() -> list[Path]:
    """The stored snapshots, oldest first."""
    return sorted(FIXTURES.glob("*.json.gz"))


def _run(tree: Path, url: str, code: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree), "DATABASE_URL": url, "FIELDAPP_ENV": "development"}
    subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, check=True)


def _migrate(tree: Path, url: str, revision: str) -> None:
    _run(tree, url, "from alembic import command; from fieldapp.cli import alembic_config; "
                    f"command.upgrade(alembic_config({url!r}), {revision!r})")


def _inspect(url: str, what):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return what(conn)
    finally:
        engine.dispose()


def _stamped(conn) -> str:
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _pg_fingerprint(tree: Path, revision: str, server: str) -> dict:
    """The schema the version's own migrations build on PostgreSQL."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    name = "mig_history_scratch"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        _migrate(tree, url, revision)
        return _inspect(url, fingerprint)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def generate(commit: str, revision: str, index: int, server: str) -> Path:
    """Write the snapshot of one commit's app at one revision."""
    full = subprocess.run(["git", "rev-parse", commit], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    subject = subprocess.run(["git", "log", "-1", "--format=%s", full], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="mig-history-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), full], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            url = f"sqlite:///{Path(tmp) / 'db.sqlite'}"
            _migrate(tree, url, revision)
            _run(tree, url, "from flask.cli import cli; cli.main(['--app', 'wsgi:app', 'demo', 'load'])")
            if (tree / "fieldapp" / "households").is_dir():
                _run(tree, url, EXERCISE)
            schema = _inspect(url, fingerprint)
            if schema != _pg_fingerprint(tree, revision, server):
                raise SystemExit(f"{commit}: the schema differs between SQLite and PostgreSQL")
            assert _inspect(url, _stamped) == revision
            tables = _inspect(url, dump_rows)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    path = FIXTURES / f"{index}_{revision}_{full[:7]}.json.gz"
    doc = {"commit": full, "subject": subject, "revision": revision, "schema": schema, "tables": tables}
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    return path


if __name__ == "__main__":
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        raise SystemExit("Set TEST_DATABASE_URL to a PostgreSQL database: its server builds the schemas too.")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for old in snapshot_files():
        old.unlink()
    for i, (commit, revision) in enumerate(SNAPSHOTS, start=1):
        print(generate(commit, revision, i, server))

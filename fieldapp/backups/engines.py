"""What differs between SQLite and PostgreSQL: taking a copy, reading it back, putting it in place.

SQLite copies through the online backup API in one step (a read transaction: in WAL mode the
workers keep writing, and the copy is the database as of that transaction's start).
PostgreSQL goes through pg_dump -Fc (one snapshot) and pg_restore; the client tools must be of
the server's major version. Every failure here is a BackupError with a message for the
operator.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


def engine_name(url: str) -> str:
    """'sqlite' or 'postgresql' for a database URL."""
    name = make_url(url).get_backend_name()
    if name not in SUFFIX:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_file(url: str) -> Path:
    """The file of a SQLite URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


# SQLite ---------------------------------------------------------------------------------------

def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database into target in one step of the backup API."""
    if not source.is_file():
        raise BackupError(f"The database file {source} does not exist.")
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: all at once, one consistent read transaction
        # A copy that lives on its own needs no -wal/-shm files beside it.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def sqlite_read(path: Path) -> str | None:
    """Check a SQLite copy (PRAGMA integrity_check) and return its Alembic revision."""
    # immutable: reading a copy on a USB disk must not create journal files beside it.
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise BackupError(f"{path.name} cannot be opened as a SQLite database ({err}).") from err
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path.name} is damaged: {'; '.join(problems[:3])}")
        return _revision(conn.execute("SELECT version_num FROM alembic_version").fetchall())
    except sqlite3.Error as err:
        raise BackupError(f"{path.name} is not a readable SQLite database ({err}).") from err
    finally:
        conn.close()


def sqlite_apply(copy: Path, db_file: Path, aside: Path) -> Path | None:
    """Move the current database (with its -wal and -shm) to aside, put the copy in its place."""
    staged = db_file.with_name(db_file.name + ".restoring")
    shutil.copyfile(copy, staged)
    moved = None
    for suffix in ("", "-wal", "-shm"):
        current = Path(f"{db_file}{suffix}")
        if current.exists():
            os.replace(current, f"{aside}{suffix}")
            moved = aside
    os.replace(staged, db_file)
    return moved


# PostgreSQL -----------------------------------------------------------------------------------

def _pg_env(url: str) -> dict:
    """libpq's environment for a URL: the password never appears on a command line."""
    u = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", u.host), ("PGPORT", u.port), ("PGUSER", u.username),
                       ("PGPASSWORD", u.password), ("PGDATABASE", u.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _run(args: list[str], url: str, **kwargs) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(args, env=_pg_env(url), capture_output=True, check=False, **kwargs)
    except FileNotFoundError as err:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).") from err
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{args[0]} failed: {' '.join(detail[-2:]) or done.returncode}")
    return done


def pg_copy(url: str, target: Path) -> None:
    """pg_dump -Fc of the configured database into target."""
    _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target)], url)


def pg_read(path: Path, url: str) -> str | None:
    """Check a dump (pg_restore --list reads its table of contents) and return its revision."""
    try:
        _run(["pg_restore", "--list", str(path)], url)
    except BackupError as err:
        raise BackupError(f"{path.name} is not a readable pg_dump archive ({err}).") from err
    data = _run(["pg_restore", "--data-only", "--table=alembic_version", "-f", "-", str(path)], url)
    # The table's data is a COPY block: the header line, one line per row, then '\.'.
    text = data.stdout.decode()
    block = re.search(r"^COPY [^\n]*alembic_version[^\n]*\n(.*?)^\\\.$", text, re.M | re.S)
    return _revision([(line,) for line in block.group(1).split("\n") if line] if block else [])


def pg_apply(copy: Path, url: str, aside: Path | None) -> Path | None:
    """Dump the current database to aside, then replace it with the copy in one transaction."""
    if aside is not None:
        pg_copy(url, aside)
    restore = ["pg_restore", "--no-owner", "--no-privileges", "-f", "-", str(copy)]
    # One transaction: if anything fails, the current database is exactly as it was.
    apply = ["psql", "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "-"]
    env = _pg_env(url)
    with (subprocess.Popen(restore, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as script,
          subprocess.Popen(apply, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE) as psql):
        try:
            psql.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
            shutil.copyfileobj(script.stdout, psql.stdin)
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error: its message follows
        errors = psql.stderr.read().decode(errors="replace")
        failed = script.wait() != 0 or psql.wait() != 0
        errors = script.stderr.read().decode(errors="replace") + errors
    if failed:
        detail = errors.strip().splitlines()
        raise BackupError(f"The restore failed and changed nothing: {' '.join(detail[-2:])}")
    return aside


def _revision(rows) -> str | None:
    """The one revision in alembic_version's rows (None when the table is empty)."""
    if len(rows) > 1:
        raise BackupError("The copy has several Alembic revisions; it cannot be restored.")
    return rows[0][0].strip() if rows else None

"""Take a verified, dated copy of the database; check a copy; restore one; keep N daily and M monthly.

Beside each copy lies a manifest (`<copy>.json`: engine, time, Alembic revision, size,
SHA-256): a copy without one is unfinished or foreign and is never restored or counted.
Every run is also logged in the database (`backup_log`), so the admin home page knows the last
good backup even when the destination disk is unplugged, and a cron run in another process is
seen at once.
"""

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from fieldapp.backups import engines
from fieldapp.backups.engines import BackupError
from fieldapp.backups.models import BackupLog
from fieldapp.db import utcnow, writer_bind
from fieldapp.i18n import LOCAL_TZ

log = logging.getLogger("fieldapp.backups")
PREFIX = "fieldapp-"


@dataclass
class Verified:
    """A copy that passed every check, ready to restore."""

    path: Path
    manifest: dict
    revision: str
    at_head: bool


@dataclass
class Restored:
    """What a restore did: where the old database went, and the aggregate check's differences."""

    aside: Path | None
    upgraded: bool
    differences: list = field(default_factory=list)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".json")


def _write_json(path: Path, data: dict) -> None:
    """Write a small JSON file atomically and durably (a USB disk may be pulled out next)."""
    part = path.with_name(path.name + ".part")
    with open(part, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _free_name(dest: Path, started: datetime, suffix: str) -> Path:
    stem = f"{PREFIX}{started.astimezone(LOCAL_TZ):%Y%m%d-%H%M%S}"
    path, n = dest / f"{stem}{suffix}", 1
    while path.exists() or _manifest_path(path).exists():
        n += 1
        path = dest / f"{stem}-{n}{suffix}"
    return path


def take_backup(*, engine: Engine, url: str, dest: Path, keep_daily: int, keep_monthly: int,
                create_dest: bool = False) -> BackupLog:
    """Copy the database into dest, verify the copy, log the run and prune old copies."""
    started = utcnow()
    part = None
    try:
        kind = engines.engine_name(url)
        if create_dest:
            dest.mkdir(parents=True, exist_ok=True)
        if not dest.is_dir():
            raise BackupError(f"The backup folder {dest} does not exist (is the disk plugged in?).")
        final = _free_name(dest, started, engines.SUFFIX[kind])
        part = final.with_name(final.name + ".part")
        if kind == "sqlite":
            engines.sqlite_copy(engines.sqlite_file(url), part)
            revision = engines.sqlite_read(part)
        else:
            before = current_revision(engine)
            engines.pg_copy(url, part)
            revision = engines.pg_read(part, url)
            if revision != before:
                raise BackupError("A migration ran during the backup; run the backup again.")
        if revision is None:
            raise BackupError("The database has no Alembic revision: run `flask db upgrade` first.")
        _fsync(part)
        row = BackupLog(started_at=started, ok=True, destination=str(dest), file=final.name,
                        size=part.stat().st_size, sha256=sha256(part), revision=revision)
        os.replace(part, final)
        _write_json(_manifest_path(final), {
            "app": "fieldapp", "format": 1, "engine": kind, "file": final.name,
            "created_at": started.isoformat(), "revision": revision, "size": row.size,
            "sha256": row.sha256,
        })
    except (BackupError, OSError) as err:
        if part is not None and part.exists():
            part.unlink()
        message = str(err) if isinstance(err, BackupError) else f"{type(err).__name__}: {err}"
        _log_run(engine, BackupLog(started_at=started, ok=False, destination=str(dest),
                                   error=message[:500]))
        raise BackupError(message) from err
    row.finished_at = utcnow()
    _log_run(engine, row)
    prune(dest, keep_daily=keep_daily, keep_monthly=keep_monthly)
    return row


def _log_run(engine: Engine, row: BackupLog) -> None:
    """Record a run; a database too broken to log in is reported on stderr only."""
    try:
        with Session(writer_bind(engine), expire_on_commit=False) as session:
            session.add(row)
            session.commit()
    except SQLAlchemyError as err:
        log.error("backup run not logged: %s", type(err).__name__)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision of the live database (None before any migration)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return rows[0][0] if len(rows) == 1 else None


def copies(dest: Path) -> list[tuple[Path, dict]]:
    """Finished copies in dest (those with a readable manifest), newest first."""
    found = []
    for manifest in dest.glob(f"{PREFIX}*.json"):
        try:
            data = json.loads(manifest.read_text())
            created = datetime.fromisoformat(data["created_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found.append((created, manifest.with_name(manifest.name[:-5]), data))
    found.sort(key=lambda item: item[0], reverse=True)
    return [(path, data) for _created, path, data in found]


def prune(dest: Path, *, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Keep the newest copy of each of the last keep_daily days and keep_monthly months."""
    days, months, removed = set(), set(), []
    for path, data in copies(dest):
        local = datetime.fromisoformat(data["created_at"]).astimezone(LOCAL_TZ)
        day, month = local.date(), (local.year, local.month)
        keep = False
        if day not in days and len(days) < max(keep_daily, 1):
            days.add(day)
            keep = True
        if month not in months and len(months) < keep_monthly:
            months.add(month)
            keep = True
        if not keep:
            for victim in (path, _manifest_path(path)):
                victim.unlink(missing_ok=True)
            removed.append(path)
    return removed


def verify(path: Path, *, url: str) -> Verified:
    """Check a copy before anything is touched: manifest, size, checksum, integrity, revision."""
    from fieldapp.backups.revisions import known_revision

    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        manifest = json.loads(_manifest_path(path).read_text())
        expected = (manifest["engine"], int(manifest["size"]), manifest["sha256"], manifest["revision"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise BackupError(f"{_manifest_path(path).name} is missing or unreadable: it is written "
                          "beside every finished copy, so this file is not a finished backup.") from err
    kind, size, digest, revision = expected
    if kind != engines.engine_name(url):
        raise BackupError(f"This is a {kind} backup; the configured database is not {kind}.")
    if path.stat().st_size != size or sha256(path) != digest:
        raise BackupError(f"{path.name} is not the file that was backed up (truncated or damaged: "
                          "its size or checksum differs from its manifest).")
    stored = engines.sqlite_read(path) if kind == "sqlite" else engines.pg_read(path, url)
    if stored != revision:
        raise BackupError(f"{path.name} holds revision {stored}, its manifest says {revision}.")
    return Verified(path, manifest, revision, known_revision(revision, url=url))


def restore(copy: Verified, *, engine: Engine, url: str, aside_dir: Path) -> Restored:
    """Keep the current database aside, put the verified copy in its place, bring it to the
    code's revision, carry the backup log over, and check the aggregates."""
    from fieldapp.aggregates.services import check
    from fieldapp.backups.revisions import upgrade

    carried = _backup_rows(engine)
    stamp = f"{utcnow().astimezone(LOCAL_TZ):%Y%m%d-%H%M%S}"
    engine.dispose()  # no pooled connection may keep the old file or tables open
    if copy.manifest["engine"] == "sqlite":
        db_file = engines.sqlite_file(url)
        aside = engines.sqlite_apply(copy.path, db_file,
                                     db_file.with_name(f"{db_file.name}.before-restore-{stamp}"))
    else:
        aside_dir.mkdir(parents=True, exist_ok=True)
        keep = aside_dir / f"before-restore-{stamp}.dump" if current_revision(engine) else None
        engine.dispose()
        aside = engines.pg_apply(copy.path, url, keep)
    engine.dispose()
    if not copy.at_head:
        upgrade(url)
    _carry_backup_rows(engine, carried)
    with Session(writer_bind(engine)) as session:
        differences = check(session)
    return Restored(aside, not copy.at_head, differences)


def _backup_rows(engine: Engine) -> list[dict]:
    """The live database's backup log, to carry into the restored one (it knows newer runs)."""
    try:
        with Session(engine) as session:
            return [row.model_dump(exclude={"id"}) for row in session.exec(select(BackupLog))]
    except SQLAlchemyError:
        return []


def _carry_backup_rows(engine: Engine, rows: list[dict]) -> None:
    with Session(writer_bind(engine)) as session:
        have = {(r.started_at, r.file) for r in session.exec(select(BackupLog))}
        session.add_all(BackupLog(**row) for row in rows if (row["started_at"], row["file"]) not in have)
        session.commit()


def status(session: Session, *, warn_after: timedelta) -> dict:
    """The last good backup, a failed run after it, and whether a warning is due."""
    last_ok = session.exec(select(BackupLog).where(BackupLog.ok)
                           .order_by(BackupLog.finished_at.desc())).first()
    last = session.exec(select(BackupLog).order_by(BackupLog.finished_at.desc())).first()
    return {
        "last_ok": last_ok,
        "failed": last if last is not None and not last.ok else None,
        "stale": last_ok is None or utcnow() - last_ok.started_at > warn_after,
        "warn_days": warn_after.days,
    }


def home_context(session: Session) -> dict:
    """What the admin home page's backup block shows (templates/backups/_home.html)."""
    from flask import current_app

    return {"backup": status(session, warn_after=current_app.config["BACKUP_WARN_AFTER"])}

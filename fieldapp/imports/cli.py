"""`flask <feature> import FILE --commune CODE [--dry-run]`, one command for every importer."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.cli import cli_session
from fieldapp.imports import engine
from fieldapp.imports.reader import TableError
from fieldapp.records.validation import RecordInvalid

LABELS = {engine.NEW: "new", engine.SAME: "already present", engine.CHANGED: "changed",
          engine.REJECTED: "rejected", engine.REPEATED: "repeated in the file",
          engine.SKIPPED: "total rows skipped"}


def _user(session, commune: Area, username: str | None) -> User:
    """The account the records are written as: the one named, else the commune's first admin."""
    stmt = select(User).where(User.active, User.role.in_((ADMIN, OFFICER)))
    if username:
        stmt = select(User).where(User.username == username)
    for user in session.exec(stmt.order_by(User.id)):
        area = session.get(Area, user.area_id)
        if area is not None and area.contains(commune):
            return user
    raise click.ClickException(f"No admin or officer account{f' {username}' if username else ''} "
                               f"covers commune {commune.code}: pass --user.")


def import_command(importer: engine.Importer) -> click.Command:
    """The import command of one importer."""

    @click.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--commune", "commune_code", required=True, help="Commune code, e.g. 21220.")
    @click.option("--user", "username", help="Account the records are written as (default: the "
                  "commune's first admin).")
    @click.option("--dry-run", is_flag=True, help="Show the preview only; write nothing.")
    @with_appcontext
    def command(path: Path, commune_code: str, username: str | None, dry_run: bool):
        """Import a CSV/XLSX file: preview, then (without --dry-run) write it in one transaction."""
        with cli_session() as session:
            commune = session.exec(select(Area).where(Area.level == COMMUNE,
                                                      Area.code == commune_code)).first()
            if commune is None:
                raise click.ClickException(f"No commune with code {commune_code}.")
            user = _user(session, commune, username)
            kwargs = {"session": session, "area": commune, "filename": path.name, "data": path.read_bytes()}
            try:
                result = (engine.preview(importer, **kwargs) if dry_run
                          else engine.run(importer, user=user, **kwargs))
            except (TableError, RecordInvalid) as err:
                raise click.ClickException(str(err)) from err
            if result.missing:
                raise click.ClickException(
                    "Columns not found: " + ", ".join(str(c.label) for c in result.missing))
            for status in (engine.REJECTED, engine.REPEATED, engine.CHANGED):
                for row in result.shown[status]:
                    detail = row.reason or ", ".join(f"{k}: {a} -> {b}" for k, (a, b) in row.changes.items())
                    click.echo(f"row {row.number}\t{LABELS[status]}\t{row.label}\t{detail}")
            click.echo(", ".join(f"{LABELS[s]}: {result.counts[s]}" for s in engine.STATUSES))
            click.echo("dry run: nothing written" if dry_run else f"import #{result.log.id} written")

    return command

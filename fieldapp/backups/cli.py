"""`flask backup` and `flask restore`: the commands a commune's IT person runs (or cron does)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp.config import INSTANCE
from fieldapp.db import get_engine


@click.command("backup")
@with_appcontext
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the copy (default BACKUP_DIR), e.g. a USB disk or a network share.")
def backup_cmd(dest):
    """Copy the database to a dated, verified file while the app keeps serving."""
    from fieldapp.backups.services import BackupError, take_backup

    cfg = current_app.config
    default = Path(cfg["BACKUP_DIR"])
    try:
        row = take_backup(
            engine=get_engine(), url=cfg["DATABASE_URL"], dest=dest or default,
            keep_daily=cfg["BACKUP_KEEP_DAILY"], keep_monthly=cfg["BACKUP_KEEP_MONTHLY"],
            # Only instance/backups is created: a missing USB mount point must fail, not
            # fill the system disk.
            create_dest=dest is None and default == INSTANCE / "backups",
        )
    except BackupError as err:
        raise click.ClickException(f"Backup failed: {err}") from err
    click.echo(f"Backup written: {Path(row.destination) / row.file} ({row.size:,} bytes, "
               f"revision {row.revision}, integrity checked).")

@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the current database.")
def restore_cmd(file, yes):
    """Check a backup, keep the current database aside, restore, then check the aggregates."""
    from fieldapp.backups.services import BackupError, restore, verify

    cfg = current_app.config
    url = cfg["DATABASE_URL"]
    try:
        copy = verify(file, url=url)
    except BackupError as err:
        raise click.ClickException(f"{err} Nothing was changed.") from err
    click.echo(f"{file.name}: integrity checked, revision {copy.revision}, "
               f"taken {copy.manifest['created_at']}.")
    if not yes:
        raise click.ClickException(
            "Nothing was changed. Stop the app, then run again with --yes to replace the "
            "current database (it is kept aside first)."
        )
    try:
        done = restore(copy, engine=get_engine(), url=url, aside_dir=Path(cfg["BACKUP_DIR"]))
    except BackupError as err:
        raise click.ClickException(str(err)) from err
    if done.aside is not None:
        click.echo(f"The previous database was kept at {done.aside}.")
    if done.upgraded:
        click.echo("The copy was from an older version and has been migrated to this one.")
    for diff in done.differences[:50]:
        click.echo("\t".join(str(x) for x in diff))
    if done.differences:
        raise click.ClickException(
            f"Restored, but the aggregates check found {len(done.differences)} differences: "
            "run `flask aggregates rebuild`."
        )
    click.echo("Restored. Aggregates checked: no difference.")

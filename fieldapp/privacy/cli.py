"""`flask privacy purge`: de-identify households past the retention period."""

import click
from flask import current_app
from flask.cli import AppGroup

from fieldapp.cli import cli_session

privacy = AppGroup("privacy", help="Personal data.")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be de-identified; change nothing.")
@click.option("--days", type=int, default=None,
              help="Retention period in days (default PERSONAL_DATA_RETENTION_DAYS).")
def purge_cmd(dry_run, days):
    """De-identify households whose last change and last visit are older than the
    retention period; every count (and so every aggregate) stays."""
    from fieldapp.privacy.services import purge

    days = days if days is not None else current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
    if days < 1:
        raise click.ClickException("The retention period must be at least 1 day.")
    with cli_session() as session:
        try:
            households = purge(session, days=days, dry_run=dry_run)
        except ValueError as err:
            raise click.ClickException(str(err)) from err
        ids = [h.id for h in households]
    verb = "would be de-identified" if dry_run else "de-identified"
    click.echo(f"{len(ids)} households {verb} (retention {days} days).")
    for household_id in ids:
        click.echo(f"  household {household_id}")

"""`flask aggregates rebuild|check`: recompute the aggregate tables, or compare them."""

import time

import click
from flask.cli import AppGroup
from sqlalchemy import text

from fieldapp.cli import cli_session

aggregates = AppGroup("aggregates", help="Aggregate tables.")


@aggregates.command("rebuild")
def aggregates_rebuild():
    """Recompute every aggregate from the raw records (set-based SQL)."""
    from fieldapp.aggregates.services import rebuild

    started = time.perf_counter()
    with cli_session() as session:
        rebuild(session)
        session.commit()
        # Fresh statistics: the planner would otherwise plan dashboards for the old tables.
        session.exec(text("ANALYZE aggregate"))
        session.exec(text("ANALYZE aggregate_member"))
        session.commit()
    click.echo(f"Aggregates rebuilt in {time.perf_counter() - started:.1f} s.")


@aggregates.command("check")
def aggregates_check():
    """Rebuild into scratch tables and report any difference from the stored ones."""
    from fieldapp.aggregates.services import check
    from fieldapp.maintenance import ADVICE, due

    with cli_session() as session:
        for step in due(session):  # the stored tables may be waiting for their refill
            click.echo(f"Due after the migrations: {step.name}; {ADVICE}.")
        diffs = check(session)
    for diff in diffs[:50]:
        click.echo("\t".join(str(x) for x in diff))
    if diffs:
        raise click.ClickException(f"{len(diffs)} differences between stored and rebuilt.")
    click.echo("Aggregates checked: no difference.")

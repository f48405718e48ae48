"""`flask areas …`: import a province's communes and a commune's thôn."""

import click
from flask.cli import AppGroup
from sqlmodel import select

from fieldapp.cli import cli_session

areas = AppGroup("areas", help="Administrative areas.")


@areas.command("import-province")
@click.argument("code", type=int)
def import_province_cmd(code):
    """Import a province and its communes from vietnam-provinces (e.g. 51)."""
    from fieldapp.areas.services import import_province

    with cli_session() as session:
        try:
            area, added = import_province(session=session, province_code=code)
        except ValueError as err:
            raise click.ClickException(f"Unknown province code {code}.") from err
        click.echo(f"{area.name}: {added} communes added.")


@areas.command("import-thon")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--commune", "commune_code", required=True, help="Commune code, e.g. 21220.")
def import_thon_cmd(path, commune_code):
    """Import thôn from a CSV/XLSX file with a 'Tên thôn' column."""
    from fieldapp.areas.models import COMMUNE, Area
    from fieldapp.areas.services import import_thon_rows
    from fieldapp.tabular import TableError, read_table

    with cli_session() as session:
        commune = session.exec(
            select(Area).where(Area.level == COMMUNE, Area.code == commune_code)
        ).first()
        if commune is None:
            raise click.ClickException(f"No commune with code {commune_code}.")
        with open(path, "rb") as fh:
            try:
                rows = list(read_table(path, fh.read()))
            except TableError as err:
                raise click.ClickException(str(err)) from err
        for line in import_thon_rows(session=session, commune=commune, rows=rows):
            click.echo(f"{line['row']}\t{line['status']}\t{line['name']}\t{line['error']}")

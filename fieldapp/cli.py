"""Flask commands: migrations, demo data, areas import, accounts."""

import click
from flask import current_app
from sqlalchemy import text
from sqlmodel import Session, select

from fieldapp.config import ROOT
from fieldapp.db import get_engine, writer_bind


def alembic_config(url: str):
    """Alembic configuration from pyproject.toml, pointed at a database URL."""
    from alembic.config import Config

    cfg = Config(toml_file=str(ROOT / "pyproject.toml"))
    cfg.attributes["database_url"] = url
    return cfg


def _session() -> Session:
    return Session(writer_bind(get_engine()), expire_on_commit=False)


def register(app) -> None:
    """Attach the command groups to the app."""
    from fieldapp.backups.cli import register as register_backups
    from fieldapp.privacy.cli import register as register_privacy

    register_privacy(app)  # flask privacy purge
    register_backups(app)  # flask backup, flask restore

    @app.cli.group()
    def db():
        """Database migrations."""

    @db.command("upgrade")
    def db_upgrade():
        """Apply every migration (alembic upgrade head)."""
        from alembic import command

        command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), "head")

    @app.cli.group()
    def demo():
        """Demo data."""

    @demo.command("load")
    @click.option("--if-empty", is_flag=True, help="Do nothing when accounts already exist.")
    def demo_load(if_empty):
        """Load the demo commune and its users (password demo1234, for trying the app only)."""
        from fieldapp.demo import is_empty, load_demo

        with _session() as session:
            if not is_empty(session):
                if if_empty:
                    click.echo("Database already has accounts: demo data not loaded.")
                    return
                raise click.ClickException("The database is not empty.")
            commune = load_demo(session, records=True)
            click.echo(f"Demo data loaded for {commune.name}.")

    @demo.command("info")
    def demo_info():
        """Print where the app is served and the demo logins."""
        import os
        import socket

        from fieldapp.demo import DEMO_PASSWORD, DEMO_USERS

        port = os.environ.get("PORT", "8000")
        click.echo(f"fieldapp: http://127.0.0.1:{port}")
        try:
            # Local interface addresses, read without sending anything on the network.
            addrs = {ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
        except OSError:
            addrs = set()
        for addr in sorted(a for a in addrs if not a.startswith("127.")):
            click.echo(f"  on the same Wi-Fi: http://{addr}:{port}")
        click.echo(f"Demo logins (password {DEMO_PASSWORD}, for trying the app only):")
        for username, full_name, role, _level in DEMO_USERS:
            click.echo(f"  {username:10} {role:8} {full_name}")

    @app.cli.group()
    def areas():
        """Administrative areas."""

    @areas.command("import-province")
    @click.argument("code", type=int)
    def import_province_cmd(code):
        """Import a province and its communes from vietnam-provinces (e.g. 51)."""
        from fieldapp.areas.services import import_province

        with _session() as session:
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

        with _session() as session:
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

    @app.cli.group()
    def aggregates():
        """Aggregate tables."""

    @aggregates.command("rebuild")
    def aggregates_rebuild():
        """Recompute every aggregate from the raw records (set-based SQL)."""
        import time

        from fieldapp.aggregates.services import rebuild

        started = time.perf_counter()
        with _session() as session:
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

        with _session() as session:
            diffs = check(session)
        for diff in diffs[:50]:
            click.echo("\t".join(str(x) for x in diff))
        if diffs:
            raise click.ClickException(f"{len(diffs)} differences between stored and rebuilt.")
        click.echo("Aggregates checked: no difference.")

    @app.cli.group()
    def users():
        """Accounts."""

    @users.command("create")
    @click.argument("username")
    @click.option("--name", "full_name", required=True)
    @click.option("--role", required=True)
    @click.option("--area-code", required=True, help="Province or commune code.")
    @click.password_option()
    def users_create(username, full_name, role, area_code, password):
        """Create an account, e.g. the first admin of a real deployment."""
        from fieldapp.areas.models import Area
        from fieldapp.auth.services import AccountError, create_user

        with _session() as session:
            area = session.exec(select(Area).where(Area.code == area_code)).first()
            if area is None:
                raise click.ClickException(f"No area with code {area_code}.")
            data = {"username": username, "full_name": full_name, "role": role, "area_id": area.id}
            try:
                create_user(session=session, data=data, password=password)
            except AccountError as err:
                raise click.ClickException(err.message) from err
            click.echo(f"Account {username} created.")

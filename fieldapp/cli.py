"""Flask commands of the app itself: migrations and demo data (features bring their own)."""

import click
from flask import current_app
from sqlmodel import Session

from fieldapp.config import ROOT
from fieldapp.db import get_engine, writer_bind


def alembic_config(url: str):
    """Alembic configuration from pyproject.toml, pointed at a database URL."""
    from alembic.config import Config

    cfg = Config(toml_file=str(ROOT / "pyproject.toml"))
    cfg.attributes["database_url"] = url
    return cfg


def cli_session() -> Session:
    """A session for a command, on the writer's connection."""
    return Session(writer_bind(get_engine()), expire_on_commit=False)


def register(app) -> None:
    """Attach the app's own command groups (each feature adds its own)."""

    @app.cli.group()
    def db():
        """Database migrations."""

    @db.command("upgrade")
    def db_upgrade():
        """Apply every migration (alembic upgrade head), then the steps they left due."""
        from alembic import command

        from fieldapp.maintenance import UnknownStep, run_due_steps

        command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), "head")
        try:
            run_due_steps(click.echo)
        except UnknownStep as err:
            raise click.ClickException(str(err)) from err

    @app.cli.group()
    def demo():
        """Demo data."""

    @demo.command("load")
    @click.option("--if-empty", is_flag=True, help="Do nothing when accounts already exist.")
    def demo_load(if_empty):
        """Load the demo commune and its users (password demo1234, for trying the app only)."""
        from fieldapp.demo import is_empty, load_demo

        with cli_session() as session:
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

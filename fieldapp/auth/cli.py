"""`flask users create`: accounts from the command line (the first admin of a deployment)."""

import click
from flask.cli import AppGroup
from sqlmodel import select

from fieldapp.cli import cli_session

users = AppGroup("users", help="Accounts.")


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

    with cli_session() as session:
        area = session.exec(select(Area).where(Area.code == area_code)).first()
        if area is None:
            raise click.ClickException(f"No area with code {area_code}.")
        data = {"username": username, "full_name": full_name, "role": role, "area_id": area.id}
        try:
            create_user(session=session, data=data, password=password)
        except AccountError as err:
            raise click.ClickException(err.message) from err
        click.echo(f"Account {username} created.")

"""Alembic environment: the app's models, the URL from the app's configuration."""

from alembic import context
from sqlalchemy import pool
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import fieldapp.models  # noqa: F401  (registers every table on SQLModel.metadata)
from fieldapp.config import database_url
from fieldapp.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("database_url") or database_url()


def render_item(type_, obj, autogen_context):
    """Write the app's column types (UTCDateTime) as the plain type they create in the database.

    A revision never imports fieldapp: the app's type may change behaviour later, while the
    DDL it emits (a naive DATETIME / TIMESTAMP holding UTC) is what the revision describes.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator) and type(obj).__module__.startswith("fieldapp"):
        return f"sa.{obj.impl_instance!r}"
    return False


def run_migrations_offline() -> None:
    """Emit SQL without a database connection."""
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True,
        compare_type=True, render_as_batch=True, render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the database."""
    connectable = config.attributes.get("connection") or make_engine(_url(), poolclass=pool.NullPool)
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata,
        compare_type=True, render_as_batch=True, render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

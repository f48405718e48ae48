"""Alembic builds an empty database to head matching the models; SQLite runs in WAL mode."""

import os
import uuid

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import fieldapp.models  # noqa: F401  (every table on the metadata)
from fieldapp import create_app
from fieldapp.cli import alembic_config
from fieldapp.db import make_engine

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def empty_url(tmp_path):
    """An empty database: a SQLite file, or a scratch PostgreSQL database on the PG leg."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migr.db'}"
        return
    name = f"fieldapp_migr_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tables(url):
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_empty_database_to_head_matches_models(empty_url):
    assert tables(empty_url) == set()
    cfg = alembic_config(empty_url)
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises when the models and the migrations disagree
    model_tables = set(SQLModel.metadata.tables)
    assert model_tables <= tables(empty_url)
    assert {"user", "user_session", "login_attempt", "area"} <= model_tables


def test_downgrade_to_base_and_upgrade_again(empty_url):
    cfg = alembic_config(empty_url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    assert tables(empty_url) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    command.check(cfg)


def test_cli_db_upgrade_builds_the_schema(empty_url):
    app = create_app({
        "FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "x" * 32, "DATABASE_URL": empty_url,
    })
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
    finally:
        app.extensions["engine"].dispose()
    assert set(SQLModel.metadata.tables) <= tables(empty_url)


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path):
    app = create_app({
        "FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "x" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.db'}",
    })
    engine = app.extensions["engine"]
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()

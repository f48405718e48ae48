"""Alembic builds an empty database to head matching the models; SQLite runs in WAL mode."""

import os

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import fieldapp.models  # noqa: F401  (every table on the metadata)
from fieldapp import create_app
from fieldapp.cli import alembic_config
from fieldapp.db import make_engine

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def empty_url(empty_database):
    """An empty database: a SQLite file, or a scratch PostgreSQL database on the PG leg."""
    return empty_database


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


def test_upgrade_of_a_database_with_records_refills_the_aggregates(empty_url):
    """The aggregate-table migration recomputes what an older version stored."""
    from sqlmodel import Session, func, select

    from fieldapp.aggregates.models import Aggregate
    from fieldapp.aggregates.services import check
    from fieldapp.areas.models import THON, Area
    from fieldapp.auth.models import User
    from fieldapp.demo import load_demo
    from fieldapp.households.models import HouseholdIn
    from fieldapp.households.services import create_household
    from fieldapp.records.validation import validate

    cfg = alembic_config(empty_url)
    command.upgrade(cfg, "7c2e4a91b3d5")
    app = create_app({"FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-only",
                      "DATABASE_URL": empty_url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KB": 256})
    engine = app.extensions["engine"]
    try:
        with app.app_context(), Session(engine) as session:
            load_demo(session)
            user = session.exec(select(User).where(User.username == "canbo")).one()
            thon = session.exec(select(Area).where(Area.level == THON)).first()
            levels = len(thon.path.strip("/").split("/"))  # thôn, commune, province
            create_household(session=session, user=user, thon=thon, data=validate(HouseholdIn, {
                "head_name": "Nguyễn Văn Đức", "members": 4, "adults": 3, "adults_dvctt": 1}))
            # A row the old layout kept that the records do not support.
            session.exec(text("UPDATE aggregate SET value = value + 7 WHERE metric = 'hh_adults'"))
            session.commit()
        command.upgrade(cfg, "head")
        with app.app_context(), Session(engine) as session:
            adults = session.exec(select(func.sum(Aggregate.value)).where(
                Aggregate.metric == "hh_adults")).one()
            assert adults == 3 * levels
            assert check(session) == []
    finally:
        engine.dispose()

"""Alembic builds an empty database to head matching the models; SQLite runs in WAL mode."""

import ast
import os
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from migration_history import dump_rows, fingerprint, load_rows, read, snapshot_files
from sqlalchemy import DateTime, Integer, String, inspect, text
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


VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("*.py")), ids=lambda p: p.name[9:21])
def test_revisions_never_import_the_app(path):
    """A revision describes the schema of its day: the app's code of today is not part of it."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not {name for name in imported if name.split(".")[0] == "fieldapp"}


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


def test_upgrade_of_a_database_with_records_refills_the_aggregates(empty_url, caplog):
    """The aggregate-table migration leaves the refill due; `flask db upgrade` does it."""
    from sqlmodel import Session, func, select

    from fieldapp.aggregates.models import Aggregate
    from fieldapp.aggregates.services import check
    from fieldapp.areas.models import THON, Area
    from fieldapp.auth.models import User
    from fieldapp.demo import load_demo
    from fieldapp.households.models import Household
    from fieldapp.maintenance import UpgradeStep

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
            # A household as this revision stores it (today's services write tables it lacks).
            session.exec(Household.__table__.insert().values(
                uuid="3f1c8f0e-8f6a-4a57-9a57-0b2b8d3c1e01", area_id=thon.id, created_by=user.id,
                updated_by=user.id, created_at=datetime(2025, 5, 2, tzinfo=UTC),
                updated_at=datetime(2025, 5, 2, tzinfo=UTC),
                version=1, head_name="Nguyễn Văn Đức", address="", members=4, adults=3, adults_dvctt=1,
                adults_vneid2=0, consent_given=False, note="", registered_on=date(2025, 5, 2),
                head_name_folded="nguyen van duc", search_text="nguyen van duc", name_sort=""))
            # A row the old layout kept that the records do not support.
            session.exec(text("UPDATE aggregate SET value = value + 7 WHERE metric = 'hh_adults'"))
            session.commit()
        command.upgrade(cfg, "head")  # plain Alembic: the schema, not today's code
        with app.app_context(), Session(engine) as session:
            assert [(s.name, s.revision) for s in session.exec(select(UpgradeStep))] == [
                ("aggregates.rebuild", "9d4e2b7c1a3f")]
            assert session.exec(select(func.count()).select_from(Aggregate)).one() == 0
            caplog.clear()
            assert check(session) != []
            assert "refill the aggregate tables" in caplog.text and "flask db upgrade" in caplog.text
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert ("After the migrations: refill the aggregate tables from the records "
                "(left due by revision 9d4e2b7c1a3f)") in result.output
        with app.app_context(), Session(engine) as session:
            adults = session.exec(select(func.sum(Aggregate.value)).where(
                Aggregate.metric == "hh_adults")).one()
            assert adults == 3 * levels
            assert session.exec(select(UpgradeStep)).all() == []
            caplog.clear()
            assert check(session) == []
            assert "flask db upgrade" not in caplog.text
        again = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert again.exit_code == 0 and "After the migrations" not in again.output
    finally:
        engine.dispose()


def test_the_app_warns_once_per_worker_while_a_step_is_left_due(app, db, client, caplog):
    """After a plain `alembic upgrade` the app still serves, and its log says what to run."""
    from fieldapp.maintenance import UpgradeStep

    db.add(UpgradeStep(name="aggregates.rebuild", revision="9d4e2b7c1a3f"))
    db.commit()
    assert client.get("/login").status_code == 200
    assert ("Left due by revision 9d4e2b7c1a3f: refill the aggregate tables from the records; "
            "run `flask db upgrade`") in caplog.text
    caplog.clear()
    assert client.get("/login").status_code == 200
    assert "flask db upgrade" not in caplog.text


def test_db_upgrade_refuses_a_step_this_version_does_not_know(empty_url):
    """A database upgraded by a newer version: the older code says so and leaves the step."""
    command.upgrade(alembic_config(empty_url), "head")
    engine = make_engine(empty_url)
    app = create_app({"FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-only",
                      "DATABASE_URL": empty_url})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO upgrade_step (name, revision) VALUES ('search.reindex', 'ffff')"))
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 1
        assert "Revision ffff left step 'search.reindex', unknown to this version." in result.output
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM upgrade_step")).scalars().all() == ["search.reindex"]
    finally:
        app.extensions["engine"].dispose()
        engine.dispose()


# How today's chain builds what versions with another revision 5b1f0c7d9e21 left.
REBUILT = {
    # 1f32d38's 5b1f0c7d9e21 changed no schema: 2e9516f36073's tables, stamped.
    "1f32d38": ("2e9516f36073", "UPDATE alembic_version SET version_num = '5b1f0c7d9e21'"),
    # 0e45751's came before improvement actions: today's 5b1f0c7d9e21 without that table.
    "0e45751": ("5b1f0c7d9e21", "DROP TABLE improvement_action"),
}
REFILLED = ("aggregate", "aggregate_member")
# Tables a later revision replaced: where their rows went, as (columns then, table now, columns now).
MOVED = {"figure_month_close": (("area_id", "month", "closed_by"), "period_close",
                                ("area_id", "period", "closed_by"))}


@pytest.fixture(scope="module")
def head_schema(tmp_path_factory):
    """The schema of an empty database upgraded to head (the same on both engines)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('head') / 'head.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return fingerprint(conn)
    finally:
        engine.dispose()


def _columns(table: dict, names: list[str]) -> list[list]:
    at = [table["columns"].index(name) for name in names]
    return [[row[i] for i in at] for row in table["rows"]]


def _households_under_each_area(conn) -> tuple[dict, dict]:
    """Live households and their adults under every area: by GROUP BY, and as stored."""
    raw = {(area, metric): value for area, households, adults in conn.execute(text(
        "SELECT a.id, COUNT(*), SUM(h.adults) FROM area a JOIN area t ON t.path LIKE a.path || '%' "
        "JOIN household h ON h.area_id = t.id WHERE h.deleted_at IS NULL GROUP BY a.id"))
        for metric, value in (("hh_households", households), ("hh_adults", adults)) if value}
    stored = {(area, metric): value for area, metric, value in conn.execute(text(
        "SELECT area_id, metric, SUM(value) FROM aggregate WHERE metric IN ('hh_households', 'hh_adults') "
        "GROUP BY area_id, metric"))}
    return raw, stored


def _households_visited_each_year(conn) -> tuple[dict, dict]:
    """Distinct live households with a live visit, per area and commune-time year."""
    members = defaultdict(set)
    rows = conn.execute(text(
        "SELECT v.household_id, v.visited_at, a.path FROM visit v JOIN household h ON h.id = v.household_id "
        "JOIN area a ON a.id = h.area_id WHERE v.deleted_at IS NULL AND h.deleted_at IS NULL"
    ).columns(household_id=Integer, visited_at=DateTime, path=String))
    for household_id, visited_at, path in rows:
        year = str((visited_at + timedelta(hours=7)).year)  # Asia/Ho_Chi_Minh, no daylight saving
        for area in path.strip("/").split("/"):
            members[(int(area), year)].add(household_id)
    stored = {(area, period): value for area, period, value in conn.execute(text(
        "SELECT area_id, period, value FROM aggregate WHERE metric = 'hh_visited'"))}
    return {key: len(ids) for key, ids in members.items()}, stored


@pytest.mark.parametrize("path", snapshot_files(), ids=lambda p: p.name.removesuffix(".json.gz"))
def test_a_database_from_every_revision_upgrades_to_head(empty_url, head_schema, path):
    """Built and filled as an earlier version left it, `flask db upgrade` brings it to today's."""
    snap = read(path)
    cfg = alembic_config(empty_url)
    revision, adjust = REBUILT.get(snap["commit"][:7], (snap["revision"], None))
    command.upgrade(cfg, revision)
    engine = make_engine(empty_url)
    app = None
    try:
        with engine.begin() as conn:
            if adjust:
                conn.execute(text(adjust))
            assert fingerprint(conn) == snap["schema"]  # as that version's own migrations built it
            load_rows(conn, snap["tables"])
        app = create_app({"FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-only",
                          "DATABASE_URL": empty_url})
        runner = app.test_cli_runner()
        upgraded = runner.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        has_records = bool(snap["tables"].get("household", {}).get("rows"))
        assert ("refill the aggregate tables" in upgraded.output) == has_records, upgraded.output
        checked = runner.invoke(args=["aggregates", "check"])
        assert checked.exit_code == 0, checked.output
        assert "no difference" in checked.output
        command.check(cfg)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            assert fingerprint(conn) == head_schema
            if conn.dialect.name == "sqlite":  # the one part of the layout the fingerprint leaves out
                assert "WITHOUT ROWID" in conn.execute(text(
                    "SELECT sql FROM sqlite_master WHERE name = 'aggregate'")).scalar()
            assert conn.execute(text("SELECT COUNT(*) FROM upgrade_step")).scalar() == 0
            after = dump_rows(conn)
            for name, table in snap["tables"].items():
                if name in MOVED:
                    then, now, cols = MOVED[name]
                    assert sorted(_columns(after[now], cols)) == sorted(_columns(table, then)), name
                elif name not in REFILLED:
                    assert _columns(after[name], table["columns"]) == table["rows"], name
            for raw, stored in (_households_under_each_area(conn), _households_visited_each_year(conn)):
                assert stored == raw
            if has_records:
                assert raw
    finally:
        if app is not None:
            app.extensions["engine"].dispose()
        engine.dispose()

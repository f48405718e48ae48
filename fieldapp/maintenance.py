"""Work that migrations leave due for the installed code: `flask db upgrade` does it after them.

A revision never imports the app: code called from a migration would change what the revision
does each time that code changes. So a revision that changes how something derived from the
records is kept (the aggregate tables) does not recompute it; when the database has records, it
leaves a row in upgrade_step, in plain SQL:

    INSERT INTO upgrade_step (name, revision) SELECT 'aggregates.rebuild', '<its revision>'
    WHERE NOT EXISTS (SELECT 1 FROM upgrade_step WHERE name = 'aggregates.rebuild')

`flask db upgrade` runs the migrations, then each due step with today's code, deleting the row
in the step's own transaction. A plain `alembic upgrade` leaves the rows: the app then logs a
warning once per worker, and `flask aggregates check` says why its figures differ, until
`flask db upgrade` has run.
"""

import logging
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, Session, SQLModel, select

from fieldapp.db import get_engine, writer_bind

log = logging.getLogger(__name__)

ADVICE = "run `flask db upgrade` (it does the steps after the migrations)"


class UpgradeStep(SQLModel, table=True):
    """A step a migration left due, done by `flask db upgrade` after the migrations."""

    __tablename__ = "upgrade_step"

    name: str = Field(primary_key=True, max_length=40)
    revision: str = Field(max_length=32)  # the revision that left it due


def _rebuild_aggregates(session: Session) -> None:
    from fieldapp.aggregates.services import rebuild

    rebuild(session)
    # Fresh statistics, or the planner plans the dashboards for the tables it last saw.
    session.exec(text("ANALYZE aggregate"))
    session.exec(text("ANALYZE aggregate_member"))


# Every step a revision may leave due, in the order they run: name -> (what it does, the step).
STEPS: dict[str, tuple[str, Callable[[Session], None]]] = {
    "aggregates.rebuild": ("refill the aggregate tables from the records", _rebuild_aggregates),
}


class UnknownStep(RuntimeError):
    """A revision left a step this version does not know (the code is older than the database)."""


def due(session: Session) -> list[UpgradeStep]:
    """The steps left due, in the order they run; a step this version does not know raises."""
    rows = {row.name: row for row in session.exec(select(UpgradeStep)).all()}
    for name, row in rows.items():
        if name not in STEPS:
            raise UnknownStep(f"Revision {row.revision} left step {name!r}, unknown to this version.")
    return [rows[name] for name in STEPS if name in rows]


def run_due(session: Session, echo: Callable[[str], None]) -> int:
    """Do every due step, each committed together with the removal of its row; returns how many."""
    steps = due(session)
    for step in steps:
        label, run = STEPS[step.name]
        echo(f"After the migrations: {label} (left due by revision {step.revision}).")
        started = time.perf_counter()
        run(session)
        session.delete(step)
        session.commit()
        echo(f"Done in {time.perf_counter() - started:.1f} s.")
    return len(steps)


def run_due_steps(echo: Callable[[str], None]) -> int:
    """Do the steps left due on the current app's database (what `flask db upgrade` ends with)."""
    with Session(writer_bind(get_engine()), expire_on_commit=False) as session:
        return run_due(session, echo)


def _warn(step: UpgradeStep) -> None:
    log.warning("Left due by revision %s: %s; %s.", step.revision, STEPS[step.name][0], ADVICE)


def warn_if_due(session: Session, name: str) -> bool:
    """Log a warning when the named step is due; True if it is."""
    step = session.get(UpgradeStep, name)
    if step is not None:
        _warn(step)
    return step is not None


def _warn_at_start(engine) -> None:
    """Log what is due, or that the database predates upgrade steps; never fails a request."""
    try:
        with Session(engine) as session:
            steps = due(session)
    except (SQLAlchemyError, UnknownStep) as err:
        log.warning("The database is not at this version's schema (%s); %s.", type(err).__name__, ADVICE)
        return
    for step in steps:
        _warn(step)


def init_app(app) -> None:
    """Check once per worker, at its first request, that no step is left due."""

    @app.before_request
    def _check_upgrade_steps():
        if not app.extensions.get("upgrade_steps_checked"):
            app.extensions["upgrade_steps_checked"] = True
            _warn_at_start(app.extensions["engine"])

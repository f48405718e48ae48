"""Every record type's metrics: the in-memory and SQL evaluations agree, and check finds nothing.

The demo loaders write every record type through the services (incremental aggregates);
here they run with fewer households and months (conftest's demo_records), so all types load
in little time.
"""

from datetime import UTC, datetime

from sqlmodel import select

from fieldapp.aggregates.metrics import SOURCES
from fieldapp.aggregates.services import check
from fieldapp.aggregates.spec import Period
from fieldapp.auth.models import User
from fieldapp.records.services import delete_record


def _sql_rows(db, group, record_id):
    return sorted(group.fetch(db, [record_id]))


def _compare_every_record(db) -> dict[str, int]:
    """Assert both evaluations agree for every record of every table; counts per table."""
    compared = {}
    for name, src in SOURCES.items():
        records = db.exec(select(src.model)).all()
        for record in records:
            for group in src.groups:
                in_memory = sorted(group.evaluate(db, record))
                assert in_memory == _sql_rows(db, group, record.id), (name, record.id)
        compared[name] = len(records)
    return compared


def test_in_memory_and_sql_evaluations_agree_for_every_record(app, demo_records):
    compared = _compare_every_record(demo_records)
    # Every table had records to compare (the demo covers them all).
    assert all(compared.values()), compared
    assert set(compared) == {"household", "household_figures", "visit", "survey", "feedback", "roster_person",
                             "training_attendance", "training_session", "communication_activity",
                             "monthly_figure", "lesson", "branch", "outreach_activity",
                             "improvement_action"}


def test_check_finds_nothing_after_demo_data_and_after_deleting_one_of_each(app, demo_records):
    db = demo_records
    with app.app_context():
        assert check(db) == []
        admin = db.exec(select(User).where(User.username == "admin")).one()
        for src in SOURCES.values():
            record = db.exec(select(src.model).where(src.model.deleted_at.is_(None))
                             .order_by(src.model.id.desc())).first()
            delete_record(session=db, user=admin, record=record, reason="test")
            db.commit()
        assert check(db) == []
        # Deleted rows (and rows joining a deleted household, session or person) agree too.
        _compare_every_record(db)


# Around the turn of a month and a year in commune time (UTC+7) and in UTC.
EDGES = ["2024-12-31T16:59:59", "2024-12-31T17:00:00", "2025-01-31T23:30:00", "2025-02-28T17:00:01",
         "2025-06-30T16:00:00", "2025-12-31T17:00:00"]


def test_periods_agree_at_month_and_year_edges(app, demo_records):
    """Each period column set near midnight at a month's end: both evaluations pick the same month."""
    db = demo_records
    tried = 0
    for name, src in SOURCES.items():
        own = [g for g in src.groups if isinstance(g.period, Period) and g.period.attr.class_ is src.model]
        for group in own:
            record = db.exec(select(src.model).where(src.model.deleted_at.is_(None))).first()
            for edge in EDGES:
                moment = datetime.fromisoformat(edge).replace(tzinfo=UTC)
                is_datetime = isinstance(getattr(record, group.period.attr.key), datetime)
                setattr(record, group.period.attr.key, moment if is_datetime else moment.date())
                db.flush()
                assert sorted(group.evaluate(db, record)) == _sql_rows(db, group, record.id), (name, edge)
                tried += 1
            db.rollback()
    assert tried >= 10 * len(EDGES)

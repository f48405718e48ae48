"""Log every successful view of a page that shows households' personal data."""

from functools import cache

from flask import g, request
from sqlmodel import Session

from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.db import get_engine, writer_bind
from fieldapp.features import installed
from fieldapp.privacy import mask_numbers
from fieldapp.privacy.models import PersonalDataAccess


@cache
def personal_pages() -> dict[str, tuple[str, ...]]:
    """Pages with names, addresses or phones of households (each feature declares its own),
    with the filters worth keeping."""
    return {endpoint: keys for f in installed() for endpoint, keys in f.personal_pages.items()}


def _filters(keys: tuple[str, ...]) -> dict:
    """The list filters of the request; a search keeps its words but never its digits."""
    out = {}
    for key in keys:
        value = request.values.get(key, "").strip()[:100]
        if value:
            out[key] = mask_numbers(value) if key == "q" else value
    return out


def record_access(*, page: str, household_id: int | None = None, filters: dict | None = None,
                  user=None) -> None:
    """Write one access row on its own short transaction (the page may only have read).

    user: who saw it, by default the signed-in user (the sync API passes its token's user).
    """
    user = user or g.get("user")
    if user is None:
        return
    row = PersonalDataAccess(user_id=user.id, area_id=user.area_id, page=page[:60],
                             household_id=household_id, filters=filters or {})
    # End the request's own transaction first: on SQLite a POST holds the write lock, and
    # whatever the view meant to keep it has committed (teardown would roll the rest back).
    request_session = g.get("db_session")
    if request_session is not None:
        request_session.rollback()
    with Session(writer_bind(get_engine())) as session:
        session.add(row)
        session.commit()


def register_access_log(app) -> None:
    """After each successful personal-data page, record who saw what."""

    @app.after_request
    def _log_access(response):
        keys = personal_pages().get(request.endpoint or "")
        user = g.get("user")
        if keys is None or user is None or response.status_code != 200:
            return response
        if user.role not in SEES_PERSONAL_DATA:
            return response
        args = dict(request.view_args or {})
        household_id = args.pop("household_id", None)
        # Fail closed: a view that cannot be logged is answered with an error, not the data.
        record_access(page=request.endpoint, household_id=household_id, filters=args | _filters(keys))
        return response

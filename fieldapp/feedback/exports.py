"""Exports of this feature: feedback (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.exports.registry import PERSONAL, THON_COL, Column, Exporter, Kind, id_column, register
from fieldapp.feedback.models import SOURCES, STATUSES, Feedback

register(Exporter(
    "feedback", _l("Feedback"), Feedback, PERSONAL, [
        id_column(Feedback), Column(_l("Date received"), Feedback.received_on, Kind.DATE), THON_COL,
        Column(_l("Source"), Feedback.source, Kind.CODE, tuple(SOURCES)),
        Column(_l("Feedback"), Feedback.text, personal=True),
        Column(_l("Handling status"), Feedback.status, Kind.CODE, tuple(STATUSES)),
        Column(_l("Answer of the commune"), Feedback.answer),
        Column(_l("Answered at"), Feedback.answered_at, Kind.DATETIME),
        Column(_l("Published at"), Feedback.published_at, Kind.DATETIME),
    ], Feedback.received_on, Kind.DATE, personal=True,
))

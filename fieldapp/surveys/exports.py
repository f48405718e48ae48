"""Exports of this feature: satisfaction surveys (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS
from fieldapp.exports.registry import PERSONAL, THON_COL, Column, Exporter, Kind, id_column, register
from fieldapp.surveys.models import AGE_GROUPS, GENDERS, TRIPS, Survey

register(Exporter(
    "surveys", _l("Satisfaction surveys"), Survey, PERSONAL, [
        id_column(Survey), Column(_l("Date of the survey"), Survey.surveyed_on, Kind.DATE), THON_COL,
        Column(_l("Domain"), Survey.domain, Kind.CODE, tuple(DOMAINS)),
        Column(_l("Channel"), Survey.channel, Kind.CODE, tuple(CHANNELS)),
        *[Column(label, getattr(Survey, f"sipas_{code}"), Kind.INT) for code, label in SIPAS_FACTORS],
        Column(_l("Overall satisfaction (1–5)"), Survey.overall, Kind.INT),
        Column(_l("Overall satisfaction"), Survey.overall, Kind.CODE, tuple(SCALE)),
        Column(_l("Trips needed"), Survey.trips, Kind.CODE, tuple(TRIPS)),
        Column(_l("Gender"), Survey.respondent_gender, Kind.CODE, tuple(GENDERS)),
        Column(_l("Age group"), Survey.respondent_age_group, Kind.CODE, tuple(AGE_GROUPS)),
    ], Survey.surveyed_on, Kind.DATE,
))

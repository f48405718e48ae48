"""Exports of this feature: the official population figures the indicators are judged on."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.exports.registry import AREA_COL, Column, Exporter, Kind, id_column, register
from fieldapp.population.models import OfficialPopulation

register(Exporter(
    "population", _l("Official population figures"), OfficialPopulation, (ADMIN, OFFICER, VIEWER), [
        id_column(OfficialPopulation), AREA_COL, Column(_l("Year"), OfficialPopulation.year, Kind.INT),
        Column(_l("Adult population (18 and over)"), OfficialPopulation.adults, Kind.INT),
        Column(_l("Adults with VNeID level 2 (if known)"), OfficialPopulation.adults_vneid2, Kind.INT),
        Column(_l("Source of the figure"), OfficialPopulation.source),
        Column(_l("Date of the source"), OfficialPopulation.source_date, Kind.DATE),
        Column(_l("Note"), OfficialPopulation.note),
    ], OfficialPopulation.year, Kind.YEAR,
))

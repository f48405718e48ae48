"""Exports of this feature: households (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.exports.registry import (
    PERSONAL,
    THON_COL,
    Column,
    Exporter,
    Kind,
    created_column,
    id_column,
    register,
)
from fieldapp.households.models import Household

register(Exporter(
    "households", _l("Households"), Household, PERSONAL, [
        id_column(Household), THON_COL,
        Column(_l("Head of household"), Household.head_name, personal=True),
        Column(_l("Address"), Household.address, personal=True),
        Column(_l("Phone"), Household.phone, Kind.PHONE, personal=True),
        Column(_l("Household members"), Household.members, Kind.INT),
        Column(_l("Adults"), Household.adults, Kind.INT),
        Column(_l("Adults who used online public services"), Household.adults_dvctt, Kind.INT),
        Column(_l("Adults with VNeID level 2"), Household.adults_vneid2, Kind.INT),
        Column(_l("Registered on"), Household.registered_on, Kind.DATE),
        Column(_l("Consent"), Household.consent_given, Kind.BOOL),
        Column(_l("Consent notice version"), Household.consent_notice_version),
        Column(_l("Consent recorded at"), Household.consent_at, Kind.DATETIME),
        Column(_l("Note"), Household.note, personal=True),
        created_column(Household),
    ], Household.registered_on, Kind.DATE, personal=True,
))

"""Households in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.areas.services import resolve_thon
from fieldapp.auth.models import User
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.households import services as households
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.records.validation import RecordInvalid
from fieldapp.sync.registry import Prepared, RecordType, register


def _household_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return households.create_household(session=session, user=user, thon=thon, data=data,
                                       uuid=uuid, client_time=client_time)


def _household_create_many(session: Session, user: User, area: Area, recs: list[Prepared]):
    items, rejected = [], {}
    for n, rec in enumerate(recs):
        try:
            items.append((resolve_thon(session, user, area, rec.data.thon_id), rec.data, rec.uid,
                          rec.client_time))
        except RecordInvalid as err:
            rejected[n] = err.errors
    return households.create_households(session=session, user=user, items=items), rejected


def _household_update(session: Session, user: User, area: Area, record, data):
    thon = resolve_thon(session, user, area, data.thon_id)
    return households.update_household(session=session, user=user, household=record, thon=thon,
                                       data=data)


register("household", RecordType(
    label=_l("Household"), form="households.new",
    model=Household, schema=HouseholdIn, roles=frozenset(SEES_PERSONAL_DATA),
    create=_household_create, update=_household_update,
    columns=lambda data: data.model_dump(exclude={"thon_id", "consent_notice_version"}),
    example={"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "phone": "0912345678",
             "members": 4, "adults": 3, "adults_dvctt": 1, "adults_vneid2": 2,
             "consent_given": True, "registered_on": "2025-05-10"},
    order=10, create_many=_household_create_many,
))

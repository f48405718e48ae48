"""Visits in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.households.models import Household
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.validation import RecordInvalid
from fieldapp.sync.registry import Prepared, RecordType, register
from fieldapp.visits import services as visits
from fieldapp.visits.models import Visit, VisitIn


def _visited(session: Session, area: Area, payloads: list[dict]) -> list[Household | None]:
    """Each payload's visited household in the user's area (by the client UUID it was created
    with, or by server id), or None; the UUIDs are looked up in one query."""
    refs = sorted({str(p["household_uuid"]) for p in payloads if p.get("household_uuid")})
    by_uuid = {}
    if refs:
        by_uuid = {h.uuid: h for h in session.exec(select(Household).where(Household.uuid.in_(refs)))}
    found = []
    for payload in payloads:
        ref = payload.get("household_uuid")
        try:
            household = by_uuid.get(str(ref)) if ref else session.get(
                Household, int(payload.get("household_id") or 0))
        except (TypeError, ValueError):
            household = None
        if household is not None and (household.deleted_at is not None or not area.contains(
                session.get(Area, household.area_id))):
            household = None
        found.append(household)
    return found


def _no_household() -> dict:
    """The error of a visit whose household is not in the user's area (in the request's language)."""
    return {"household_id": [_("The household was not found in your area.")]}


def _visit_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    household = _visited(session, area, [raw])[0]
    if household is None:
        raise RecordInvalid(_no_household())
    return visits.record_visit(session=session, user=user, household=household, data=data,
                               uuid=uuid, client_time=client_time)


def _visit_create_many(session: Session, user: User, area: Area, recs: list[Prepared]):
    items, rejected, position = [], {}, []
    found = _visited(session, area, [rec.raw for rec in recs])
    for n, (rec, household) in enumerate(zip(recs, found, strict=True)):
        if household is None:
            rejected[n] = _no_household()
        else:
            position.append(n)
            items.append((household, rec.data, rec.uid, rec.client_time))
    ids, refused = visits.record_visits(session=session, user=user, items=items)
    rejected.update({position[i]: errors for i, errors in refused.items()})
    return ids, rejected


def _visit_update(session: Session, user: User, area: Area, record, data):
    return visits.update_visit(session=session, user=user, visit=record, data=data)


def _visit_payload(data: dict, client_time) -> dict:
    """A date-only visit time sent from a phone means the moment the phone saved it.

    Without this, "today" would become the server's now, different at every resend, and a
    resent visit would look like a conflict instead of a duplicate.
    """
    when = data.get("visited_at")
    if client_time and isinstance(when, str) and len(when.strip()) == 10:
        local = client_time.astimezone(LOCAL_TZ)
        if local.date().isoformat() == when.strip():
            return data | {"visited_at": local.isoformat()}
    return data


register("visit", RecordType(
    label=_l("Visit"), form="visits.quick",
    model=Visit, schema=VisitIn, roles=frozenset(SEES_PERSONAL_DATA),
    create=_visit_create, update=_visit_update,
    columns=lambda data: visits._fields(data),
    example={"household_uuid": "3f1c8f0e-8f6a-4a57-9a57-0b2b8d3c1e01",
             "visited_at": "2025-05-10T09:45:00+07:00", "result": "helped",
             "services": ["vneid_2", "portal"], "adults_guided": 2, "dossiers_submitted": 1,
             "adults_dvctt_after": 2},
    order=20, payload=_visit_payload, create_many=_visit_create_many,
))

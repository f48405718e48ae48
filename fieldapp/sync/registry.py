"""The record types the sync API accepts, each wired to its feature's schema and services.

Each entry reuses the feature's one validation (its *In schema) and its service functions,
so a synced record obeys exactly the rules of the HTML form and updates the aggregates.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.households import services as households
from fieldapp.households.models import Household, HouseholdIn


@dataclass
class RecordType:
    """How the sync API handles one record type."""

    model: type
    schema: type
    roles: frozenset
    # create(session, user, area, data, uuid, client_time) -> record (commits)
    create: Callable
    # update(session, user, area, record, data) -> record (commits)
    update: Callable
    # The stored columns a validated payload stands for, to tell duplicates from conflicts.
    columns: Callable
    example: dict
    # Lower numbers are ingested first: a visit may name a household sent in the same batch.
    order: int = 50
    # Payload fields naming another record by client UUID: {field: (model, id field)}.
    refs: dict = field(default_factory=dict)


def _household_create(session: Session, user: User, area: Area, data, uuid, client_time):
    thon = households.resolve_thon(session, user, area, data.thon_id)
    return households.create_household(session=session, user=user, thon=thon, data=data,
                                       uuid=uuid, client_time=client_time)


def _household_update(session: Session, user: User, area: Area, record, data):
    thon = households.resolve_thon(session, user, area, data.thon_id)
    return households.update_household(session=session, user=user, household=record, thon=thon,
                                       data=data)


TYPES: dict[str, RecordType] = {
    "household": RecordType(
        model=Household, schema=HouseholdIn, roles=frozenset(SEES_PERSONAL_DATA),
        create=_household_create, update=_household_update,
        columns=lambda data: data.model_dump(exclude={"thon_id", "consent_notice_version"}),
        example={"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "phone": "0912345678",
                 "members": 4, "adults": 3, "adults_dvctt": 1, "adults_vneid2": 2,
                 "consent_given": True, "registered_on": "2025-05-10"},
        order=10,
    ),
}


def register(name: str, record_type: RecordType) -> None:
    """Add a record type (used by features wired after households)."""
    TYPES[name] = record_type

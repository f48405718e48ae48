"""Which commune or thôn a new record belongs to, decided from the signed-in user's area."""

from flask_babel import gettext as _
from sqlmodel import Session

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import commune_of
from fieldapp.records.validation import RecordInvalid


def user_commune(session: Session, user_area: Area) -> Area:
    """The commune of a commune- or thôn-level user; province accounts must pick a commune account."""
    commune = commune_of(session, user_area) if user_area.level in (COMMUNE, THON) else None
    if commune is None:
        raise RecordInvalid({"__all__": [_("Sign in with a commune account to enter these records.")]})
    return commune


def pick_area(
    session: Session, user_area: Area, area_id: int | None, *, levels: tuple[str, ...], field: str
) -> Area:
    """The chosen area when it is in scope and of an allowed level, else a field error."""
    area = session.get(Area, area_id) if area_id else None
    if area is None or area.level not in levels or not user_area.contains(area):
        if levels == (THON,):
            raise RecordInvalid({field: [_("Choose a thôn in your area.")]})
        raise RecordInvalid({field: [_("Choose an area in your scope.")]})
    return area

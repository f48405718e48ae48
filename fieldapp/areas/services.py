"""Area tree writes and the scope checks every page and action relies on."""

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, LEVELS, PROVINCE, THON, Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import MEMBER
from fieldapp.i18n import clean_text, fold, vi_key
from fieldapp.records.validation import RecordInvalid

_CHILD_LEVEL = {PROVINCE: COMMUNE, COMMUNE: THON}


class AreaError(ValueError):
    """A refused area change, with a message for the user."""


def create_area(
    *, session: Session, name: str, level: str, parent: Area | None = None, code: str | None = None
) -> Area:
    """Add an area under parent and give it its path (flushes, does not commit)."""
    if level not in LEVELS:
        raise AreaError(f"unknown level {level}")
    if parent is None and level != PROVINCE:
        raise AreaError("only a province may have no parent")
    if parent is not None and _CHILD_LEVEL.get(parent.level) != level:
        raise AreaError(f"a {level} cannot sit under a {parent.level}")
    area = Area(
        name=clean_text(name), name_folded=fold(clean_text(name)), level=level, code=code,
        parent_id=parent.id if parent else None,
    )
    session.add(area)
    session.flush()
    area.path = f"{parent.path if parent else '/'}{area.id}/"
    session.flush()
    return area


def rename_area(*, session: Session, area: Area, name: str, active: bool = True) -> Area:
    """Rename an area or mark it inactive (flushes, does not commit)."""
    area.name = clean_text(name)
    area.name_folded = fold(clean_text(name))
    area.active = active
    session.add(area)
    session.flush()
    return area


def find_child(session: Session, parent: Area, name: str) -> Area | None:
    """The child of parent with the same name, ignoring case and spacing but not diacritics."""
    wanted = clean_text(name).casefold()
    candidates = session.exec(
        select(Area).where(Area.parent_id == parent.id, Area.name_folded == fold(clean_text(name)))
    ).all()
    return next((a for a in candidates if a.name.casefold() == wanted), None)


def children(session: Session, parent: Area, *, active_only: bool = False) -> list[Area]:
    """Direct children in Vietnamese order."""
    stmt = select(Area).where(Area.parent_id == parent.id)
    if active_only:
        stmt = stmt.where(Area.active)
    return sorted(session.exec(stmt).all(), key=lambda a: vi_key(a.name))


def in_subtree(column: ColumnElement, root: Area) -> ColumnElement:
    """SQL condition: the Area.path column lies under root (root included)."""
    return column.like(f"{root.path}%")


def subtree(session: Session, root: Area, level: str | None = None) -> list[Area]:
    """All areas under root, optionally of one level, in Vietnamese order."""
    stmt = select(Area).where(in_subtree(Area.path, root))
    if level:
        stmt = stmt.where(Area.level == level)
    return sorted(session.exec(stmt).all(), key=lambda a: vi_key(a.name))


def resolve_thon(session: Session, user: User, user_area: Area, thon_id: int | None) -> Area:
    """The thôn a record belongs to: a team member's own; others pick one in their scope."""
    if user.role == MEMBER:
        return user_area
    area = session.get(Area, thon_id) if thon_id else None
    if area is None or area.level != THON or not user_area.contains(area):
        raise RecordInvalid({"thon_id": [_("Choose a thôn in your area.")]})
    return area


def ancestors(session: Session, area: Area) -> list[Area]:
    """The chain from the root down to area, from its path."""
    ids = [int(x) for x in area.path.strip("/").split("/") if x]
    rows = {a.id: a for a in session.exec(select(Area).where(Area.id.in_(ids))).all()}
    return [rows[i] for i in ids if i in rows]


def commune_of(session: Session, area: Area) -> Area | None:
    """The commune an area belongs to (itself when it is one)."""
    return next((a for a in ancestors(session, area) if a.level == COMMUNE), None)


def import_province(*, session: Session, province_code: int) -> tuple[Area, int]:
    """Create a province and all its communes from vietnam-provinces; idempotent. Commits."""
    from vietnam_provinces import Province, ProvinceCode, Ward

    code = ProvinceCode(province_code)
    prov = Province.from_code(code)
    area = session.exec(
        select(Area).where(Area.level == PROVINCE, Area.code == str(int(code)))
    ).first()
    if area is None:
        area = create_area(session=session, name=prov.name, level=PROVINCE, code=str(int(code)))
    added = 0
    for ward in Ward.iter_by_province(code):
        wcode = str(int(ward.code))
        exists = session.exec(select(Area).where(Area.level == COMMUNE, Area.code == wcode)).first()
        if exists is None:
            create_area(session=session, name=ward.name, level=COMMUNE, parent=area, code=wcode)
            added += 1
    session.commit()
    return area, added


def import_thon_rows(*, session: Session, commune: Area, rows) -> list[dict]:
    """Add the thôn named in rows under commune; a name already there is left alone.

    Returns one report line per row: {"row", "name", "status": created|exists|error, "error"}.
    Commits the good rows together; bad rows change nothing.
    """
    from flask_babel import lazy_gettext as _l

    from fieldapp.tabular import pick

    report = []
    for number, row in rows:
        name = clean_text(pick(row, "ten thon", "ten", "thon", "name", "ten to dan pho"))
        if not name:
            report.append({"row": number, "name": "", "status": "error",
                           "error": _l("The name is empty.")})
        elif len(name) > 120:
            report.append({"row": number, "name": name[:40], "status": "error",
                           "error": _l("At most 120 characters.")})
        elif find_child(session, commune, name) is not None:
            report.append({"row": number, "name": name, "status": "exists", "error": ""})
        else:
            create_area(session=session, name=name, level=THON, parent=commune)
            report.append({"row": number, "name": name, "status": "created", "error": ""})
    session.commit()
    return report


def thon_count(session: Session, root: Area) -> int:
    """How many thôn lie under root."""
    return session.exec(select(func.count()).select_from(Area).where(
        Area.level == THON, in_subtree(Area.path, root))).one()

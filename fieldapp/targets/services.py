"""Target lookups (nearest area up the tree, then the plan) and the admin's edits."""

from dataclasses import dataclass

from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import ancestors
from fieldapp.auth.models import User
from fieldapp.db import utcnow
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.targets.defaults import CODES, default_target
from fieldapp.targets.models import Target, TargetIn


@dataclass(frozen=True)
class Resolved:
    """A target value and where it comes from (area None: the plan's default)."""

    value: float | None
    area: Area | None


def resolve_target(session: Session, indicator: str, area: Area, year: int) -> Resolved:
    """The target set on the nearest area from area up to the root, else the plan default."""
    chain = ancestors(session, area)
    rows = session.exec(select(Target).where(
        Target.indicator == indicator, Target.year == year,
        Target.area_id.in_([a.id for a in chain]))).all()
    by_area = {r.area_id: r for r in rows}
    for a in reversed(chain):
        if a.id in by_area:
            return Resolved(by_area[a.id].value, a)
    return Resolved(default_target(indicator, year), None)


def targets_for(session: Session, area: Area, year: int) -> dict[str, float | None]:
    """Every indicator's target for an area and year (the nearest area's, then the plan's)."""
    return targets_for_many(session, [area], [year])[area.id][year]


def targets_for_many(session: Session, areas: list[Area], years: list[int]) -> dict[int, dict]:
    """targets_for() of several areas and years in one query: {area id: {year: {code: value}}}."""
    chains = {a.id: [int(x) for x in a.path.strip("/").split("/")] for a in areas}
    rows = session.exec(select(Target).where(
        Target.year.in_(years), Target.area_id.in_({i for chain in chains.values() for i in chain}))).all()
    plan = {year: {code: default_target(code, year) for code in CODES} for year in years}
    out: dict[int, dict] = {}
    for area_id, chain in chains.items():
        depth = {i: d for d, i in enumerate(chain)}
        out[area_id] = {}
        for year in years:
            found: dict[str, tuple[int, float]] = {}
            for r in rows:  # the deepest area's target wins
                d = depth.get(r.area_id)
                if r.year != year or d is None or r.indicator not in plan[year]:
                    continue
                if r.indicator not in found or d > found[r.indicator][0]:
                    found[r.indicator] = (d, r.value)
            out[area_id][year] = plan[year] | {code: value for code, (_d, value) in found.items()}
    return out


def target_for(session: Session, indicator: str, area: Area, year: int) -> float | None:
    """The target fraction for an indicator in an area and year (nearest area, then the plan)."""
    return resolve_target(session, indicator, area, year).value


def targets_on(session: Session, area: Area, year: int) -> dict[str, Target]:
    """The targets set exactly on this area for a year, by indicator."""
    rows = session.exec(select(Target).where(Target.area_id == area.id, Target.year == year)).all()
    return {r.indicator: r for r in rows}


def set_targets(*, session: Session, user: User, area: Area, year: int, percents: dict[str, str]) -> int:
    """Save the typed percents for an area and year; blank removes the area's own target. Commits.

    Every value is checked before anything is written. Returns how many targets changed.
    """
    wanted, errors = {}, {}
    for code in CODES:
        text = (percents.get(code) or "").strip()
        if not text:
            wanted[code] = None
            continue
        try:
            wanted[code] = validate(TargetIn, {"indicator": code, "year": year, "percent": text}).value
        except RecordInvalid as err:
            errors[code] = [m for msgs in err.errors.values() for m in msgs]
    if errors:
        raise RecordInvalid(errors)
    current = targets_on(session, area, year)
    changed = 0
    for code, value in wanted.items():
        row = current.get(code)
        if value is None and row is not None:
            session.delete(row)
        elif value is not None and row is None:
            session.add(Target(indicator=code, area_id=area.id, year=year, value=value,
                               created_by=user.id, updated_by=user.id))
        elif value is not None and abs(row.value - value) > 1e-9:
            row.value, row.updated_by, row.updated_at = value, user.id, utcnow()
            session.add(row)
        else:
            continue
        changed += 1
    session.commit()
    return changed

"""The official denominator of an area and year, by one rule.

An area's own figure wins when it is entered (a commune-wide figure beats its thôn's). Without
one, an area's figure is the sum of its active children's only when every one of them has a
figure (a thôn without one would make the sum an undercount); else it has none. Adults with
VNeID level 2 follow the same figures and are summed only when every summed figure has them.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.i18n import fmt_date
from fieldapp.population.models import OfficialPopulation


@dataclass(frozen=True)
class Official:
    """The official figures an area's indicators are judged on."""

    adults: int
    adults_vneid2: int | None
    source: str  # the sources' texts ("; " between different ones)
    source_date: date | None  # the latest source date
    summed: int = 0  # 0: entered for the area itself; n: the sum of its n children

    @property
    def label(self) -> str:
        """Where the figure comes from, as pages and reports name it."""
        text = _("source: %(source)s", source=self.source)
        if self.source_date:
            text += f", {fmt_date(self.source_date)}"
        return _("sum of %(n)s areas", n=self.summed) + f" – {text}" if self.summed else text

    def as_json(self) -> list:
        """What a closed period keeps of it."""
        return [self.adults, self.adults_vneid2, self.source,
                self.source_date.isoformat() if self.source_date else None, self.summed]

    @classmethod
    def from_json(cls, row: list | None) -> "Official | None":
        """Read back as_json()."""
        if not row:
            return None
        adults, vneid2, source, day, summed = row
        return cls(adults, vneid2, source, date.fromisoformat(day) if day else None, summed)


def _summed(parts: list[Official]) -> Official:
    sources = list(dict.fromkeys(p.source for p in parts))
    vneid2 = [p.adults_vneid2 for p in parts]
    days = [p.source_date for p in parts if p.source_date]
    return Official(sum(p.adults for p in parts), None if None in vneid2 else sum(vneid2),
                    "; ".join(sources), max(days) if days else None, len(parts))


def officials(session: Session, areas: list[Area], year: int) -> dict[int, Official | None]:
    """Each area's official figures for the year (None: none by the rule above); two queries
    when any figure is entered under them, one when none is."""
    if not areas:
        return {}
    under = or_(*(in_subtree(Area.path, a) for a in {a.id: a for a in areas}.values()))
    rows = session.exec(select(OfficialPopulation).join(Area, Area.id == OfficialPopulation.area_id).where(
        under, OfficialPopulation.year == year, OfficialPopulation.deleted_at.is_(None))).all()
    if not rows:
        return {a.id: None for a in areas}
    own = {r.area_id: Official(r.adults, r.adults_vneid2, r.source, r.source_date) for r in rows}
    kids: dict[int, list[int]] = {}
    tree = select(Area.id, Area.parent_id).where(under, Area.active.is_(True))
    for area_id, parent_id in session.exec(tree):
        kids.setdefault(parent_id, []).append(area_id)
    memo: dict[int, Official | None] = {}

    def resolve(area_id: int) -> Official | None:
        if area_id not in memo:
            found = own.get(area_id)
            if found is None and kids.get(area_id):
                parts = [resolve(k) for k in kids[area_id]]
                found = None if None in parts else _summed(parts)
            memo[area_id] = found
        return memo[area_id]

    return {a.id: resolve(a.id) for a in areas}

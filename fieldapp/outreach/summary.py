"""Outreach contacts beside member totals: branches (or organizations) × months of one year."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.i18n import local_today
from fieldapp.outreach.models import Branch, Organization, OutreachActivity
from fieldapp.outreach.services import branches_of, member_totals, organizations_in


@dataclass
class Row:
    """One line of the summary: contacts with members per month, beside the member total.

    An activity records how many members it reached, not who: a member reached twice counts
    twice. So these are contacts (lượt), never shown as a share of the members, which they
    may pass.
    """

    label: str
    members: int = 0
    months: list[int] = field(default_factory=lambda: [0] * 12)
    helped: int = 0
    activities: int = 0
    ref_id: int | None = None
    deleted: bool = False
    short: str = ""

    @property
    def cell_label(self) -> str:
        """The short label with no-break spaces: the wide month table scrolls instead of wrapping it."""
        return (self.short or self.label).replace(" ", "\u00a0")

    @property
    def reached(self) -> int:
        """Contacts with members over the year."""
        return sum(self.months)

    def add(self, month: int, reached: int, helped: int, activities: int) -> None:
        """Count one month's grouped figures into this row."""
        self.months[month - 1] += reached
        self.helped += helped
        self.activities += activities


def _grouped(session: Session, key, year: int, where):
    """(key, month, reached, helped, activities) of live activities in one year."""
    month = func.extract("month", OutreachActivity.held_on)
    return session.exec(
        select(key, month, func.sum(OutreachActivity.members_reached),
               func.sum(OutreachActivity.members_helped), func.count())
        .where(OutreachActivity.deleted_at.is_(None), OutreachActivity.held_on >= date(year, 1, 1),
               OutreachActivity.held_on < date(year + 1, 1, 1), *where)
        .group_by(key, month)
    ).all()


def organization_summary(session: Session, org: Organization, year: int) -> tuple[list[Row], Row]:
    """One row per branch (deleted branches only when they have activities) and the organization's row."""
    thon = dict(session.exec(select(Area.id, Area.name).where(Area.parent_id == org.area_id)).all())
    rows = {b.id: Row(b.name, b.members, ref_id=b.id, short=thon.get(b.area_id, ""))
            for b in branches_of(session, org)}
    total = Row(org.name, sum(r.members for r in rows.values()), ref_id=org.id)
    grouped = _grouped(session, OutreachActivity.branch_id, year,
                       [OutreachActivity.organization_id == org.id])
    for branch_id, month, reached, helped, count in grouped:
        if branch_id not in rows:
            gone = session.get(Branch, branch_id)
            rows[branch_id] = Row(gone.name, 0, ref_id=branch_id, deleted=True,
                                  short=thon.get(gone.area_id, ""))
        rows[branch_id].add(int(month), int(reached or 0), int(helped or 0), int(count))
        total.add(int(month), int(reached or 0), int(helped or 0), int(count))
    return list(rows.values()), total


def area_summary(session: Session, root: Area, year: int) -> tuple[list[Row], Row]:
    """One row per organization of the area and a row for all of them."""
    orgs = organizations_in(session, root)
    totals = member_totals(session, [o.id for o in orgs])
    rows = {o.id: Row(o.name, totals[o.id][1], ref_id=o.id) for o in orgs}
    total = Row(_("All organizations"), sum(r.members for r in rows.values()))
    if rows:
        grouped = _grouped(session, OutreachActivity.organization_id, year,
                           [OutreachActivity.organization_id.in_(list(rows))])
        for org_id, month, reached, helped, count in grouped:
            rows[org_id].add(int(month), int(reached or 0), int(helped or 0), int(count))
            total.add(int(month), int(reached or 0), int(helped or 0), int(count))
    return list(rows.values()), total


def home_figures(session: Session, org: Organization, today: date) -> dict:
    """What a leader's home shows: this month's activities and the year's reach against members."""
    _rows, total = organization_summary(session, org, today.year)
    this_month = session.exec(
        select(func.count(), func.sum(OutreachActivity.members_reached)).where(
            OutreachActivity.organization_id == org.id, OutreachActivity.deleted_at.is_(None),
            OutreachActivity.held_on >= today.replace(day=1), OutreachActivity.held_on <= today,
        )
    ).one()
    return {"month_activities": int(this_month[0]), "month_reached": int(this_month[1] or 0),
            "year": total}


def leader_home(session: Session, user, root: Area) -> dict:
    """Home figures of a leader's organization (only the organization, None, when it has none)."""
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    if org is None:
        return {"organization": None}
    return home_figures(session, org, local_today()) | {"organization": org}

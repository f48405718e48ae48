"""Page through a SELECT: the count and one page of rows."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select


@dataclass
class Page:
    """One page of results and where it sits."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, stmt, page: int, per_page: int = 25) -> Page:
    """Run stmt for one page (1-based); out-of-range pages clamp to the last one."""
    total = session.exec(select(func.count()).select_from(stmt.order_by(None).subquery())).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.exec(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(rows), page, per_page, total)


"""The area tree, stored with a materialized path for cheap subtree queries."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow

PROVINCE, COMMUNE, THON = "province", "commune", "thon"
LEVELS = (PROVINCE, COMMUNE, THON)
LEVEL_LABELS = ((PROVINCE, _l("Province")), (COMMUNE, _l("Commune")), (THON, _l("Thôn")))


class Area(SQLModel, table=True):
    """A province, commune (xã/phường) or thôn/tổ dân phố; path is '/1/5/23/'."""

    __table_args__ = (
        UniqueConstraint("parent_id", "name", name="uq_area_parent_name"),
        UniqueConstraint("level", "code", name="uq_area_level_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    level: str = Field(max_length=10)
    code: str | None = Field(default=None, max_length=20)
    name: str = Field(max_length=120)
    # Folded for diacritic-free search only: Sơn Hà and Sơn Hạ are different communes.
    name_folded: str = Field(max_length=120, index=True)
    path: str = Field(default="", max_length=255, index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def contains(self, other: "Area") -> bool:
        """True when other is this area or lies beneath it."""
        return other.path.startswith(self.path)

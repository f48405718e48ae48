"""The personal data access log: who viewed which household or which list, and when."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class PersonalDataAccess(SQLModel, table=True):
    """One view of a page with households' personal data (never the phone or a search number)."""

    __tablename__ = "personal_data_access"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # The viewer's scope at the time: the admin's log shows the rows under their area.
    area_id: int = Field(foreign_key="area.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # The page: an endpoint such as households.show or households.index.
    page: str = Field(max_length=60)
    household_id: int | None = Field(default=None, index=True)
    # List filters (thôn, page, the search with digits masked).
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

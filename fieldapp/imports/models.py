"""The import log (who imported which file, with what result), the records each import
created (so it can be undone as a whole), and column mappings remembered per header row."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class ImportLog(SQLModel, table=True):
    """One import of one file: written in the transaction that writes its records."""

    __tablename__ = "import_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    area_id: int = Field(foreign_key="area.id", index=True)  # the scope it was imported into
    kind: str = Field(max_length=30)  # the importer's name (households, ...)
    file_name: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    repeated: int = 0
    undone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    undone_by: int | None = Field(default=None, foreign_key="user.id")
    undo_reason: str | None = Field(default=None, max_length=300)


class ImportItem(SQLModel, table=True):
    """A record an import created (undoing the import deletes it)."""

    __tablename__ = "import_item"

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="import_log.id", index=True)
    record_id: int


class ImportMapping(SQLModel, table=True):
    """A column mapping chosen by hand, used again for a file with the same header row."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("area_id", "kind", "signature"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    kind: str = Field(max_length=30)
    signature: str = Field(max_length=32)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # field -> column index
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

"""Uploaded files kept between the preview and the import (instance/imports, one day at most)."""

import re
import secrets
import time
from pathlib import Path

from flask import current_app

from fieldapp.config import INSTANCE

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORT_DIR") or INSTANCE / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(user_id: int, data: bytes) -> str:
    """Store an upload for its owner; returns its token. Older uploads are removed."""
    folder = _folder()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{user_id}-{token}").write_bytes(data)
    return token


def load(user_id: int, token: str) -> bytes | None:
    """The owner's upload with that token, or None (unknown, someone else's, or expired)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = _folder() / f"{user_id}-{token}"
    return path.read_bytes() if path.is_file() else None


def drop(user_id: int, token: str) -> None:
    """Remove an upload once imported."""
    if _TOKEN.fullmatch(token or ""):
        (_folder() / f"{user_id}-{token}").unlink(missing_ok=True)

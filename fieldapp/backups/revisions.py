"""Which Alembic revisions this code knows, and the upgrade a restored older copy needs."""

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from fieldapp.backups.engines import BackupError


def _config(url: str):
    from fieldapp.cli import alembic_config

    return alembic_config(url)


def known_revision(revision: str, *, url: str) -> bool:
    """True when revision is this code's head, False when older; refuses one it does not know."""
    script = ScriptDirectory.from_config(_config(url))
    try:
        found = script.get_revision(revision)
    except CommandError:
        found = None
    if found is None or found.revision != revision:
        raise BackupError(
            f"The copy is at database revision {revision}, which this version of fieldapp does not "
            "know: it was made by a newer version. Update fieldapp first, then restore."
        )
    return revision == script.get_current_head()


def upgrade(url: str) -> None:
    """Bring a restored database to this code's revision (flask db upgrade)."""
    command.upgrade(_config(url), "head")

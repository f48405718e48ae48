"""Backups: `flask backup` / `flask restore`, and the last good backup on the admin's home."""

from fieldapp.auth.roles import ADMIN
from fieldapp.backups import models  # noqa: F401  (the backup log)
from fieldapp.backups.cli import backup_cmd, restore_cmd
from fieldapp.backups.services import home_context
from fieldapp.features import Feature, Panel

FEATURE = Feature(
    "backups",
    commands=(backup_cmd, restore_cmd),
    panels=(Panel("backups/_home.html", frozenset({ADMIN}), lambda db, user, area: home_context(db),
                  order=5),),
)

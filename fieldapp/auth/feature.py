"""Accounts: sign-in, sessions, the user's own page and the admin's account pages."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth import models  # noqa: F401  (users, sessions, login attempts)
from fieldapp.auth.admin import bp as admin_bp
from fieldapp.auth.cli import users
from fieldapp.auth.roles import ADMIN, ROLES
from fieldapp.auth.routes import bp
from fieldapp.auth.services import user_count
from fieldapp.features import Feature, Panel, Tab

FEATURE = Feature(
    "auth",
    blueprints=(bp, admin_bp),
    commands=(users,),
    tabs=(
        Tab("auth.account", _l("Me"), "user", dict.fromkeys(ROLES, 100)),
        Tab("users.index", _l("Accounts"), "users", {ADMIN: 10}),
    ),
    panels=(Panel("auth/_home.html", frozenset({ADMIN}),
                  lambda db, user, area: {"user_count": user_count(db, area)}, order=20),),
)

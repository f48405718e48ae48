"""Bottom navigation per role: at most five destinations, most used first."""

from dataclasses import dataclass

from flask import g
from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, ROLES, TEACHER, VIEWER


@dataclass(frozen=True)
class NavItem:
    """One tab of the bottom bar."""

    endpoint: str
    label: object
    icon: str
    roles: tuple[str, ...]


ITEMS = [
    NavItem("home.index", _l("Home"), "home", ROLES),
    NavItem("households.index", _l("Households"), "house", (MEMBER, OFFICER, ADMIN)),
    NavItem("users.index", _l("Accounts"), "users", (ADMIN,)),
    NavItem("areas.index", _l("Thôn"), "map", (ADMIN,)),
    NavItem("auth.account", _l("Me"), "user", (OFFICER, MEMBER, TEACHER, LEADER, VIEWER, ADMIN)),
]


def nav_items() -> list[NavItem]:
    """The tabs the signed-in user's role may use."""
    user = g.get("user")
    if user is None:
        return []
    return [i for i in ITEMS if user.role in i.roles][:5]

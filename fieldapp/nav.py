"""Navigation per role, gathered from the installed features: the bottom bar (at most five
tabs) and the home screen's other links."""

from functools import cache

from flask import current_app, g

from fieldapp.features import installed


@cache
def tabs_of(role: str) -> tuple:
    """The role's bottom-bar tabs, in their declared order."""
    tabs = [t for f in installed() for t in f.tabs if role in t.roles]
    return tuple(sorted(tabs, key=lambda t: t.roles[role]))


@cache
def links_of(role: str) -> tuple:
    """The role's other destinations, in their declared order."""
    links = [link for f in installed() for link in f.links if role in link.roles]
    return tuple(sorted(links, key=lambda link: link.roles[role]))


def nav_items() -> tuple:
    """The tabs of the signed-in user's role."""
    user = g.get("user")
    return tabs_of(user.role) if user is not None else ()


def more_links() -> list[tuple[str, object]]:
    """The role's other destinations that this app has (every endpoint must exist)."""
    user = g.get("user")
    if user is None:
        return []
    return [(link.endpoint, link.label) for link in links_of(user.role)
            if link.endpoint in current_app.view_functions]

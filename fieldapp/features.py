"""The installed features, in order, and what each declares to the shared mechanisms.

A feature is a package whose feature.py defines FEATURE. Importing it imports the feature's
modules, which register their tables, metrics (`aggregates.metrics.source`), exports
(`exports.registry.register`) and sync types (`sync.registry.register`) as they load. The app
walks INSTALLED: it registers each feature's blueprints and commands and asks it for its
navigation, home panels, offline screens and demo data. No other module names features one by
one (Django's INSTALLED_APPS with each app's apps.py is the model).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

# Order matters: demo loaders run in this order (visits need households; closing closes
# periods once every feature's records are in), and lists built from features (exports, sync
# types, home panels of equal order) follow it.
INSTALLED = (
    "areas",
    "auth",
    "home",
    "households",
    "visits",
    "surveys",
    "feedback",
    "rosters",
    "trainings",
    "communication",
    "improvements",
    "figures",
    "lessons",
    "outreach",
    "targets",
    "population",
    "closing",
    "imports",
    "aggregates",
    "reports",
    "exports",
    "privacy",
    "backups",
    "sync",
    "pwa",
)


@dataclass(frozen=True)
class Tab:
    """A bottom-bar tab: its place in each role's bar (at most five per role)."""

    endpoint: str
    label: object
    icon: str
    roles: dict[str, int]  # role -> position (lower first)


@dataclass(frozen=True)
class Link:
    """A destination listed under "More" on a role's home screen."""

    endpoint: str
    label: object
    roles: dict[str, int]  # role -> position (lower first)


@dataclass(frozen=True)
class Screen:
    """A screen the service worker keeps for offline use (no personal data on it)."""

    endpoint: str
    roles: frozenset
    label: object  # its link on the offline page (None: not listed there)
    # Pages with personal data, never cached, that open this screen instead when offline.
    stands_in_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """Tiles on a role's home screen: a template reading `p`, the dict context() returns."""

    template: str
    roles: frozenset
    # context(session, user, area) -> dict; None: the template needs nothing more.
    context: Callable | None = None
    order: int = 50


@dataclass(frozen=True)
class DemoContext:
    """What a feature's demo loader gets: the demo commune, its thôn and accounts by username."""

    session: object
    commune: object
    thon: list
    users: dict
    records: bool  # False: only what accounts need (schools, organizations), no records


@dataclass
class Feature:
    """What one feature package declares to the app."""

    name: str
    blueprints: tuple = ()
    tabs: tuple[Tab, ...] = ()
    links: tuple[Link, ...] = ()
    panels: tuple[Panel, ...] = ()
    screens: tuple[Screen, ...] = ()
    # Pages showing households' personal data: endpoint -> the query filters the access log keeps.
    personal_pages: dict = field(default_factory=dict)
    commands: tuple = ()  # click groups and commands for `flask`
    # reference(session, user, area) -> dict: what its offline forms need, merged into the
    # phone's reference data (GET /api/v1/reference).
    reference: Callable | None = None
    # demo(DemoContext): the feature's demo data through its own services (commits).
    demo: Callable | None = None
    # init_app(app): any other wiring (request hooks, settings); keep it rare.
    init_app: Callable | None = None


@cache
def installed() -> tuple[Feature, ...]:
    """Every installed feature, in INSTALLED order (importing them registers their parts)."""
    return tuple(import_module(f"fieldapp.{name}.feature").FEATURE for name in INSTALLED)


def register_features(app) -> None:
    """Wire each feature into the app: blueprints, commands, its own setup."""
    for feature in installed():
        for bp in feature.blueprints:
            app.register_blueprint(bp)
        for command in feature.commands:
            app.cli.add_command(command)
        if feature.init_app is not None:
            feature.init_app(app)

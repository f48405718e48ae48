"""The installable app: service worker, offline page and the outbox page."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import MEMBER, ROLES
from fieldapp.features import Feature, Link, Screen
from fieldapp.pwa.routes import bp

FEATURE = Feature(
    "pwa",
    blueprints=(bp,),
    links=(Link("pwa.outbox", _l("Records not sent yet"), {MEMBER: 50}),),
    screens=(
        Screen("pwa.outbox", frozenset(ROLES), _l("Records not sent yet")),
        Screen("pwa.offline", frozenset(ROLES), None),
    ),
)

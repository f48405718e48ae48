"""The JSON sync API for the offline phone app (record types come from the features)."""

from fieldapp.extensions import csrf
from fieldapp.features import Feature
from fieldapp.sync.routes import bp


def init_app(app) -> None:
    """The API authenticates with bearer tokens, not cookies, so CSRF does not apply to it."""
    csrf.exempt(bp)


FEATURE = Feature("sync", blueprints=(bp,), init_app=init_app)

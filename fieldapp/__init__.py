"""fieldapp: field collection for a commune's online public services plan."""

import logging

from flask import Flask, g

from fieldapp.config import load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build and wire the app; no migrations or network calls happen here."""
    app = Flask(__name__, static_folder="../static", instance_relative_config=False)
    app.config.from_mapping(load_config(test_config))
    register_logging(app)
    register_extensions(app)
    register_hooks(app)
    register_features(app)
    register_errorhandlers(app)
    register_compression(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    """Plain timestamped logs on stderr (gunicorn collects them)."""
    if not logging.getLogger("fieldapp").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logging.getLogger("fieldapp").addHandler(handler)
    logging.getLogger("fieldapp").setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    """Database, CSRF, Babel and template helpers."""
    from fieldapp import db, i18n, maintenance
    from fieldapp.extensions import babel, csrf

    db.init_app(app)
    maintenance.init_app(app)  # warns while a step a migration left is due
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)


def register_features(app: Flask) -> None:
    """Every installed feature: its blueprints, commands and own setup (fieldapp.features)."""
    from fieldapp.features import register_features as register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    """HTML and JSON error pages."""
    from fieldapp.errors import register_errorhandlers as register

    register(app)


def register_hooks(app: Flask) -> None:
    """Current user before each request, security headers after, template globals."""
    from flask_babel import get_locale

    from fieldapp.auth.access import load_current_user
    from fieldapp.nav import more_links, nav_items
    from fieldapp.security import register_security

    app.before_request(load_current_user)
    register_security(app)

    @app.context_processor
    def _globals():
        return {"nav_items": nav_items, "more_links": more_links, "current_user": g.get("user"),
                "locale": get_locale()}


def register_compression(app: Flask) -> None:
    """Static files hashed and precompressed (WhiteNoise); pages and JSON compressed (Flask-Compress)."""
    from fieldapp import assets
    from fieldapp.extensions import compress
    from fieldapp.security import static_headers

    assets.init_app(app, headers_for=static_headers)
    compress.init_app(app)


def register_commands(app: Flask) -> None:
    """The app's own Flask CLI commands (migrations, demo data)."""
    from fieldapp.cli import register

    register(app)

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
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
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
    from fieldapp import db, i18n
    from fieldapp.extensions import babel, csrf

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Every feature's blueprint."""
    from fieldapp.areas.routes import bp as areas_bp
    from fieldapp.auth.admin import bp as users_bp
    from fieldapp.auth.routes import bp as auth_bp
    from fieldapp.communication.routes import bp as communication_bp
    from fieldapp.exports.routes import bp as exports_bp
    from fieldapp.extensions import csrf
    from fieldapp.feedback.routes import bp as feedback_bp
    from fieldapp.figures.routes import bp as figures_bp
    from fieldapp.home.routes import bp as home_bp
    from fieldapp.households.routes import bp as households_bp
    from fieldapp.improvements.routes import bp as improvements_bp
    from fieldapp.lessons.routes import bp as lessons_bp
    from fieldapp.lessons.schools import bp as schools_bp
    from fieldapp.outreach.organizations import bp as organizations_bp
    from fieldapp.outreach.routes import bp as outreach_bp
    from fieldapp.pwa.routes import bp as pwa_bp
    from fieldapp.reports.routes import bp as reports_bp
    from fieldapp.rosters.routes import bp as rosters_bp
    from fieldapp.surveys.routes import bp as surveys_bp
    from fieldapp.sync.routes import bp as api_bp
    from fieldapp.targets.routes import bp as targets_bp
    from fieldapp.trainings.routes import bp as trainings_bp
    from fieldapp.visits.routes import bp as visits_bp

    for bp in (auth_bp, home_bp, users_bp, areas_bp, households_bp, visits_bp, lessons_bp, schools_bp,
               surveys_bp, feedback_bp, organizations_bp, outreach_bp,
               rosters_bp, trainings_bp, communication_bp, improvements_bp, figures_bp, targets_bp):
        app.register_blueprint(bp)
    # The API authenticates with bearer tokens, not cookies, so CSRF does not apply to it.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(pwa_bp)


def register_errorhandlers(app: Flask) -> None:
    """HTML and JSON error pages."""
    from fieldapp.errors import register_errorhandlers as register

    register(app)


def register_hooks(app: Flask) -> None:
    """Current user before each request, security headers after, template globals."""
    from flask_babel import get_locale

    from fieldapp.auth.access import load_current_user
    from fieldapp.nav import more_links, nav_items
    from fieldapp.privacy import register as register_privacy
    from fieldapp.security import register_security

    app.before_request(load_current_user)
    register_security(app)
    register_privacy(app)  # personal data access log, /admin/privacy

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
    """Flask CLI commands."""
    from fieldapp.cli import register

    register(app)

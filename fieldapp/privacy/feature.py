"""Personal data: the access log, data subject rights and retention (Law 91/2025/QH15)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN
from fieldapp.features import Feature, Link
from fieldapp.privacy import init_app, models  # noqa: F401  (the access log table)
from fieldapp.privacy.cli import privacy
from fieldapp.privacy.routes import bp

FEATURE = Feature(
    "privacy",
    blueprints=(bp,),
    commands=(privacy,),
    links=(Link("privacy.index", _l("Personal data"), {ADMIN: 110}),),
    personal_pages={"privacy.subject": (), "privacy.subject_export": ()},
    init_app=init_app,
)

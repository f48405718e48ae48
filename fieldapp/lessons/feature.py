"""Lessons on online public services in lower secondary schools, and the schools."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, TEACHER
from fieldapp.features import Feature, Link, Panel, Screen, Tab
from fieldapp.lessons import demo, exports, metrics, models, sync  # noqa: F401  (register on import)
from fieldapp.lessons.routes import bp
from fieldapp.lessons.schools import bp as schools_bp
from fieldapp.lessons.services import teacher_home

FEATURE = Feature(
    "lessons",
    blueprints=(bp, schools_bp),
    tabs=(Tab("lessons.index", _l("Lessons"), "book", {TEACHER: 10}),),
    links=(
        Link("lessons.index", _l("Lessons"), {OFFICER: 80}),
        Link("schools.index", _l("Schools"), {ADMIN: 20}),
        Link("lessons.new", _l("Log a lesson"), {TEACHER: 10}),
    ),
    panels=(Panel("lessons/_home.html", frozenset({TEACHER}), teacher_home),),
    screens=(Screen("lessons.new", frozenset({TEACHER}), _l("Lesson")),),
    demo=demo.load,
)

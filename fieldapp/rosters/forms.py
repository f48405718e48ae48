"""Roster forms: labels and widgets only; rules live in RosterPersonIn."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField, TelField

from fieldapp.forms import BaseForm, options
from fieldapp.rosters.models import KINDS, STAFF, STAFF_CATEGORIES

FIELDS = ("kind", "full_name", "staff_category", "position", "unit", "phone", "thon_id")
CHECKBOXES = ("is_operator", "active")

LABELS = {
    "kind": _l("Roster"),
    "full_name": _l("Full name"),
    "staff_category": _l("Staff category"),
    "position": _l("Position"),
    "unit": _l("Department or unit"),
    "is_operator": _l("Runs the public-service systems (design, administration or operation)"),
    "phone": _l("Phone (optional)"),
    "active": _l("Still working (on the roster)"),
    "thon_id": _l("Thôn"),
}


class RosterPersonForm(BaseForm):
    """Add or edit a person on a roster."""

    kind = RadioField(LABELS["kind"], choices=options(KINDS), default=STAFF, validate_choice=False)
    full_name = StringField(LABELS["full_name"])
    staff_category = RadioField(LABELS["staff_category"], choices=options(STAFF_CATEGORIES),
                                validate_choice=False)
    position = StringField(LABELS["position"])
    unit = StringField(LABELS["unit"])
    is_operator = BooleanField(LABELS["is_operator"])
    phone = TelField(LABELS["phone"])
    active = BooleanField(LABELS["active"], default=True)
    thon_id = SelectField(LABELS["thon_id"], coerce=int, validate_choice=False)


class RosterImportForm(BaseForm):
    """A CSV or XLSX file with one person per row."""

    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported.")),
        ],
    )

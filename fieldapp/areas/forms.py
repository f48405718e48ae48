"""Forms to add, rename and import thôn."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from fieldapp.forms import BaseForm

REQUIRED = _l("This field is required.")


class ThonForm(BaseForm):
    """One thôn or tổ dân phố."""

    commune_id = SelectField(_l("Commune"), coerce=int)
    name = StringField(
        _l("Name of the thôn or residential group"),
        validators=[InputRequired(REQUIRED), Length(max=120, message=_l("At most 120 characters."))],
    )
    active = BooleanField(_l("In use"), default=True)


class ThonImportForm(BaseForm):
    """A CSV or XLSX file with one thôn per row."""

    commune_id = SelectField(_l("Commune"), coerce=int)
    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported.")),
        ],
    )

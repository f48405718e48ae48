"""The upload form and the undo box."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from fieldapp.forms import BaseForm


class UploadForm(BaseForm):
    """A CSV or XLSX file to preview."""

    file = FileField(_l("File (.csv or .xlsx)"), validators=[
        FileRequired(_l("Choose a file.")),
        FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported.")),
    ])


class UndoForm(BaseForm):
    """Undoing an import needs a reason, kept in each record's history."""

    reason = TextAreaField(_l("Why is this import undone?"), validators=[
        InputRequired(_l("Say why this import is undone.")), Length(max=300)])

"""Official-figure form: labels and widgets only; rules live in OfficialPopulationIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField

from fieldapp.forms import BaseForm

FIELDS = ("area_id", "year", "adults", "adults_vneid2", "source", "source_date", "note")


class OfficialPopulationForm(BaseForm):
    """Enter or edit the official adult population of a commune or thôn for a year."""

    area_id = SelectField(_l("Area (commune-wide or one thôn)"), coerce=int, validate_choice=False)
    # Text inputs: the schema reads them, so junk gets its Vietnamese message, never a 500.
    year = StringField(_l("Year"))
    adults = StringField(_l("Adult population (18 and over)"))
    adults_vneid2 = StringField(_l("Adults with VNeID level 2 (if known)"))
    source = StringField(_l("Source of the figure"))
    source_date = DateField(_l("Date of the source"))
    note = TextAreaField(_l("Note"))

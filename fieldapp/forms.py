"""Helpers shared by every WTForms form: a base form speaking our catalog, select options."""

import flask_babel
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from fieldapp.csrf import MaskedFormCSRF

# WTForms' built-in messages that our forms can show; listed here so that extraction puts
# them in our catalog (WTForms ships no Vietnamese).
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid decimal value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
)


class _CatalogTranslations:
    """WTForms translations served from the app's own Babel catalog."""

    def gettext(self, string):
        return flask_babel.gettext(string)

    def ngettext(self, singular, plural, n):
        # Unformatted: WTForms fills in %(min)d/%(max)d itself; flask_babel.ngettext would
        # format with only num and raise KeyError (a 500 on a too-long name).
        return flask_babel.get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """FlaskForm whose built-in messages come from our catalog, so they are Vietnamese, and whose
    CSRF token is masked per response (fieldapp/csrf.py)."""

    class Meta:
        csrf_class = MaskedFormCSRF

        def get_translations(self, form):
            return _CatalogTranslations()


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices (plain tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]

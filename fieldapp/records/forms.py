"""Glue between WTForms (rendering, CSRF) and the record schemas (the only validation)."""

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from fieldapp.forms import BaseForm


def raw_form(*names: str, lists: tuple[str, ...] = ()) -> dict:
    """The submitted strings for the named fields (lists for multi-value fields)."""
    data = {n: request.form.get(n, "") for n in names if n in request.form}
    for name in lists:
        data[name] = request.form.getlist(name)
    return data


def attach_errors(form: BaseForm, errors: dict[str, list[str]]) -> list[str]:
    """Put schema errors on the matching form fields; returns those with no field."""
    unplaced = []
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is None:
            unplaced.extend(messages)
        else:
            field.errors = list(field.errors or []) + list(messages)
    return unplaced


class DeleteForm(BaseForm):
    """Soft delete needs a reason, kept in the history."""

    reason = TextAreaField(
        _l("Reason for deleting"),
        validators=[InputRequired(_l("Say why this record is deleted.")), Length(max=300)],
    )

    def error_text(self) -> str:
        """The reason's errors as one message (they are lazy strings until shown)."""
        return " ".join(str(e) for e in self.reason.errors)

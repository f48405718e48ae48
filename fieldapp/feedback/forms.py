"""Feedback forms: labels and widgets only; rules live in FeedbackIn and FeedbackAnswerIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField

from fieldapp.forms import BaseForm, options

FIELDS = ("thon_id", "received_on", "text")


def optional_int(value) -> int | None:
    """Select value → int; the blank "choose a thôn" option stays None instead of failing."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def thon_options(thon) -> list:
    """Thôn choices behind a blank first option, so nobody files under the first thôn by accident."""
    return options([("", _l("Choose a thôn")), *((t.id, t.name) for t in thon)])
ANSWER_FIELDS = ("answer",)


class FeedbackForm(BaseForm):
    """Record or correct a feedback item."""

    thon_id = SelectField(_l("Thôn"), coerce=optional_int, validate_choice=False)
    received_on = DateField(_l("Date received"))
    text = TextAreaField(_l("What the citizen said"))


class AnswerForm(BaseForm):
    """The commune's answer, shown on the public page once published."""

    answer = TextAreaField(_l("Answer of the commune"))

"""Building blocks of the *In schemas, written once: blank fields, tidy text, and the checks
several record types share. Each returns a pydantic validator, assigned in the schema's body:

    _blank = blank_is_none(keep=("note",))
    _tidy = tidy("title", "note")
    _held_on = checked("held_on", by=office_date)
"""

import re
from collections.abc import Callable

from flask_babel import gettext as _
from pydantic import ValidationInfo, field_validator, model_validator

from fieldapp.i18n import clean_lines, clean_text
from fieldapp.records.validation import fail


def drop_blanks(data, *, spaces: bool = True):
    """Blank form strings and JSON nulls count as not given: defaults apply, required fields say so.

    With spaces=False only the empty string is blank: a field of spaces goes on to its validator.
    """
    if isinstance(data, dict):
        return {k: v for k, v in data.items()
                if v is not None and not (isinstance(v, str) and not (v.strip() if spaces else v))}
    return data


def blank_to_none(data, *, keep: tuple[str, ...] = ()):
    """Empty form strings become None (optional fields take it, required ones say so); the fields
    in keep stay "" (their stored default)."""
    if isinstance(data, dict):
        return {k: (None if v == "" and k not in keep else v) for k, v in data.items()}
    return data


def blank_is_missing(*, spaces: bool = True):
    """A schema's before-validator that drops blank fields (drop_blanks)."""

    def _blank_is_missing(cls, data):
        return drop_blanks(data, spaces=spaces)

    return model_validator(mode="before")(classmethod(_blank_is_missing))


def blank_is_none(*, keep: tuple[str, ...] = ()):
    """A schema's before-validator that turns empty fields into None (blank_to_none)."""

    def _blank_is_none(cls, data):
        return blank_to_none(data, keep=keep)

    return model_validator(mode="before")(classmethod(_blank_is_none))


def _tidied(clean):
    def _tidy(cls, v):
        return clean(v) if isinstance(v, str) else v

    return classmethod(_tidy)


def tidy(*fields: str):
    """A before-validator storing the fields' text as clean_text does: NFC, single spaces."""
    return field_validator(*fields, mode="before")(_tidied(clean_text))


def tidy_lines(*fields: str):
    """A before-validator for multi-line text (clean_lines): the writer's line breaks stay."""
    return field_validator(*fields, mode="before")(_tidied(clean_lines))


def checked(*fields: str, by: Callable):
    """A validator passing each field's value through by(value, info), which fails or returns it."""

    def _checked(cls, v, info: ValidationInfo):
        return by(v, info)

    return field_validator(*fields)(classmethod(_checked))


def one_of(choices) -> Callable:
    """A check: the value is one of the (code, label) choices' codes."""
    codes = {code for code, _label in choices}

    def check(value, info=None):
        if value not in codes:
            fail(_("Choose one of the options."))
        return value

    return check


def not_above(limit: str, message) -> Callable:
    """A check: the value is at most the field limit's (checked once limit itself is valid).

    message is a lazy string (_l), so it is translated when the check fails.
    """

    def check(value, info: ValidationInfo):
        bound = info.data.get(limit)
        if bound is not None and value > bound:
            fail(str(message))
        return value

    return check


def phone_number(value, *, lost_zero: bool = False) -> str | None:
    """A Vietnamese phone number as 10 digits starting with 0 (None when blank); +84 and 84
    become 0. lost_zero: 9 digits are a number a spreadsheet stored as a number, dropping its 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    digits = re.sub(r"[\s.\-()]", "", str(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif lost_zero and re.fullmatch(r"[1-9]\d{8}", digits):
        digits = "0" + digits
    if not re.fullmatch(r"0\d{9}", digits):
        fail(_("Enter a Vietnamese phone number of 10 digits, e.g. 0912345678."))
    return digits

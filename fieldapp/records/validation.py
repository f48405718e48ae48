"""One validation per record type: a pydantic schema, with errors in the user's language.

HTML forms and the JSON sync API both call validate(); neither has rules of its own.
"""

from datetime import date
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from fieldapp.i18n import fmt_date, local_today


class RecordInvalid(ValueError):
    """A record failed validation; errors maps field name -> list of messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _message(err: dict) -> str:
    """A translated message for one pydantic error."""
    kind, ctx = err["type"], err.get("ctx") or {}
    blank = err.get("input") is None and kind.endswith("_type")
    if kind == "missing" or blank or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(n)s.", n=ctx.get("ge"))
    if kind == "less_than_equal":
        return _("Must be at most %(n)s.", n=ctx.get("le"))
    if kind == "string_too_long":
        return _("At most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "string_too_short":
        return _("At least %(n)s characters.", n=ctx.get("min_length"))
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return _("Enter a valid date (dd/mm/yyyy).")
    if kind in ("datetime_parsing", "datetime_type", "datetime_from_date_parsing"):
        return _("Enter a valid date and time.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of the options.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Choose yes or no.")
    if kind in ("list_type", "too_long", "too_short", "list_parsing"):
        return _("Invalid list of choices.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "record":
        return err["msg"]  # our own validators already produce translated text
    return _("Invalid value.")


def validate(schema: type[BaseModel], data: dict[str, Any], **context) -> BaseModel:
    """Validate raw data (form strings or JSON) against schema or raise RecordInvalid."""
    try:
        return schema.model_validate(data, context=context or None)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "__all__"
            errors.setdefault(field, []).append(_message(err))
        raise RecordInvalid(errors) from None


def fail(message: str):
    """Raise from a schema validator with a message that is already translated."""
    from pydantic_core import PydanticCustomError

    # Braces would be read as placeholders by pydantic; translated texts never need them.
    raise PydanticCustomError("record", message.replace("{", "(").replace("}", ")"))


def today(info) -> date:
    """'Today' for a record: the device's day when it synced from a phone, else the commune's.

    A phone whose clock is a few days off must not have its records rejected as future-dated;
    the sync API passes the device's own date as context (see sync.services).
    """
    ctx = getattr(info, "context", None) or {}
    day = ctx.get("today")
    return max(day, local_today()) if day else local_today()


# The plan runs from 2025: a field record dated earlier is a typing mistake (2205 for 2025).
PLAN_START = date(2025, 1, 1)
# Officers also log their office's earlier work (trainings, communication, monthly figures).
OFFICE_EARLIEST = date(2020, 1, 1)


def not_future(value: date, info=None) -> date:
    """Refuse a record date in the future (the device's day counts when synced)."""
    if value > today(info):
        fail(_("The date cannot be in the future."))
    return value


def past_date(value: date, info=None) -> date:
    """Refuse a record date in the future or before the plan started."""
    not_future(value, info)
    if value < PLAN_START:
        fail(_("The date cannot be before %(date)s.", date=fmt_date(PLAN_START)))
    return value


def plan_year_date(value: date, info=None) -> date:
    """past_date for records whose form asks for a year of the plan (lessons, outreach)."""
    not_future(value, info)
    if value < PLAN_START:
        fail(_("The date must be in 2025 or later."))  # the catalogue's text names PLAN_START's year
    return value


def office_date(value: date, info=None) -> date:
    """An officer's log date: 2020 or later (earlier work is logged too), not in the future."""
    if value < OFFICE_EARLIEST:
        fail(_("The date must be in 2020 or later."))
    if value > local_today():
        fail(_("The date cannot be in the future."))
    return value

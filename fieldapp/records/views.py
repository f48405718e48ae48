"""What every record view repeats, once each: a page of a list, "save or show the problems
with 422", and the delete box. The views themselves stay explicit (flaskr style).
"""

from collections.abc import Callable
from typing import TypeVar

from flask import flash, g, redirect, render_template, request

from fieldapp.db import get_session
from fieldapp.forms import BaseForm
from fieldapp.records.args import page_arg
from fieldapp.records.forms import DeleteForm, attach_errors
from fieldapp.records.paging import Page, paginate
from fieldapp.records.validation import RecordInvalid

T = TypeVar("T")


def paged(stmt, args=None) -> Page:
    """One page of stmt's rows: the one page= asks for (in the query string unless args are given)."""
    return paginate(get_session(), stmt, page_arg(args))


def render_form(template: str, **context):
    """A form page: 200 when asked for, 422 when a POST comes back to it refused."""
    return render_template(template, **context), (422 if request.method == "POST" else 200)


def save_or_problems(form: BaseForm, save: Callable[[], T]) -> tuple[T | None, list[str]]:
    """On a POST, save() the record: (what it returns, []); when the record is refused, nothing
    is kept, its errors go on the form's fields and (None, the problems no field shows) comes
    back. On a GET, (None, [])."""
    if request.method != "POST":
        return None, []
    try:
        return save(), []
    except RecordInvalid as err:
        get_session().rollback()  # a refused record leaves nothing behind, even if it was flushed
        return None, attach_errors(form, err.errors)


def delete_view(delete: Callable[..., object], message: str, *, back: str, done: str):
    """The POST of a record's delete box: with a reason, delete(session=, user=, reason=), say
    message and go to done; without one, say why and go back to the record."""
    form = DeleteForm()
    if not form.validate():
        flash(form.error_text(), "error")
        return redirect(back)
    delete(session=get_session(), user=g.user, reason=form.reason.data)
    flash(message, "info")
    return redirect(done)

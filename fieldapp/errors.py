"""Vietnamese error pages for people, one JSON error shape under /api/."""

import logging

from flask import g, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from fieldapp.privacy import mask_personal

log = logging.getLogger("fieldapp.errors")

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered."),
    401: _l("Please sign in first."),
    403: _l("You do not have permission to do this."),
    404: _l("This page or record does not exist, or is outside your area."),
    405: _l("This action is not allowed here."),
    413: _l("What you sent is too large."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on the server. Nothing you saved before was lost; "
            "please try again."),
}


def error_response(code: int, message=None, errors: dict | None = None):
    """JSON {"error": {"code", "message", "errors"}} for the API, an HTML page otherwise."""
    text = str(message or MESSAGES.get(code, MESSAGES[500]))
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": text, "errors": errors or {}}}
        return jsonify(body), code
    return render_template("errors/error.html", code=code, message=text), code


def register_errorhandlers(app) -> None:
    """Route every HTTP error and unexpected exception to error_response."""

    @app.errorhandler(CSRFError)
    def _csrf(err):
        return error_response(
            400, _l("The form expired or was sent from elsewhere. Please reload the page "
                    "and try again; what you typed was not saved."),
        )

    @app.errorhandler(HTTPException)
    def _http(err):
        resp = make_response(error_response(err.code or 500))
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            # RFC 9110: a 405 names the methods the address does take.
            resp.headers["Allow"] = ", ".join(err.valid_methods)
        return resp

    @app.errorhandler(DataError)
    def _refused_value(err):
        # PostgreSQL refuses what its column type cannot hold (a number past INTEGER's range
        # in a lookup) where SQLite answers "no such row": bad input, not a server fault.
        log.warning("value refused by the database on %s %s (%s)", request.method,
                    mask_personal(request.path), type(err.orig).__name__)
        if g.get("db_session") is not None:
            g.db_session.rollback()
        return error_response(400)

    @app.errorhandler(Exception)
    def _unexpected(err):
        # Log the trace for us; the user only ever sees the translated message.
        log.exception("unhandled error on %s %s", request.method, mask_personal(request.path))
        # A failed flush leaves the request's session unusable; the page needs it (g.user).
        if g.get("db_session") is not None:
            g.db_session.rollback()
        return error_response(InternalServerError.code)

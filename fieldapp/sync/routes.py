"""JSON API v1: device tokens, batch sync, offline reference data, OpenAPI document."""

import json
from functools import wraps

from flask import Blueprint, abort, current_app, g, jsonify, request, stream_with_context
from flask import session as web_session
from flask_babel import gettext as _
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import in_subtree, subtree
from fieldapp.auth.models import DeviceToken
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.auth.services import authenticate, session_key
from fieldapp.auth.tokens import issue_token, resolve_token, revoke_tokens, token_hash
from fieldapp.db import get_engine, get_session
from fieldapp.errors import error_response
from fieldapp.features import installed
from fieldapp.households.models import Household, HouseholdPublic
from fieldapp.privacy.access import record_access
from fieldapp.sync import services
from fieldapp.sync.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
REFERENCE_CHUNK = 500  # households per piece of the streamed reference body


def _json_body(max_bytes: int):
    """The request's JSON object, or an error response (413 oversize, 400 unreadable)."""
    if request.content_length is not None and request.content_length > max_bytes:
        abort(413)
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        abort(413)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def token_required(view):
    """Authenticate by 'Authorization: Bearer <device token>'; cookies are not used here."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        user = None
        if token:
            # A read of its own: the request's session would take SQLite's write lock for a
            # POST, and the sync batch takes it again on its own connection.
            with Session(get_engine(), expire_on_commit=False) as reading:
                user = resolve_token(session=reading, token=token)
        if user is None:
            return error_response(401, _("The device token is missing, expired or revoked. "
                                         "Sign in again; unsent records are kept."))
        g.api_user = user
        g.api_token = token
        return view(*args, **kwargs)

    return wrapped


@bp.post("/auth/token")
def token():
    """Exchange a username and password for a device token."""
    body = _json_body(4096)
    if body is None or not isinstance(body.get("username"), str) or not isinstance(
            body.get("password"), str):
        return error_response(400, _("Send a JSON object with username and password."))
    db = get_session()
    # PostgreSQL text cannot hold NUL, so no account's name has one; as a replacement character
    # it is still a failed attempt, logged and throttled like any other (not a refused value).
    username = body["username"].replace("\x00", "\ufffd")
    result = authenticate(session=db, username=username, password=body["password"],
                          ip=request.remote_addr)
    if result.throttled:
        body, status = error_response(429, _("Too many failed attempts. Please wait %(minutes)s "
                                             "minutes and try again.", minutes=result.wait_minutes))
        return body, status, {"Retry-After": str(result.wait_minutes * 60)}
    if result.user is None:
        return error_response(401, _("Wrong username or password."))
    sid = web_session.get("sid")
    token, row = issue_token(session=db, user=result.user, label=str(body.get("label", ""))[:100],
                             session_id=session_key(sid) if sid else None)
    return jsonify({"token": token, "expires_at": row.expires_at.isoformat(),
                    "user": {"username": result.user.username, "full_name": result.user.full_name,
                             "role": result.user.role, "area_id": result.user.area_id}})


@bp.delete("/auth/token")
@token_required
def revoke():
    """Revoke the token used for this request."""
    db = get_session()
    row = db.exec(select(DeviceToken).where(DeviceToken.token_hash == token_hash(g.api_token))).one()
    revoke_tokens(session=db, user_id=g.api_user.id, token_id=row.id)
    db.commit()
    return jsonify({"revoked": True})


@bp.post("/sync")
@token_required
def sync():
    """Store a batch of records; one result per record, sent only after the commit."""
    cfg = current_app.config
    body = _json_body(cfg.get("SYNC_MAX_BYTES", 4 * 1024 * 1024))
    if body is None or not isinstance(body.get("records"), list):
        return error_response(400, _('Send a JSON object {"records": [...]}.'))
    records = body["records"]
    if len(records) > cfg.get("SYNC_MAX_RECORDS", 1000):
        return error_response(413, _("Too many records in one batch."))
    results = services.ingest(engine=get_engine(), user_id=g.api_user.id, records=records)
    return jsonify({"results": results})


@bp.get("/reference")
@token_required
def reference():
    """What the offline forms need: the user's thôn, what each feature's forms need (its
    catalogues), and the thôn's households."""
    db = get_session()
    user = g.api_user
    area = db.get(Area, user.area_id)
    thon = [area] if area.level == THON else subtree(db, area, THON)
    head = {
        "user": {"username": user.username, "full_name": user.full_name, "role": user.role},
        "thon": [{"id": t.id, "name": t.name} for t in thon],
    }
    for feature in installed():
        if feature.reference is not None:
            head |= feature.reference(db, user, area)
    rows = ()
    if user.role in SEES_PERSONAL_DATA:
        # Plain rows of the public columns, read in pieces: a commune's households never sit
        # in a worker's memory all at once, neither as ORM objects nor as one JSON string.
        cols = [getattr(Household, name) for name in HouseholdPublic.model_fields]
        in_scope = select(Area.id).where(in_subtree(Area.path, area))
        stmt = sa_select(*cols).where(Household.area_id.in_(in_scope), Household.deleted_at.is_(None))
        rows = _stream(stmt.order_by(Household.name_sort).limit(20000))
        # The list names the thôn's households: a download to a phone is a view, and logged.
        record_access(page="api.reference", user=user)
    body = stream_with_context(_json_with_list(head, "households", rows))
    return current_app.response_class(body, mimetype="application/json")


def _stream(stmt):
    """The statement's rows, fetched in pieces on a connection of their own.

    Not the request's session: the access log ends that session's transaction after the
    view returns, and with it a PostgreSQL server-side cursor.
    """
    with get_engine().connect() as conn:
        yield from conn.execute(stmt.execution_options(yield_per=REFERENCE_CHUNK))


def _json_with_list(head: dict, key: str, rows):
    """head with key set to the rows' list, as JSON in pieces of REFERENCE_CHUNK rows."""
    dumps = current_app.json.dumps
    yield dumps(head)[:-1] + f', "{key}": ['
    chunk, first = [], True
    for row in rows:
        chunk.append(dumps(row._asdict()))
        if len(chunk) == REFERENCE_CHUNK:
            yield ("" if first else ",") + ",".join(chunk)
            chunk, first = [], False
    if chunk:
        yield ("" if first else ",") + ",".join(chunk)
    yield "]}"


@bp.get("/openapi.json")
def openapi():
    """The API description, with a valid example of every record type."""
    return jsonify(document())

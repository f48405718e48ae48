"""CSRF tokens masked afresh in every response, so that compressed pages do not leak them (BREACH).

Flask-WTF's token is the session's secret, signed with a timestamp: its first part is the same
in every page of a session. A page compressed with text an attacker can reflect into it
(a search box) could give that part away a character at a time through the compressed size.
Here every rendered token is `pad + (token XOR pad)` with a new random pad, as Django does:
no two responses carry the same bytes. The check unmasks before Flask-WTF verifies as usual.
These are the one place tokens are rendered (the `csrf_token()` template global and every
form's hidden field) and checked (the app-wide check on each POST, and a form's own check).
"""

import base64
import binascii
import os

from flask_wtf.csrf import CSRFProtect, _FlaskFormCSRF, generate_csrf


def mask(token: str) -> str:
    """The token XORed with a random pad of its length, the pad in front, URL-safe base64."""
    raw = token.encode()
    pad = os.urandom(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))).decode()


def unmask(value: str | None) -> str | None:
    """The token a masked value carries; anything else as it came (Flask-WTF then judges it)."""
    if not value:
        return value
    try:
        data = base64.b64decode(value.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return value
    half = len(data) // 2
    if not data or len(data) % 2:
        return value
    token = bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True))
    try:
        return token.decode("ascii")
    except UnicodeDecodeError:
        return value


def masked_csrf_token() -> str:
    """What templates render as `csrf_token()`."""
    return mask(generate_csrf())


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's app-wide CSRF check, rendering and reading masked tokens."""

    def init_app(self, app):
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = masked_csrf_token
        app.context_processor(lambda: {"csrf_token": masked_csrf_token})

    def _get_csrf_token(self):
        return unmask(super()._get_csrf_token())


class MaskedFormCSRF(_FlaskFormCSRF):
    """A form's hidden csrf_token field, masked; its own check unmasks."""

    def generate_csrf_token(self, csrf_token_field):
        return mask(super().generate_csrf_token(csrf_token_field))

    def validate_csrf_token(self, form, field):
        field.data = unmask(field.data)
        super().validate_csrf_token(form, field)

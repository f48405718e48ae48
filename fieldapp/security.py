"""Security headers on every response; no caching of pages with personal data."""

from flask import g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# On every response from the app, and on static SVG files (an SVG opened by itself is a document
# that could run script). Other static files (scripts, styles, images) only need nosniff: the
# rest govern documents, and repeating them on every file costs ~330 bytes per file on a phone.
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
STATIC_HEADERS = {"X-Content-Type-Options": "nosniff"}


def static_headers(path: str) -> dict[str, str]:
    """The security headers of one static file."""
    return HEADERS if path.endswith(".svg") else STATIC_HEADERS


def register_security(app) -> None:
    """Attach the headers hook."""

    @app.after_request
    def _headers(response):
        h = response.headers
        for key, value in HEADERS.items():
            h.setdefault(key, value)
        if g.get("user") is not None and response.mimetype in ("text/html", "application/json"):
            # Signed-in pages may show households' personal data: keep them out of caches.
            h["Cache-Control"] = "no-store"
        return response

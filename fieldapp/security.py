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
    """Attach the headers hook, and trust forwarded headers from configured proxies only."""
    hops = app.config.get("PROXY_FIX_X_FOR", 0)
    proto = app.config.get("PROXY_FIX_X_PROTO", 0)
    if hops or proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Off by default: without a proxy, X-Forwarded-For is whatever the client says.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=proto, x_host=0, x_port=0, x_prefix=0)

    @app.after_request
    def _headers(response):
        h = response.headers
        for key, value in HEADERS.items():
            h.setdefault(key, value)
        if g.get("user") is not None and response.mimetype in ("text/html", "application/json"):
            # Signed-in pages may show households' personal data: keep them out of caches.
            h["Cache-Control"] = "no-store"
        return response

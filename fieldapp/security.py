"""Security headers on every response; no caching of pages with personal data."""

from flask import g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


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
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        if g.get("user") is not None and response.mimetype in ("text/html", "application/json"):
            # Signed-in pages may show households' personal data: keep them out of caches.
            h["Cache-Control"] = "no-store"
        return response

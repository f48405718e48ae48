"""Security headers on every response; no caching of pages with personal data."""

from flask import g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_security(app) -> None:
    """Attach the headers hook."""

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

"""Personal data: masking for public text and logs, the access log, data subject rights and
retention (Law 91/2025/QH15).

`mask_personal` stays importable from `fieldapp.privacy`; the rest lives in the submodules.
"""

import os
import re

# Vietnamese phone numbers (0xxxxxxxxx, +84…) and 9/12-digit ID numbers, with common spacing.
_PATTERNS = [
    re.compile(r"(?:\+?84|0)(?:[\s.\-]?\d){9}\b"),
    re.compile(r"\b\d{12}\b|\b\d{9}\b"),
]
# Any run of digits (a whole or partial phone or ID number) in a search query.
_DIGITS = re.compile(r"\+?\d[\d\s.\-]*\d|\d")


def mask_personal(text: str) -> str:
    """Replace phone and ID numbers with '***'."""
    for pattern in _PATTERNS:
        text = pattern.sub("***", text)
    return text


def has_number(text: str | None) -> bool:
    """True when a query contains a digit: it may be (part of) a phone or ID number."""
    return bool(text) and any(ch.isdigit() for ch in text)


def mask_numbers(text: str | None) -> str:
    """A query with every digit run replaced by '***' (what the access log keeps)."""
    return _DIGITS.sub("***", text or "")


def init_app(app) -> None:
    """The retention setting and the access-log hook."""
    # Five years unless the commune's policy says otherwise (PERSONAL_DATA_RETENTION_DAYS).
    app.config.setdefault(
        "PERSONAL_DATA_RETENTION_DAYS", int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "1825"))
    )
    from fieldapp.privacy.access import register_access_log

    register_access_log(app)

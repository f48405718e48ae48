"""Keep personal data out of public text and logs."""

import re

# Vietnamese phone numbers (0xxxxxxxxx, +84…) and 9/12-digit ID numbers, with common spacing.
_PATTERNS = [
    re.compile(r"(?:\+?84|0)(?:[\s.\-]?\d){9}\b"),
    re.compile(r"\b\d{12}\b|\b\d{9}\b"),
]


def mask_personal(text: str) -> str:
    """Replace phone and ID numbers with '***'."""
    for pattern in _PATTERNS:
        text = pattern.sub("***", text)
    return text

"""Households (hộ gia đình) of a thôn: registration, search, consent, duplicate warning."""

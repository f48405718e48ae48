"""The JSON sync API: device tokens and idempotent batch upload of field records."""

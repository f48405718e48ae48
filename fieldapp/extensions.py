"""Unbound extensions, initialised by the app factory."""

from flask_babel import Babel
from flask_compress import Compress

from fieldapp.csrf import MaskedCSRFProtect

babel = Babel()
csrf = MaskedCSRFProtect()
compress = Compress()

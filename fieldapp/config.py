"""Configuration: safe defaults, overridden by the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """Raised when the environment cannot run the app safely."""


def _dev_secret_key() -> str:
    """Return a per-machine random key kept in instance/, so every worker shares it."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def database_url() -> str:
    """The database to use: DATABASE_URL, or the embedded SQLite file in instance/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'fieldapp.db'}"


def load_config(overrides: dict | None = None) -> dict:
    """Build the settings dict from defaults, environment and explicit overrides."""
    env = os.environ.get("FIELDAPP_ENV", "production")
    overrides = overrides or {}
    env = overrides.get("FIELDAPP_ENV", env)
    cfg = {
        "FIELDAPP_ENV": env,
        "DATABASE_URL": database_url(),
        "SQL_ECHO": False,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_NAME": "fieldapp",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        # Field phones keep a page open between doors; idle expiry is generous but finite.
        "SESSION_IDLE_TIMEOUT": timedelta(
            minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
        ),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # The cookie is set at sign-in for the absolute limit; idle expiry is kept on the server
        # (user_session), so re-sending the cookie with every answer would only cost bytes.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        "LOGIN_MAX_DELAY": timedelta(minutes=15),
        "LOGIN_STUFFING_USERNAMES": 20,
        # Reverse proxies in front of the app whose X-Forwarded-For / -Proto are trusted (0: none).
        "PROXY_FIX_X_FOR": int(os.environ.get("PROXY_FIX_X_FOR", "0")),
        "PROXY_FIX_X_PROTO": int(os.environ.get("PROXY_FIX_X_PROTO", "0")),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        # Pages, JSON, the worker script and CSV exports (streamed: compressed as they stream).
        # XLSX is a zip already; static files come precompressed from WhiteNoise.
        "COMPRESS_MIMETYPES": ["text/html", "application/json", "text/javascript", "text/csv"],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],
        "COMPRESS_BR_LEVEL": 6,  # 11% smaller than the default 4 for ~2 ms more on a 60 KB page
        "ADULT_AGE": 18,
        "PAGE_SIZE": 25,
        # flask backup: where copies go (a USB disk or a network share), and how many are kept.
        "BACKUP_DIR": os.environ.get("BACKUP_DIR") or str(INSTANCE / "backups"),
        "BACKUP_KEEP_DAILY": int(os.environ.get("BACKUP_KEEP_DAILY", "7")),
        "BACKUP_KEEP_MONTHLY": int(os.environ.get("BACKUP_KEEP_MONTHLY", "12")),
        "BACKUP_WARN_AFTER": timedelta(days=2),
    }
    secret = os.environ.get("SECRET_KEY")
    cfg.update(overrides)
    if "SECRET_KEY" not in cfg:
        if secret:
            cfg["SECRET_KEY"] = secret
        elif env in ("development", "testing"):
            cfg["SECRET_KEY"] = _dev_secret_key()
        else:
            raise ConfigError(
                "SECRET_KEY must be set when FIELDAPP_ENV is production "
                "(or set FIELDAPP_ENV=development to try the app)."
            )
    return cfg

"""Configuration refuses unsafe production settings and keeps a per-machine dev secret."""

import stat

import pytest

import fieldapp.config as config
from fieldapp import create_app
from fieldapp.config import ConfigError, load_config


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No app settings from the surrounding shell; instance/ in a temporary folder."""
    for name in ("SECRET_KEY", "FIELDAPP_ENV", "DATABASE_URL", "SESSION_IDLE_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    return monkeypatch


def test_production_without_secret_key_refuses_to_start(clean_env):
    clean_env.setenv("FIELDAPP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config()
    with pytest.raises(ConfigError):
        create_app()
    assert not (config.INSTANCE / "secret_key").exists()


def test_production_is_the_default(clean_env):
    with pytest.raises(ConfigError):
        load_config()


def test_production_with_secret_key_uses_secure_cookies(clean_env):
    clean_env.setenv("FIELDAPP_ENV", "production")
    clean_env.setenv("SECRET_KEY", "k" * 64)
    cfg = load_config()
    assert cfg["SECRET_KEY"] == "k" * 64
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["SESSION_COOKIE_HTTPONLY"] is True
    assert cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_creates_and_reuses_the_instance_secret(clean_env):
    clean_env.setenv("FIELDAPP_ENV", "development")
    first = load_config()["SECRET_KEY"]
    path = config.INSTANCE / "secret_key"
    assert path.read_text().strip() == first
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config()["SECRET_KEY"] == first  # a second worker reads the same key
    assert load_config({"FIELDAPP_ENV": "development"})["SESSION_COOKIE_SECURE"] is False


def test_development_reads_an_existing_secret(clean_env):
    clean_env.setenv("FIELDAPP_ENV", "development")
    config.INSTANCE.mkdir()
    (config.INSTANCE / "secret_key").write_text("existing-secret\n")
    assert load_config()["SECRET_KEY"] == "existing-secret"


def test_environment_overrides(clean_env, tmp_path):
    clean_env.setenv("FIELDAPP_ENV", "development")
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    clean_env.setenv("SESSION_IDLE_MINUTES", "30")
    cfg = load_config()
    assert cfg["DATABASE_URL"].endswith("x.db")
    assert cfg["SESSION_IDLE_TIMEOUT"].total_seconds() == 1800


def test_default_database_is_sqlite_in_instance(clean_env):
    clean_env.setenv("FIELDAPP_ENV", "development")
    assert load_config()["DATABASE_URL"] == f"sqlite:///{config.INSTANCE / 'fieldapp.db'}"

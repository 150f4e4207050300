"""Configuration checks at start-up: secrets and rate-limit settings."""

import pytest

from orbix import config as config_module
from tests.conftest import make_app


def test_production_refuses_to_start_without_a_jwt_secret(monkeypatch):
    monkeypatch.setenv("ORBIX_ENV", "production")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    with pytest.raises(config_module.ConfigError, match="JWT_SECRET_KEY"):
        config_module.load_config()


def test_development_generates_one_secret_per_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("ORBIX_ENV", "development")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ORBIX_INSTANCE_DIR", str(tmp_path))
    first = config_module.load_config()["JWT_SECRET_KEY"]
    assert len(first) >= 32
    assert config_module.load_config()["JWT_SECRET_KEY"] == first
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0


def test_production_refuses_per_process_rate_limit_storage(mongo_uri):
    with pytest.raises(config_module.ConfigError, match="RATELIMIT_STORAGE_URI"):
        make_app(mongo_uri, "memory://", PRODUCTION=True)


def test_a_malformed_rate_limit_stops_start_up(mongo_uri, redis_uri):
    """A malformed limit stops the start-up instead of limiting nothing."""
    with pytest.raises(config_module.ConfigError, match="RATELIMIT_AUTH"):
        make_app(mongo_uri, redis_uri, RATELIMIT_AUTH="ten per minute")


def _production(monkeypatch, **env):
    monkeypatch.setenv("ORBIX_ENV", "production")
    monkeypatch.setenv("JWT_SECRET_KEY", "x" * 40)
    for name in ("RATELIMIT_STORAGE_URI", "REDIS_URL", "REDIS_TLS_VERIFY", "SMTP_CA_FILE", "JOBS_HISTORY_DAYS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return config_module.load_config()


def test_redis_url_is_the_fallback_for_rate_limits_and_jobs(monkeypatch):
    """Heroku's Redis add-on sets REDIS_URL (rediss://, self-signed: REDIS_TLS_VERIFY=false)."""
    config = _production(monkeypatch, REDIS_URL="rediss://:pw@ec2.example.com:6380", REDIS_TLS_VERIFY="false")
    assert config["RATELIMIT_STORAGE_URI"] == "rediss://:pw@ec2.example.com:6380"
    assert config["JOBS_REDIS_URL"] is None and config["REDIS_TLS_VERIFY"] is False  # the queue follows
    named = _production(monkeypatch, REDIS_URL="redis://a:6379", RATELIMIT_STORAGE_URI="redis://b:6379")
    assert named["RATELIMIT_STORAGE_URI"] == "redis://b:6379" and named["REDIS_TLS_VERIFY"] is True


@pytest.mark.parametrize(("name", "value"), [
    ("REDIS_TLS_VERIFY", "sometimes"), ("SMTP_CA_FILE", "/nonexistent/ca.pem"), ("JOBS_HISTORY_DAYS", "0"),
])
def test_a_bad_setting_stops_start_up_with_its_name(monkeypatch, name, value):
    with pytest.raises(config_module.ConfigError, match=name):
        _production(monkeypatch, **{name: value})


def test_smtp_ca_file_and_history_days_are_read(monkeypatch, tmp_path):
    bundle = tmp_path / "relay-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    config = _production(monkeypatch, SMTP_CA_FILE=str(bundle), JOBS_HISTORY_DAYS="90")
    assert config["SMTP_CA_FILE"] == str(bundle) and config["JOBS_HISTORY_DAYS"] == 90
    assert _production(monkeypatch)["JOBS_HISTORY_DAYS"] == 30 and _production(monkeypatch)["SMTP_CA_FILE"] is None


@pytest.mark.parametrize(("raw", "allowed"), [(None, False), ("", False), ("false", False), ("off", False),
                                              ("true", True), ("Yes", True), ("1", True)])
def test_private_webhook_targets_are_refused_unless_allowed(monkeypatch, raw, allowed):
    if raw is None:
        monkeypatch.delenv("WEBHOOKS_ALLOW_PRIVATE", raising=False)
    else:
        monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", raw)
    assert config_module.load_config()["WEBHOOKS_ALLOW_PRIVATE"] is allowed


def test_a_malformed_yes_no_setting_stops_start_up(monkeypatch):
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "sometimes")
    with pytest.raises(config_module.ConfigError, match="WEBHOOKS_ALLOW_PRIVATE"):
        config_module.load_config()


def test_production_with_payments_refuses_to_start_without_an_encryption_key(monkeypatch):
    monkeypatch.setenv("ORBIX_ENV", "production")
    monkeypatch.setenv("JWT_SECRET_KEY", "x" * 40)
    monkeypatch.delenv("ORBIX_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("PAYMENTS_ENABLED", raising=False)
    with pytest.raises(config_module.ConfigError, match="ORBIX_ENCRYPTION_KEY must be set"):
        config_module.load_config()
    monkeypatch.setenv("PAYMENTS_ENABLED", "false")
    config = config_module.load_config()
    assert config["PAYMENTS_ENABLED"] is False and config["ENCRYPTION_KEYS"] == []
    monkeypatch.setenv("ORBIX_ENCRYPTION_KEY", "too-short")
    with pytest.raises(config_module.ConfigError, match="ORBIX_ENCRYPTION_KEY: each key must be a Fernet key"):
        config_module.load_config()


def test_encryption_keys_rotate_and_development_keeps_one_per_data_directory(monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    new, old = Fernet.generate_key().decode(), "an-older-platform-generated-secret-0123456789"
    monkeypatch.setenv("ORBIX_ENCRYPTION_KEY", f" {new} , {old}")
    keys = config_module.load_config()["ENCRYPTION_KEYS"]
    assert len(keys) == 2 and keys[0] == new.encode()
    monkeypatch.setenv("ORBIX_ENV", "development")
    monkeypatch.delenv("ORBIX_ENCRYPTION_KEY")
    monkeypatch.setenv("ORBIX_INSTANCE_DIR", str(tmp_path))
    first = config_module.load_config()["ENCRYPTION_KEYS"]
    assert config_module.load_config()["ENCRYPTION_KEYS"] == first and len(first) == 1
    assert (tmp_path / "encryption-key").stat().st_mode & 0o077 == 0

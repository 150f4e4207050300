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

"""Settings, read from the environment in one place.

Every other module reads ``current_app.config``; only this module looks at
``os.environ``. Defaults work for local development; production refuses to start
with an unsafe default (a missing JWT secret) rather than run insecurely.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from .common import encryption

PRODUCTION_NAMES = {"production", "prod"}
# Where Debian (make fonts, the Dockerfile) puts the Noto fonts PDFs fall back to.
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _number(name, default, parse=int, kind="a whole number"):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be {kind}, got {raw!r}") from exc


def _int(name, default):
    return _number(name, default)


def _float(name, default):
    return _number(name, default, float, "a number")


def _flag(name, default=False):
    """A yes/no setting: true, 1, yes or on (any case) mean yes; false, 0, no or off mean no."""
    raw = (os.environ.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "1", "yes", "on"):
        return True
    if raw in ("false", "0", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _file(name):
    """A path that must name a readable file when set (so a typo stops the start-up, not every send)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not os.path.isfile(raw) or not os.access(raw, os.R_OK):
        raise ConfigError(f"{name}={raw!r} is not a readable file")
    return raw


def _first(*names):
    """The first of ``names`` that is set: a platform's variable (Heroku's ``REDIS_URL``) as a fallback."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def _list(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items if items != ["*"] else "*"


def _paths(name, default):
    """Directories from a ``PATH``-like variable (``os.pathsep`` between them)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(os.pathsep) if item.strip()]


def environment_name():
    """The deployment environment: ``ORBIX_ENV`` wins over the legacy ``FLASK_ENV``."""
    return (os.environ.get("ORBIX_ENV") or os.environ.get("FLASK_ENV") or "development").lower()


def instance_dir():
    """Where development state lives (embedded database files, the dev JWT secret)."""
    return Path(os.environ.get("ORBIX_INSTANCE_DIR") or ROOT / "instance")


def _development_secret(directory, name="jwt-secret", make=lambda: secrets.token_urlsafe(48)):
    """One random secret per data directory, so dev tokens (and data encrypted at rest) survive
    restarts.

    Created with O_EXCL so that several gunicorn workers starting at once agree
    on a single secret.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    return path.read_text().strip()


def _encryption_keys(production, payments_enabled):
    """``ORBIX_ENCRYPTION_KEY``: comma-separated keys, the first encrypts (see common.encryption).
    Production with payments enabled refuses to start without one; development keeps a generated
    key in the instance directory; with payments off and no key, nothing is encrypted."""
    raw = os.environ.get("ORBIX_ENCRYPTION_KEY", "").strip()
    if not raw:
        if production and payments_enabled:
            raise ConfigError(
                "ORBIX_ENCRYPTION_KEY must be set when ORBIX_ENV=production and PAYMENTS_ENABLED is true "
                "(it encrypts the Stripe secrets users connect): see README, Online card payments"
            )
        if production:
            return []
        raw = _development_secret(instance_dir(), "encryption-key", encryption.new_key)
    try:
        return encryption.parse_keys(raw)
    except ValueError as exc:
        raise ConfigError(f"ORBIX_ENCRYPTION_KEY: {exc}") from exc


def load_config():
    """Build the Flask config mapping from the environment."""
    env = environment_name()
    production = env in PRODUCTION_NAMES
    secret = os.environ.get("JWT_SECRET_KEY", "").strip()
    if not secret:
        if production:
            raise ConfigError("JWT_SECRET_KEY must be set to a long random value when ORBIX_ENV=production")
        secret = _development_secret(instance_dir())
    elif production and len(secret) < 32:
        raise ConfigError("JWT_SECRET_KEY is too short for production: use at least 32 random characters")
    payments_enabled = _flag("PAYMENTS_ENABLED", True)
    history_days = _int("JOBS_HISTORY_DAYS", 30)
    if history_days < 1:
        raise ConfigError(f"JOBS_HISTORY_DAYS must be at least 1, got {history_days}")

    return {
        "ENV_NAME": env,
        "PRODUCTION": production,
        "MONGO_URI": os.environ.get("MONGO_URI", "").strip() or None,
        "MONGO_DB_NAME": os.environ.get("MONGO_DB_NAME", "").strip() or None,
        "MONGO_TIMEOUT_MS": _int("MONGO_TIMEOUT_MS", 2000),
        "JWT_SECRET_KEY": secret,
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(seconds=_int("JWT_ACCESS_TOKEN_SECONDS", 7 * 24 * 3600)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(seconds=_int("JWT_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600)),
        "BCRYPT_ROUNDS": _int("BCRYPT_ROUNDS", 12),
        "CORS_ORIGINS": _list("CORS_ORIGINS", "*"),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/") or None,
        "AI_BASE_URL": os.environ.get("AI_BASE_URL", "").strip() or None,
        "AI_API_KEY": os.environ.get("AI_API_KEY", "").strip() or None,
        "AI_MODEL": os.environ.get("AI_MODEL", "").strip() or None,
        "AI_TIMEOUT_SECONDS": _int("AI_TIMEOUT_SECONDS", 30),
        "AI_CONNECT_TIMEOUT_SECONDS": _int("AI_CONNECT_TIMEOUT_SECONDS", 5),
        "AI_RETRY_BACKOFF_SECONDS": float(os.environ.get("AI_RETRY_BACKOFF_SECONDS") or 0.5),
        # Development default: the redis-server `make run` starts. Production must name one;
        # REDIS_URL (what Heroku's and many add-ons set) is taken when RATELIMIT_STORAGE_URI is not.
        "RATELIMIT_STORAGE_URI": _first("RATELIMIT_STORAGE_URI", "REDIS_URL")
        or (None if production else "redis://127.0.0.1:6479/0"),
        # rediss:// certificates are verified unless this is false (Heroku's Redis: self-signed).
        "REDIS_TLS_VERIFY": _flag("REDIS_TLS_VERIFY", True),
        # Every Redis call gives up after this (connect and read); see orbix.platform.redis_client.
        "REDIS_TIMEOUT_SECONDS": _float("REDIS_TIMEOUT_SECONDS", 0.25),
        # After a failed call the session cache leaves Redis alone this long (reads MongoDB).
        "REDIS_RETRY_SECONDS": _float("REDIS_RETRY_SECONDS", 2.0),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "orbix"),
        # Background jobs (orbix.jobs): the queue's Redis, by default the rate limits' one.
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", "").strip() or None,
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "").strip() or "orbix",
        "JOBS_RETRY_MAX": _int("JOBS_RETRY_MAX", 5),
        # Retry n waits base * 2**(n-1) seconds (30, 60, 120, 240, 480 by default).
        "JOBS_RETRY_BASE_SECONDS": _int("JOBS_RETRY_BASE_SECONDS", 30),
        "JOBS_TIMEOUT_SECONDS": _int("JOBS_TIMEOUT_SECONDS", 300),
        "SCHEDULER_TICK_SECONDS": _float("SCHEDULER_TICK_SECONDS", 60.0),
        # Finished job runs and periodic runs older than this are purged (orbix.jobs.history).
        "JOBS_HISTORY_DAYS": history_days,
        # E-mail (orbix.mail). Development default: the sink `make run` starts.
        "SMTP_URL": os.environ.get("SMTP_URL", "").strip() or (None if production else "smtp://127.0.0.1:8025"),
        "SMTP_TIMEOUT_SECONDS": _float("SMTP_TIMEOUT_SECONDS", 30.0),
        # PEM bundle trusted besides the system's CAs (a private relay); certificates stay verified.
        "SMTP_CA_FILE": _file("SMTP_CA_FILE"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip() or (None if production else "Orbix <orbix@localhost>"),
        # Webhooks (orbix.webhooks): private, loopback and link-local targets are refused unless allowed.
        "WEBHOOKS_ALLOW_PRIVATE": _flag("WEBHOOKS_ALLOW_PRIVATE"),
        "WEBHOOKS_TIMEOUT_SECONDS": _float("WEBHOOKS_TIMEOUT_SECONDS", 10.0),
        # Online card payments (orbix.stripe_payments): the switch, the Fernet keys of the Stripe
        # secrets at rest, and Stripe's API base (tests point it at stripe-mock).
        "PAYMENTS_ENABLED": payments_enabled,
        "ENCRYPTION_KEYS": _encryption_keys(production, payments_enabled),
        "STRIPE_API_BASE": (os.environ.get("STRIPE_API_BASE", "").strip() or "https://api.stripe.com").rstrip("/"),
        "STRIPE_TIMEOUT_SECONDS": _float("STRIPE_TIMEOUT_SECONDS", 20.0),
        "RATELIMIT_DEFAULT": os.environ.get("RATELIMIT_DEFAULT", "1200/minute"),
        "RATELIMIT_AUTH": os.environ.get("RATELIMIT_AUTH", "10/minute"),
        "RATELIMIT_PASSWORD": os.environ.get("RATELIMIT_PASSWORD", "5/minute"),
        "RATELIMIT_AI": os.environ.get("RATELIMIT_AI", "30/minute"),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", "").strip() or None,
        "PROXY_FIX_HOPS": _int("PROXY_FIX_HOPS", 0),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "IDEMPOTENCY_TTL_SECONDS": _int("IDEMPOTENCY_TTL_SECONDS", 24 * 3600),
        "REPORTS_CACHE_USERS": _int("REPORTS_CACHE_USERS", 8),
        # Finished answers to repeated reads kept per worker (orbix.platform.read_cache); 0 bytes: off.
        "READ_CACHE_BYTES": _int("READ_CACHE_BYTES", 16 * 1024 * 1024),
        "READ_CACHE_SECONDS": _int("READ_CACHE_SECONDS", 300),
        # Verified sessions kept per worker (orbix.auth.sessions); 0 seconds turns the cache off.
        "SESSION_CACHE_SECONDS": _int("SESSION_CACHE_SECONDS", 60),
        "SESSION_CACHE_USERS": _int("SESSION_CACHE_USERS", 10000),
        # Searched recursively for the Noto fonts PDFs use for scripts the bundled DejaVu lacks.
        "PDF_FONT_DIRS": _paths("PDF_FONT_DIRS", DEFAULT_FONT_DIRS),  # fallback fonts for PDFs (Noto)
    }

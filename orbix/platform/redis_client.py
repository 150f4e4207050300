"""How every Redis client of the app connects (rate limits, session epochs, data versions).

redis-py waits forever by default, so a hung Redis (stopped, or a network path that drops
packets) would hang every request that touches it. Each client gets connect and read timeouts
of ``REDIS_TIMEOUT_SECONDS`` and no retries (a retry would only wait again); callers treat a
``RedisError`` as "Redis is away" and fall back (see ``platform.ratelimit`` and
``auth.sessions``).

One :class:`RedisGate` per app holds the one client (and its connection pool) and the shared
"away" state: after any failed call, every user of the gate leaves Redis alone for
``REDIS_RETRY_SECONDS`` (the rate limiter counts in memory, the session cache reads MongoDB),
so a hung Redis costs one request per pause that timeout, not every request.
"""

import logging
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
EXTENSION = "orbix_redis"
EPOCH_TTL_SECONDS = 24 * 3600  # an idle user's session epoch goes away; a fresh random one replaces it
# In the WSGI environ: (user id, session epoch) read by the rate limiter's round trip, so the
# session check of the same request need not ask Redis again.
PREFETCH_KEY = "orbix.session_epoch"

log = logging.getLogger(__name__)


def is_redis(uri):
    return bool(uri) and uri.startswith(REDIS_SCHEMES)


def client_options(config, uri):
    """Keyword arguments for ``redis.Redis.from_url(uri)``.

    A ``rediss://`` server's certificate is verified (chain and host name) unless
    ``REDIS_TLS_VERIFY`` is false: Heroku's Redis presents a self-signed certificate, so there
    the connection is encrypted but the server is not authenticated, by an explicit setting."""
    timeout = config.get("REDIS_TIMEOUT_SECONDS", 0.25)
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "retry": Retry(NoBackoff(), 0)}
    if uri.startswith("rediss://") and not config.get("REDIS_TLS_VERIFY", True):
        options["ssl_cert_reqs"] = "none"
    return options


class RedisGate:
    """The app's Redis client, asked only while it is not known to be away."""

    def __init__(self, uri, options, retry_seconds, prefix):
        self.client = redis.Redis.from_url(uri, **options)
        self.prefix = prefix
        self._retry_seconds = retry_seconds
        self._away_until = None  # monotonic time before which Redis is not asked

    def available(self):
        away_until = self._away_until
        return away_until is None or time.monotonic() >= away_until

    def call(self, what, operation):
        """``operation(client)``'s result, or None when Redis is away or fails (logged once
        per outage, with ``what`` saying what falls back)."""
        if not self.available():
            return None
        try:
            result = operation(self.client)
        except redis.RedisError as error:
            self.failed(error, what)
            return None
        if self._away_until is not None:
            self._away_until = None
            log.info("Redis answers again: rate limits, session cache and data versions back on it")
        return result

    def failed(self, error, what):
        if self._away_until is None:
            log.warning("Redis unavailable (%s): %s", error.__class__.__name__, what)
        self._away_until = time.monotonic() + self._retry_seconds


def init_redis(app):
    """The app's gate, or None when ``RATELIMIT_STORAGE_URI`` is not a Redis URI."""
    storage = app.config.get("RATELIMIT_STORAGE_URI") or ""
    gate = None
    if is_redis(storage):
        gate = RedisGate(storage, client_options(app.config, storage), app.config.get("REDIS_RETRY_SECONDS", 2),
                         app.config.get("RATELIMIT_KEY_PREFIX", "orbix"))
    app.extensions[EXTENSION] = gate
    return gate

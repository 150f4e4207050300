"""How every Redis client of the app connects (rate limits, session epochs).

redis-py waits forever by default, so a hung Redis (stopped, or a network path that drops
packets) would hang every request that touches it. Each client gets connect and read timeouts
of ``REDIS_TIMEOUT_SECONDS`` and no retries (a retry would only wait again); callers treat a
``RedisError`` as "Redis is away" and fall back (see ``platform.ratelimit`` and
``auth.sessions``).
"""

from redis.backoff import NoBackoff
from redis.retry import Retry

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def is_redis(uri):
    return bool(uri) and uri.startswith(REDIS_SCHEMES)


def client_options(config):
    """Keyword arguments for ``redis.Redis.from_url`` (and flask-limiter's storage options)."""
    timeout = config.get("REDIS_TIMEOUT_SECONDS", 0.25)
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout, "retry": Retry(NoBackoff(), 0)}

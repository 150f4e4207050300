"""Rate limits (flask-limiter), shared by every worker and instance through Redis.

``RATELIMIT_STORAGE_URI`` names the storage (``redis://...`` in production and in the
test suite, which starts a real redis-server). ``memory://`` is refused outside tests,
because per-process counters would multiply the limit by the number of workers.

Limits are read from each app's config when the app is built; a malformed one stops the
start-up (flask-limiter would log the parse error on every request and limit nothing):
- ``RATELIMIT_AUTH`` for login and register, counted per client IP *and* per email;
- ``RATELIMIT_PASSWORD`` for password changes, per user;
- ``RATELIMIT_AI`` for AI endpoints, per user;
- ``RATELIMIT_DEFAULT`` a generous global limit per user (per IP when anonymous).

When Redis cannot answer within ``REDIS_TIMEOUT_SECONDS`` the limiter fails open and logs
it: flask-limiter's in-memory fallback then counts only ``RATELIMIT_DEFAULT``, per worker,
and re-checks Redis at growing intervals (1 s doubling to 32 s), going back to it once it
answers. Route limits (login, AI) lapse for that time; refusing every request instead would
turn a cache outage into an API outage.
"""

import time

from flask import request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse_many

from ..config import ConfigError
from .caller import caller_id
from .errors import error_response
from .redis_client import client_options, is_redis


def _user_or_ip():
    """The caller's id (worked out once per request by ``caller_id``), else the client's IP."""
    identity = caller_id()
    return f"user:{identity}" if identity else f"ip:{get_remote_address()}"


def _email_key():
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    if isinstance(email, str) and 0 < len(email.strip()) <= 254:  # no megabyte keys in Redis
        return f"email:{email.strip().lower()}"
    return f"ip:{get_remote_address()}"


def _on_breach(limit: RequestLimit):
    retry_after = max(1, int(limit.reset_at - time.time()))
    return error_response(
        429,
        f"Too many requests: limit is {limit.limit}; retry in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


# Endpoint -> limits beyond the default, as (config name, key function, scope) triples.
ROUTE_LIMITS = {
    "auth.register": [("RATELIMIT_AUTH", get_remote_address, "auth-ip"), ("RATELIMIT_AUTH", _email_key, "auth-email")],
    "auth.login": [("RATELIMIT_AUTH", get_remote_address, "auth-ip"), ("RATELIMIT_AUTH", _email_key, "auth-email")],
    "auth.change_password": [("RATELIMIT_PASSWORD", _user_or_ip, "password")],
    "auth.delete_me": [("RATELIMIT_PASSWORD", _user_or_ip, "password")],
}
# Views marked by orbix.ai.limits.ai_call_limit (anything that may call the AI provider).
AI_LIMIT = ("RATELIMIT_AI", _user_or_ip, "ai")
LIMIT_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_AUTH", "RATELIMIT_PASSWORD", "RATELIMIT_AI")
EXEMPT_BLUEPRINTS = ("health", "swagger_assets", "metrics", "api-docs")


def init_rate_limits(app):
    """One Limiter per app (its storage and key prefix come from that app's config).

    Call after the blueprints are registered: limits are attached to their views here,
    so routes carry no limiter decorators and tests can build differently-limited apps.
    """
    for name in LIMIT_SETTINGS:
        try:
            parse_many(app.config[name])
        except ValueError as error:
            raise ConfigError(f"{name}={app.config[name]!r} is not a rate limit (e.g. '10/minute')") from error
    storage = app.config.get("RATELIMIT_STORAGE_URI")
    if not storage:
        raise ConfigError("RATELIMIT_STORAGE_URI must be set in production (e.g. redis://host:6379/0)")
    if storage.startswith("memory://") and app.config.get("PRODUCTION"):
        raise ConfigError("RATELIMIT_STORAGE_URI=memory:// is per-process; use Redis in production")
    limiter = Limiter(
        key_func=_user_or_ip,
        app=app,
        storage_uri=storage,
        storage_options=client_options(app.config) if is_redis(storage) else {},
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "orbix"),
        default_limits=[app.config["RATELIMIT_DEFAULT"]],
        on_breach=_on_breach,
        # X-RateLimit-* headers would cost an extra Redis round trip on every response;
        # a refusal still carries Retry-After (see _on_breach).
        headers_enabled=False,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        in_memory_fallback=[app.config["RATELIMIT_DEFAULT"]],
    )
    for endpoint, rules in ROUTE_LIMITS.items():
        view = app.view_functions[endpoint]
        for config_name, key_func, scope in rules:
            view = limiter.shared_limit(app.config[config_name], scope=scope, key_func=key_func)(view)
        app.view_functions[endpoint] = view
    config_name, key_func, scope = AI_LIMIT
    for endpoint, view in list(app.view_functions.items()):
        if getattr(view, "ai_rate_limited", False):
            app.view_functions[endpoint] = limiter.shared_limit(
                app.config[config_name], scope=scope, key_func=key_func
            )(view)
    for name in EXEMPT_BLUEPRINTS:
        if name in app.blueprints:
            limiter.exempt(app.blueprints[name])
    # Flask-Limiter keeps only a weak reference to itself on the app.
    app.extensions["orbix_limiter"] = limiter
    return limiter

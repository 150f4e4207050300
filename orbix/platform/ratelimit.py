"""Rate limits, shared by every worker and instance through Redis, in one round trip per request.

Why our own limiter: flask-limiter made one Redis call per limit and the session check
(``auth.sessions``) another for the caller's session epoch, and its per-request bookkeeping
was the largest piece of an authenticated read's Python time (~0.7 ms, bench/README.md). Here
one Lua script (EVALSHA over a connection per thread, ``platform.redis_script``; loaded again
after a Redis restart) increments the request's counters, reads (or creates) the caller's
session epoch and reads or, for a write, replaces the caller's data version
(``platform.write_tracking``) together; the session cache and the report cache then use what it
brought instead of asking again. Probes and docs (``EXEMPT_BLUEPRINTS``) and unmatched paths
touch no Redis at all. The keys are those flask-limiter used
(``LIMITER/<prefix>/<key>/<scope>/<amount>/<multiples>/<granularity>``), so counters carry over a
deploy, and so is the arithmetic: fixed windows (a counter per key that expires with its window),
limits evaluated in order and stopping at the first breach, 429 in the house shape with
``Retry-After`` (seconds left in the window). All keys of a request sit on one Redis; a Redis
Cluster would need hash tags.

Personal access tokens are counted like sessions, under their user's key (the same budgets).

The per-user key needs the caller before the round trip, but a full check of the token
(revocation, the account) needs the epoch the round trip brings. So the script counts under the
token's *signed* subject (signature and expiry checked, cached per worker), then the caller is
verified with the epoch; when the token turns out not to be a valid caller's (revoked, account
gone, old token version), a second round trip takes those counts back and counts under the
client's IP instead, as before. Only such bad tokens pay for two trips.

``RATELIMIT_STORAGE_URI`` names the storage (``redis://...`` in production and in the test
suite, which starts a real redis-server). ``memory://`` is refused outside tests, because
per-process counters would multiply the limit by the number of workers.

Limits are read from each app's config when the app is built; a malformed one stops the start-up:
- ``RATELIMIT_AUTH`` for login and register, counted per client IP *and* per email;
- ``RATELIMIT_PASSWORD`` for password changes and account deletion, per user;
- ``RATELIMIT_AI`` for AI endpoints, per user, one budget across them;
- ``RATELIMIT_DEFAULT`` every other endpoint, per user (per IP when anonymous) and per endpoint.
Routes with their own limits are not also counted under the default one.

When Redis cannot answer within ``REDIS_TIMEOUT_SECONDS`` the limiter fails open and logs it:
for ``REDIS_RETRY_SECONDS`` (``platform.redis_client.RedisGate``) it counts only
``RATELIMIT_DEFAULT``, in memory and per worker, then asks Redis again. Route limits (login, AI)
lapse for that time; refusing every request instead would turn a cache outage into an API outage.
"""

import time
from dataclasses import dataclass

from flask import current_app, request
from flask_jwt_extended import decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import PyJWTError
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from ..auth.verified_tokens import BEARER, known_claims
from ..config import ConfigError
from .caller import caller_id, personal_token, personal_token_owner
from .errors import error_response
from .redis_client import EPOCH_TTL_SECONDS, PREFETCH_KEY, init_redis
from .redis_client import EXTENSION as REDIS
from .redis_script import ThreadScript
from .request_ids import request_ids
from .write_tracking import DATA_VERSION_KEY, WRITE_METHODS, data_version_key, shared_version_key

EXTENSION = "orbix_limiter"

# KEYS: the counters, then (when ARGV[2n+2] is a candidate epoch) the caller's session epoch,
# data version and the shared part of every data version. ARGV: n, then (amount, window seconds)
# per counter, then the candidate epoch, the TTL of both, a fresh data version and whether it
# replaces the current one ('bump': marked in flight, see ``platform.write_tracking``) or only
# stands in for a missing one. Returns {index of the breached counter or 0, its milliseconds
# left, the epoch or nil, "<data version>/<shared part>" or nil}.
SCRIPT = """
local n = tonumber(ARGV[1])
local breached, wait = 0, 0
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2 * i + 1]) end
  if count > tonumber(ARGV[2 * i]) then
    breached, wait = i, redis.call('PTTL', KEYS[i])
    break
  end
end
if ARGV[2 * n + 2] == '' then return {breached, wait, false, false} end
local ttl = ARGV[2 * n + 3]
local epoch = redis.call('GET', KEYS[n + 1])
if not epoch then
  epoch = ARGV[2 * n + 2]
  redis.call('SET', KEYS[n + 1], epoch, 'EX', ttl)
end
local version = ARGV[2 * n + 4]
if ARGV[2 * n + 5] == 'bump' then
  version = 'w' .. version
  redis.call('SET', KEYS[n + 2], version, 'EX', ttl)
else
  local current = redis.call('GET', KEYS[n + 2])
  if current then version = current else redis.call('SET', KEYS[n + 2], version, 'EX', ttl) end
end
local shared = redis.call('GET', KEYS[n + 3])
if not shared then
  shared = ARGV[2 * n + 4]
  redis.call('SET', KEYS[n + 3], shared)
end
return {breached, wait, epoch, version .. '/' .. shared}
"""

CALLER, IP, EMAIL = "caller", "ip", "email"
# Endpoint -> limits instead of the default, as (config name, key kind, scope) triples.
ROUTE_LIMITS = {
    "auth.register": [("RATELIMIT_AUTH", IP, "auth-ip"), ("RATELIMIT_AUTH", EMAIL, "auth-email")],
    "auth.login": [("RATELIMIT_AUTH", IP, "auth-ip"), ("RATELIMIT_AUTH", EMAIL, "auth-email")],
    "auth.change_password": [("RATELIMIT_PASSWORD", CALLER, "password")],
    "auth.delete_me": [("RATELIMIT_PASSWORD", CALLER, "password")],
}
# Views marked by orbix.ai.limits.ai_call_limit (anything that may call the AI provider).
AI_LIMIT = ("RATELIMIT_AI", CALLER, "ai")
LIMIT_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_AUTH", "RATELIMIT_PASSWORD", "RATELIMIT_AI")
EXEMPT_BLUEPRINTS = ("health", "swagger_assets", "metrics", "api-docs")


@dataclass(frozen=True)
class Rule:
    item: object  # a limits.RateLimitItem
    key: str  # CALLER, IP or EMAIL
    scope: str


def _remote_address():
    return request.remote_addr or "127.0.0.1"


def _email_key():
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    if isinstance(email, str) and 0 < len(email.strip()) <= 254:  # no megabyte keys in Redis
        return f"email:{email.strip().lower()}"
    return f"ip:{_remote_address()}"


def _key(rule, subject):
    if rule.key == CALLER:
        return f"user:{subject}" if subject else f"ip:{_remote_address()}"
    return _email_key() if rule.key == EMAIL else _remote_address()


def _signed_subject(environ):
    """The subject of the request's access token if its signature and expiry check out
    (revocation and the account are checked later, by ``caller_id``), else None. A personal
    access token's subject is the user it was issued to (known to the worker after first use)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith(BEARER):
        return None
    if personal_token(environ) is not None:
        return personal_token_owner()
    encoded = header[len(BEARER):].strip()
    claims = known_claims(current_app._get_current_object(), encoded)  # verified here before: most requests
    if claims is None:
        try:
            claims = decode_token(encoded)
        except (JWTExtendedException, PyJWTError, ValueError, KeyError):
            return None
    return str(claims["sub"]) if claims.get("type") == "access" and claims.get("sub") else None


def _too_many(item, seconds_left):
    retry_after = max(1, int(seconds_left))
    return error_response(
        429,
        f"Too many requests: limit is {item}; retry in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


class RateLimiter:
    def __init__(self, app, gate):
        self.gate = gate
        self.prefix = app.config.get("RATELIMIT_KEY_PREFIX", "orbix")
        self.enabled = app.config.get("RATELIMIT_ENABLED", True)
        self.rules = self._rules(app)
        self.script = ThreadScript(gate.client, SCRIPT) if gate else None
        self.default = tuple(Rule(item, CALLER, "") for item in parse_many(app.config["RATELIMIT_DEFAULT"]))
        # Counts while Redis is away (or with memory:// storage): this worker only.
        self.memory = FixedWindowRateLimiter(MemoryStorage())

    def _rules(self, app):
        """Endpoint -> its Rules, worked out once; exempt endpoints have none."""
        limits = {name: parse_many(app.config[name]) for name in LIMIT_SETTINGS}
        exempt = {app.blueprints[name] for name in EXEMPT_BLUEPRINTS if name in app.blueprints}
        rules = {}
        for rule in app.url_map.iter_rules():
            endpoint = rule.endpoint
            blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
            if blueprint in exempt or endpoint.split(".")[-1] == "static":
                continue
            triples = ROUTE_LIMITS.get(endpoint)
            if triples is None and getattr(app.view_functions.get(endpoint), "ai_rate_limited", False):
                triples = [AI_LIMIT]
            if triples is None:
                triples = [("RATELIMIT_DEFAULT", CALLER, endpoint)]
            rules[endpoint] = tuple(Rule(item, key, scope) for name, key, scope in triples for item in limits[name])
        return rules

    def check(self):
        """Before every request: None to go on, or the 429 response."""
        current = request._get_current_object()  # one context lookup, not one per attribute
        rules = self.rules.get(current.endpoint or "")
        if not rules or not self.enabled:
            return None
        if self.gate is None:
            return self._check_in_memory(rules)
        if not self.gate.available():
            return self._check_in_memory(self.default)
        environ = current.environ
        subject = _signed_subject(environ)
        counted = self._count(rules, subject, environ, fetch_epoch=subject is not None)
        if counted is None:
            return self._check_in_memory(self.default)
        if subject is not None and caller_id(environ) != subject and any(rule.key == CALLER for rule in rules):
            counted = self._recount(rules, subject, counted, environ)
            if counted is None:
                return self._check_in_memory(self.default)
        breached, milliseconds = counted
        return _too_many(rules[breached - 1].item, milliseconds / 1000) if breached else None

    def _count(self, rules, subject, environ, fetch_epoch=False, refund=None):
        """One round trip: hit the counters (taking back ``refund``'s first), fetch the epoch;
        (breached index, ms left) or None when Redis is away."""
        keys = [rule.item.key_for(self.prefix, _key(rule, subject), rule.scope) for rule in rules]
        args = [len(rules)]
        for rule in rules:
            args += [rule.item.amount, rule.item.get_expiry()]
        bump = environ["REQUEST_METHOD"] in WRITE_METHODS
        if fetch_epoch:
            keys += [f"{self.prefix}:session-epoch:{subject}", data_version_key(self.prefix, subject),
                     shared_version_key(self.prefix)]
            # Candidates for a missing epoch and a new data version: unique is all they need
            # (nothing outside Redis sees them), so a per-worker prefix and a counter, not
            # two calls for system randomness on every request.
            fresh = request_ids.new()
            args += [fresh, EPOCH_TTL_SECONDS, fresh, "bump" if bump else "get"]
        else:
            args += ["", 0, "", ""]

        def run(client):
            if not refund:
                return self.script(keys, args)
            pipe = client.pipeline(transaction=False)
            for key in refund:
                pipe.decr(key)
            self.script.script(keys=keys, args=args, client=pipe)
            return pipe.execute()[-1]

        result = self.gate.call("rate limits counted in memory per worker, session cache bypassed", run)
        if result is None:
            return None
        breached, milliseconds, epoch, version = result
        if epoch is not None:
            environ[PREFETCH_KEY] = (subject, epoch)
            environ[DATA_VERSION_KEY] = (subject, version, bump)
        return int(breached), int(milliseconds)

    def _recount(self, rules, subject, counted, environ):
        """The token is not a valid caller's: take back its subject's counts, count under the IP."""
        breached = counted[0] or len(rules)
        refund = [rule.item.key_for(self.prefix, _key(rule, subject), rule.scope)
                  for rule in rules[:breached] if rule.key == CALLER]
        return self._count(rules, None, environ, refund=refund)

    def _check_in_memory(self, rules):
        """Counting in this worker: every rule with ``memory://`` storage, the default while
        Redis is away (``self.default``, counted per endpoint)."""
        for rule in rules:
            identifiers = (self.prefix, _key(rule, caller_id()), rule.scope or request.endpoint)
            if not self.memory.hit(rule.item, *identifiers):
                reset_at, _remaining = self.memory.get_window_stats(rule.item, *identifiers)
                return _too_many(rule.item, reset_at - time.time())
        return None


def init_rate_limits(app):
    """One limiter per app (its storage and key prefix come from that app's config).

    Call after the blueprints are registered: the limits of each endpoint are worked out here,
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
    gate = app.extensions[REDIS] if REDIS in app.extensions else init_redis(app)
    limiter = RateLimiter(app, gate)
    app.extensions[EXTENSION] = limiter
    app.before_request(limiter.check)
    return limiter

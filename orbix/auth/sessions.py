"""Per-worker memory of verified sessions, so an authenticated request does not read
``revoked_tokens`` and ``users`` on every call (two round trips, ~1 ms each on FerretDB).

Correctness rests on a per-user *epoch* kept in the shared Redis (the rate limiter's storage):
every change that can invalidate a session or alter the user document (logout, password
change, profile and settings, account deletion, revoking a personal access token) writes
MongoDB first and then replaces that user's epoch with a new random value (:func:`invalidate`).
Personal access tokens (``access_tokens.credentials``) are kept in the same entries. A worker
trusts its cached answer only while the epoch it cached under is still the current one, so a
revocation takes effect on the very next request in every worker and instance, for the price of
one Redis read, which the rate limiter's round trip (``platform.ratelimit``) makes for it along
with its counters.

Races: a miss reads the epoch *before* reading MongoDB and files what it read under that epoch;
a write that lands in between replaces the epoch after its own database write, so the entry is
stale on its next use. Epochs are random, never counters, so a Redis restart or an expired key
can only produce a value no worker has cached. If Redis cannot be read the cache is bypassed
(every request reads MongoDB, as without it): a call gives up after ``REDIS_TIMEOUT_SECONDS``
(``platform.redis_client``), and after a failure the worker leaves Redis alone for
``REDIS_RETRY_SECONDS``, so a hung Redis costs one request per pause that timeout, not every
request. Entries also expire after ``SESSION_CACHE_SECONDS`` as a backstop for writes made
outside the API (scripts, a Redis outage at the moment of a logout).
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

import redis
from bson import ObjectId
from bson.errors import InvalidId
from flask import current_app, has_request_context, request

from ..common.lru import LruCache
from ..db import collection
from ..platform.redis_client import EPOCH_TTL_SECONDS, PREFETCH_KEY, init_redis
from . import REVOKED_TOKENS
from . import USERS as USERS_COLLECTION

USERS = USERS_COLLECTION
REVOKED = REVOKED_TOKENS
SESSION_PREFIX = "sid:"  # a revoked_tokens id revoking every token of a login session
EXTENSION = "orbix_sessions"
MAX_JTIS_PER_USER = 64

log = logging.getLogger(__name__)


class RedisEpochs:
    """Epochs in Redis, shared by every worker and instance (through the app's ``RedisGate``)."""

    def __init__(self, gate):
        self._gate = gate
        self._prefix = f"{gate.prefix}:session-epoch:"

    def current(self, user_id):
        """The user's epoch, created when missing; None if Redis cannot answer (or failed
        less than ``REDIS_RETRY_SECONDS`` ago). The rate limiter's round trip usually
        fetched it already for this request."""
        if has_request_context():
            fetched = request._get_current_object().environ.get(PREFETCH_KEY)
            if fetched is not None and fetched[0] == user_id:
                return fetched[1]
        key = self._prefix + user_id

        def read(client):
            value = client.get(key)
            if value is None:
                client.set(key, secrets.token_hex(8), nx=True, ex=EPOCH_TTL_SECONDS)
                value = client.get(key)
            return value

        return self._gate.call("session cache bypassed, sessions read from MongoDB", read)

    def replace(self, user_id):
        """A new epoch; tried twice, since a lost replacement leaves other workers trusting
        their cached session until it expires."""
        for attempt in range(2):
            try:
                self._gate.client.set(self._prefix + user_id, secrets.token_hex(8), ex=EPOCH_TTL_SECONDS)
                return
            except redis.RedisError:
                if attempt:
                    log.error("session epoch not replaced for user %s: other workers may trust a "
                              "cached session for up to SESSION_CACHE_SECONDS", user_id)


class LocalEpochs:
    """Epochs in this process only: correct for a single process (``memory://`` storage,
    allowed only outside production)."""

    def __init__(self):
        self._epochs = {}
        self._lock = threading.Lock()

    def current(self, user_id):
        with self._lock:
            return self._epochs.setdefault(user_id, secrets.token_hex(8))

    def replace(self, user_id):
        with self._lock:
            self._epochs[user_id] = secrets.token_hex(8)


@dataclass
class _Entry:
    epoch: object
    user: dict | None
    loaded_at: float
    good_jtis: set = field(default_factory=set)
    credentials: dict = field(default_factory=dict)  # other credentials (personal access tokens) by key


@dataclass(frozen=True)
class Session:
    revoked: bool
    user: dict | None


class SessionCache:
    def __init__(self, epochs, max_users, max_age):
        self.epochs = epochs
        self._entries = LruCache(max_users)
        self._max_age = max_age

    def _current(self, user_id):
        """(the user's epoch or None, the entry filed under it if still fresh, else None)."""
        epoch = self.epochs.current(user_id) if self.epochs else None
        entry = self._entries.get(user_id)
        if epoch is not None and entry and entry.epoch == epoch and time.monotonic() - entry.loaded_at < self._max_age:
            return epoch, entry
        return epoch, None

    def resolve(self, payload):
        """Whether the token is revoked, and its user document (None if gone)."""
        user_id, jti = str(payload.get("sub")), payload.get("jti")
        epoch, entry = self._current(user_id)
        if entry:
            if jti in entry.good_jtis:
                return Session(False, _copy(entry.user))
            revoked = _is_revoked(payload)
            if not revoked and len(entry.good_jtis) < MAX_JTIS_PER_USER:
                entry.good_jtis.add(jti)
            return Session(revoked, _copy(entry.user))
        revoked, user = _is_revoked(payload), _load_user(user_id)
        if epoch is not None:
            self._entries.put(user_id, _Entry(epoch, user, time.monotonic(), set() if revoked else {jti}))
        return Session(revoked, _copy(user))

    def resolve_credential(self, user_id, key, load):
        """A credential other than a JWT (a personal access token's record, read by ``load()``,
        None when missing) and its user's document, both kept while the user's epoch stands:
        revoking such a credential replaces the epoch (``invalidate``), as a logout does."""
        epoch, entry = self._current(user_id)
        if entry:
            credential = entry.credentials.get(key)
            if credential is None:
                credential = load()
                if credential is not None and len(entry.credentials) < MAX_JTIS_PER_USER:
                    entry.credentials[key] = credential
            return credential, _copy(entry.user)
        credential, user = load(), _load_user(user_id)
        if epoch is not None:
            kept = {key: credential} if credential is not None else {}
            self._entries.put(user_id, _Entry(epoch, user, time.monotonic(), credentials=kept))
        return credential, _copy(user)


def _copy(user):
    """A copy handlers may adjust: the cached document must stay as read. Only ``settings``
    nests (plain values inside), so one level more than a shallow copy is enough."""
    if user is None:
        return None
    return {**user, "settings": dict(user.get("settings") or {})}


def _is_revoked(payload):
    """Whether the token, or its login session (``auth.tokens``), was revoked: primary-key reads."""
    ids = [payload.get("jti")]
    if payload.get("sid"):
        ids.append(SESSION_PREFIX + payload["sid"])
    return any(collection(REVOKED).find_one({"_id": revocation_id}, {"_id": 1}) is not None for revocation_id in ids)


def _load_user(user_id):
    try:
        oid = ObjectId(user_id)
    except (InvalidId, TypeError):
        return None
    return collection(USERS).find_one({"_id": oid}, {"password_hash": 0})


def init_sessions(app):
    """Pick the epoch store from the rate-limit storage; no cache when it is neither."""
    storage = app.config.get("RATELIMIT_STORAGE_URI") or ""
    gate = init_redis(app)
    if gate is not None:
        epochs = RedisEpochs(gate)
    elif storage.startswith("memory://"):
        epochs = LocalEpochs()
    else:
        epochs = None
    max_age = app.config.get("SESSION_CACHE_SECONDS", 60)
    users = app.config.get("SESSION_CACHE_USERS", 10000)
    app.extensions[EXTENSION] = SessionCache(epochs if max_age > 0 else None, users, max_age)


def resolve(payload):
    return current_app._get_current_object().extensions[EXTENSION].resolve(payload)


def resolve_credential(user_id, key, load):
    return current_app.extensions[EXTENSION].resolve_credential(str(user_id), key, load)


def invalidate(user_id):
    """Call after any write that revokes a token or changes the user document."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is not None and cache.epochs is not None:
        cache.epochs.replace(str(user_id))

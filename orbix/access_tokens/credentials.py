"""Checking a presented personal access token, on every request that carries one.

The token's record is read by primary key (its SHA-256) and kept with the user's document in
the per-worker session cache (``auth.sessions``) while the user's session epoch stands. Revoking
a token replaces that epoch, as a logout does, so every worker and instance refuses the token on
its next request; expiry is checked on every request against the kept record.

The user a token belongs to never changes, so each worker remembers it (:func:`owner_of`): the
rate limiter needs the user before its one Redis round trip, which brings the epoch the check
then uses. Knowing the owner first also keeps the cache's rule (epoch read before the record).

``last_used_at`` is written at most once a minute per token: each worker remembers when it last
wrote it, and the write only applies when the stored value is a minute old, so a busy token
costs one write a minute, not one per request.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from pymongo.errors import PyMongoError

from ..auth import sessions
from ..common.exceptions import NotAuthenticated
from ..common.lru import LruCache
from ..common.timeutil import utcnow
from ..db import collection
from . import ACCESS_TOKENS, secret

EXTENSION = "orbix_access_tokens"
MAX_TOKENS = 10_000  # per worker, for each of the two maps below
TOUCH_EVERY = timedelta(minutes=1)

log = logging.getLogger(__name__)


class _WorkerMemory:
    def __init__(self):
        self.owners = LruCache(MAX_TOKENS)  # token hash -> its user's id (never changes)
        self.touched = LruCache(MAX_TOKENS)  # token hash -> when this worker last wrote last_used_at


def init_credentials(app):
    app.extensions[EXTENSION] = _WorkerMemory()


@dataclass(frozen=True)
class Credential:
    """A verified personal access token: its record (scopes, expiry) and its user."""

    token: dict
    user: dict


def _refused(message):
    return NotAuthenticated(message, headers={"WWW-Authenticate": "Bearer"})


def owner_of(token):
    """The id (a string) of the user ``token`` was issued to, or None when no such token was
    ever issued. Revocation and expiry are checked by :func:`authenticate`."""
    if not secret.well_formed(token):
        return None
    digest = secret.digest(token)
    memory = current_app.extensions[EXTENSION]
    owner = memory.owners.get(digest)
    if owner is None:
        record = collection(ACCESS_TOKENS).find_one({"_id": digest}, {"user_id": 1})
        if record is None:
            return None
        owner = str(record["user_id"])
        memory.owners.put(digest, owner)
    return owner


def authenticate(token):
    """The Credential of a usable token; NotAuthenticated (401) saying what is wrong otherwise."""
    owner = owner_of(token)
    if owner is None:
        raise _refused("Invalid token: no such personal access token")
    digest = secret.digest(token)
    record, user = sessions.resolve_credential(
        owner, digest, lambda: collection(ACCESS_TOKENS).find_one({"_id": digest})
    )
    if record is None or record.get("revoked_at") is not None:
        raise _refused("Token has been revoked")
    now = utcnow()
    if record["expires_at"] <= now:
        raise _refused("Token has expired")
    if user is None:
        raise _refused("Token is no longer valid: the account was changed or removed")
    _touch(digest, now)
    return Credential(record, user)


def _touch(digest, now):
    """Record the use, at most once a minute (per worker, and in the database for all)."""
    memory = current_app.extensions[EXTENSION]
    last = memory.touched.get(digest)
    if last is not None and now - last < TOUCH_EVERY:
        return
    memory.touched.put(digest, now)
    stale = {"$or": [{"last_used_at": None}, {"last_used_at": {"$lt": now - TOUCH_EVERY}}]}
    try:
        collection(ACCESS_TOKENS).update_one({"_id": digest, **stale}, {"$set": {"last_used_at": now}})
    except PyMongoError as error:  # bookkeeping: the request itself goes on
        log.warning("last_used_at of a personal access token not recorded: %s", error.__class__.__name__)

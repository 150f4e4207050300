"""Per-user data versions: how the report cache knows its copy is still current.

``data_versions`` holds one document per user, ``{_id: user_id, token}``. Any write
request by an authenticated user replaces that user's token with a fresh random one
(``$set``, never ``$inc``: FerretDB 1.24 does not apply ``$inc`` atomically under
concurrency, and a random token needs no read-modify-write). Reading a version is a
primary-key lookup, which FerretDB pushes down to SQLite, so checking freshness costs
one round trip (about a millisecond) however much data the user has.

Race-freedom without transactions: a cache build reads the token *before* it scans
and files the data under that token. A write that lands during the build bumps the
token after its own database write, so the next request sees a different token and
rebuilds; a build can never file post-write data as pre-write or vice versa.

Who bumps, and when: ``platform.write_tracking`` (around write requests and CLI commands; it
also keeps a second half of each version in Redis, replaced before a write's view runs).
"""

import secrets

from pymongo.errors import DuplicateKeyError

from ..db import collection

COLLECTION = "data_versions"


def new_token():
    return secrets.token_hex(12)


def bump(user_id):
    """Give ``user_id`` a fresh version (after its data changed).

    Two first-ever bumps racing to upsert can make one hit the unique ``_id``; the document
    exists then, so that one simply sets its token."""
    versions = collection(COLLECTION)
    try:
        versions.update_one({"_id": user_id}, {"$set": {"token": new_token()}}, upsert=True)
    except DuplicateKeyError:
        versions.update_one({"_id": user_id}, {"$set": {"token": new_token()}})


def bump_all():
    """Fresh versions for every user (after a command that may touch any account)."""
    collection(COLLECTION).update_many({}, {"$set": {"token": new_token()}})


def current(user_id):
    """The user's version token, created on first use (a unique ``_id`` settles races)."""
    versions = collection(COLLECTION)
    doc = versions.find_one({"_id": user_id})
    if doc is not None:
        return doc["token"]
    try:
        token = new_token()
        versions.insert_one({"_id": user_id, "token": token})
        return token
    except DuplicateKeyError:
        return versions.find_one({"_id": user_id})["token"]


# The Redis half of the version, read by a function the platform installs at start-up
# (``platform.write_tracking``: it bumps that half in the request's rate-limit round trip).
_fast_half = None


def use_fast_half(reader):
    """Install ``reader(user_id)``, the source of the version's Redis half."""
    global _fast_half
    _fast_half = reader


def version(user_id):
    """The user's whole data version, both halves, to be read BEFORE scanning the data."""
    return (_fast_half(user_id) if _fast_half else None, current(user_id))

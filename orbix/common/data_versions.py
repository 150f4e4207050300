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
also keeps a second half of each version in Redis, replaced before and after a write's view
runs). The Redis half has a part every user shares, replaced by :func:`bump_shared` after a
write no owner asked for (a client on a public page, a Stripe webhook, a background job): such
writers may not know whose data they touched, and they are rare next to reads.
"""

import secrets

from pymongo.errors import DuplicateKeyError

from ..db import collection

COLLECTION = "data_versions"


def new_token():
    return secrets.token_hex(12)


def bump(user_id):
    """Give ``user_id`` a fresh version, both halves (after its data changed)."""
    bump_stored(user_id)
    if _replace_fast_half:
        _replace_fast_half(user_id)


def bump_stored(user_id):
    """A fresh MongoDB half of ``user_id``'s version.

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
    bump_shared()


def bump_shared():
    """A fresh shared part of every user's Redis half (after a write by no owner: see above)."""
    if _replace_fast_half:
        _replace_fast_half(None)


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


# The Redis half of the version, read and replaced by functions the platform installs at
# start-up (``platform.write_tracking``: it bumps that half in the request's rate-limit round trip).
_fast_half = None
_replace_fast_half = None


def use_fast_half(reader, replacer):
    """Install ``reader(user_id)``, the source of the version's Redis half, and
    ``replacer(user_id)``, which gives it a fresh value (``None``: the part every user shares)."""
    global _fast_half, _replace_fast_half
    _fast_half, _replace_fast_half = reader, replacer


def version(user_id):
    """The user's whole data version, both halves, to be read BEFORE scanning the data."""
    return (_fast_half(user_id) if _fast_half else None, current(user_id))

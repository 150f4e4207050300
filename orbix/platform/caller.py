"""Who is calling: worked out once per request, in one place, for the views, rate limits,
idempotency, logs and write tracking.

A caller is the subject of a valid access token: signature and expiry checked, not revoked,
the account still there with the same token version (the JWT loaders in ``auth.tokens``).
Hooks that run before the view (rate limits, idempotency) verify the token here; the view's
``auth`` decorator then reuses that verification instead of repeating it (``verify``).

Checking a token reads the database (revocations, the user), unless the session is cached. If
the database cannot be reached, ``caller_id`` answers None (hooks go on as for an anonymous
caller, e.g. rate limits keyed by IP) and remembers the failure; ``verify`` raises it again at
once, so the view answers 503 after one database timeout, not two.
"""

from bson import ObjectId
from flask import request
from flask_jwt_extended import current_user, get_jwt, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import PyJWTError
from pymongo.errors import ConnectionFailure

# Per-request state lives in the WSGI environ, not in ``g``: an app context (and its ``g``)
# can outlive one request, e.g. when a test or a CLI command holds it around several.
ENVIRON_KEY = "orbix.caller_id"
OUTAGE_KEY = "orbix.caller_outage"


def remember_verified():
    """Record the token flask-jwt-extended just verified as this request's caller."""
    request.environ[ENVIRON_KEY] = get_jwt().get("sub")


def already_verified():
    """Whether an access token was verified for this request (by ``caller_id``)."""
    return bool(request.environ.get(ENVIRON_KEY))


def caller_id():
    """The caller's user id as a string, or None (no token, or one that is not valid)."""
    if ENVIRON_KEY in request.environ:
        return request.environ[ENVIRON_KEY]
    request.environ[ENVIRON_KEY] = None
    if not request.headers.get("Authorization"):  # tokens come only in this header: nothing to verify
        return None
    try:
        # None without a token, and for OPTIONS (flask-jwt-extended skips those unverified,
        # so there is no token data to read: reading it anyway made every OPTIONS a 500).
        verified = verify_jwt_in_request(optional=True)
    except (JWTExtendedException, PyJWTError):
        verified = None  # the view answers a bad token with 401
    except ConnectionFailure as error:
        verified = None
        request.environ[OUTAGE_KEY] = error  # the view answers 503 (see verify)
    if verified:
        request.environ[ENVIRON_KEY] = verified[1].get("sub")
    return request.environ[ENVIRON_KEY]


def verify(refresh=False):
    """The view's token check: reuses what ``caller_id`` found, a database outage included."""
    outage = request.environ.get(OUTAGE_KEY)
    if outage is not None:
        raise outage
    if refresh or not already_verified():
        verify_jwt_in_request(refresh=refresh)
        remember_verified()


def current_user_id():
    """The authenticated caller's id, for views behind ``auth``."""
    return ObjectId(get_jwt()["sub"])


def current_user_doc():
    """The caller's user document (loaded once per request by the JWT user loader)."""
    return current_user

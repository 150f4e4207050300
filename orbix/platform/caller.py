"""Who is calling: worked out once per request, in one place, for the views, rate limits,
idempotency, logs and write tracking.

A caller is the subject of a valid access token: signature and expiry checked, not revoked,
the account still there with the same token version (the JWT loaders in ``auth.tokens``).
Hooks that run before the view (rate limits, idempotency) verify the token here; the view's
``auth`` decorator then reuses that verification instead of repeating it (``verify``).

A Bearer value starting with ``orbix_pat_`` is a personal access token (``access_tokens``):
checked here the same way, it sets the same caller, so every endpoint works with either; the
``auth`` decorator then checks the token's scopes against the view's family (``require_scope``).

Checking a token reads the database (revocations, the user), unless the session is cached. If
the database cannot be reached, ``caller_id`` answers None (hooks go on as for an anonymous
caller, e.g. rate limits keyed by IP) and remembers the failure; ``verify`` raises it again at
once, so the view answers 503 after one database timeout, not two.
"""

from bson import ObjectId
from flask import current_app, request
from flask_jwt_extended import current_user, get_jwt, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import PyJWTError
from pymongo.errors import ConnectionFailure

from ..access_tokens import credentials
from ..access_tokens.scopes import refusal
from ..access_tokens.secret import is_personal
from ..auth.verified_tokens import BEARER, verify_known_access_token
from ..common.exceptions import NotAuthenticated

# Per-request state lives in the WSGI environ, not in ``g``: an app context (and its ``g``)
# can outlive one request, e.g. when a test or a CLI command holds it around several.
ENVIRON_KEY = "orbix.caller_id"
OUTAGE_KEY = "orbix.caller_outage"
TOKEN_KEY = "orbix.access_token"  # the verified personal access token (a Credential)
REFUSED_KEY = "orbix.access_token_refused"  # why the presented personal access token is refused (401)
FAMILY_ATTRIBUTE = "token_family"  # on views behind ``auth``: their scope family (None: sessions only)
PUBLIC = object()  # the family of a view without ``auth``


def remember_verified():
    """Record the token flask-jwt-extended just verified as this request's caller."""
    request.environ[ENVIRON_KEY] = get_jwt().get("sub")


def already_verified(environ):
    """Whether an access token was verified for this request (by ``caller_id``)."""
    return bool(environ.get(ENVIRON_KEY))


def caller_id(environ=None):
    """The caller's user id as a string, or None (no token, or one that is not valid).
    ``environ`` is the request's, for a hook that has it at hand."""
    environ = request._get_current_object().environ if environ is None else environ
    if ENVIRON_KEY in environ:
        return environ[ENVIRON_KEY]
    environ[ENVIRON_KEY] = None
    if not environ.get("HTTP_AUTHORIZATION"):  # tokens come only in this header: nothing to verify
        return None
    token = personal_token(environ)
    if token is not None:
        _check_personal_token(token)
        return environ[ENVIRON_KEY]
    try:
        # None without a token, and for OPTIONS (flask-jwt-extended skips those unverified,
        # so there is no token data to read: reading it anyway made every OPTIONS a 500).
        verified = (verify_known_access_token(current_app._get_current_object(), environ)
                    or verify_jwt_in_request(optional=True))
    except (JWTExtendedException, PyJWTError):
        verified = None  # the view answers a bad token with 401
    except ConnectionFailure as error:
        verified = None
        environ[OUTAGE_KEY] = error  # the view answers 503 (see verify)
    if verified:
        environ[ENVIRON_KEY] = verified[1].get("sub")
    return environ[ENVIRON_KEY]


def personal_token(environ=None):
    """The Bearer value when it is a personal access token, else None."""
    environ = request._get_current_object().environ if environ is None else environ
    header = environ.get("HTTP_AUTHORIZATION", "")  # request.headers.get, without its wrapper
    if header.startswith(BEARER):
        token = header[len(BEARER):].strip()
        if is_personal(token):
            return token
    return None


def personal_token_owner():
    """The user the presented personal access token was issued to, before it is fully checked
    (the rate limiter's key); None when there is no such token or the database is away."""
    try:
        return credentials.owner_of(personal_token())
    except ConnectionFailure as error:
        request.environ[ENVIRON_KEY] = None  # caller_id does not try again: the view answers 503
        request.environ[OUTAGE_KEY] = error
        return None


def _check_personal_token(token):
    try:
        credential = credentials.authenticate(token)
    except NotAuthenticated as refused:
        request.environ[REFUSED_KEY] = refused
    except ConnectionFailure as error:
        request.environ[OUTAGE_KEY] = error
    else:
        request.environ[TOKEN_KEY] = credential
        request.environ[ENVIRON_KEY] = str(credential.user["_id"])


def verify(refresh=False):
    """The view's token check: reuses what ``caller_id`` found, a database outage included."""
    environ = request._get_current_object().environ
    personal = personal_token(environ) is not None
    if personal:
        caller_id(environ)
    outage = environ.get(OUTAGE_KEY)
    if outage is not None:
        raise outage
    if personal:
        if REFUSED_KEY in environ:
            raise environ[REFUSED_KEY]
        return
    if refresh or not already_verified(environ):
        verify_jwt_in_request(refresh=refresh)
        remember_verified()


def scope_refusal(family):
    """Why the caller's personal access token may not call a view of ``family`` (None: login
    sessions only), as the error to raise; None when it may, or when the caller is a session."""
    current = request._get_current_object()
    credential = current.environ.get(TOKEN_KEY)
    return None if credential is None else refusal(credential.token["scopes"], family, current.method)


def require_scope(family):
    refused = scope_refusal(family)
    if refused is not None:
        raise refused


def view_refusal():
    """``scope_refusal`` for the view the request is routed to (None for views without ``auth``),
    for hooks that act before the view (an idempotent replay)."""
    family = getattr(current_app.view_functions.get(request.endpoint), FAMILY_ATTRIBUTE, PUBLIC)
    return None if family is PUBLIC else scope_refusal(family)


def current_user_id():
    """The authenticated caller's id, for views behind ``auth``."""
    credential = request.environ.get(TOKEN_KEY)
    return credential.user["_id"] if credential else ObjectId(get_jwt()["sub"])


def current_user_doc():
    """The caller's user document (loaded once per request by the JWT user loader, or with the
    personal access token; a copy the view may change). The dict itself, not flask-jwt-extended's
    ``current_user`` proxy: every read through that costs ~3 us, and pricing a list of time
    entries read the user's defaults through it twice per entry (~20 ms for 1,000 entries)."""
    credential = request._get_current_object().environ.get(TOKEN_KEY)
    return credential.user if credential else current_user._get_current_object()

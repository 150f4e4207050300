"""JWTManager that verifies each distinct token once per worker, not on every request.

flask-jwt-extended decodes a token three times per verification (claims, header, then the
signed decode), and PyJWT checks every base64 character in Python: about 0.6 ms a request,
twice (the rate limiter's per-user key and the view's own check). A token string that verified
once verifies again until it expires: the signature and claims cannot change, and expiry is the
only check that depends on the clock (``iat``/``nbf`` only get more valid with time). So the
verified claims are kept by token string and reused while ``exp`` is in the future; anything
else (expired, CSRF, ``allow_expired``) takes flask-jwt-extended's own path and its errors.
Revocation is a separate check (the blocklist loader), unaffected by this cache.

flask-jwt-extended then parses the token's header once more on every request (for
``get_jwt_header``), after the token decoded: the same base64 check in Python, ~9% of a cached
read's time. A token string's header never changes, so that parse is kept per worker too, by
replacing the function its view decorators call with a memo of the same function.

Even with both kept, ``verify_jwt_in_request`` cost ~30 us of CPU on every authenticated
request (a sixth of a cached read), most of it reading its settings through ``current_app`` a
dozen times and splitting the header with a regular expression. ``verify_known_access_token``
does what it does for the common case (a plain ``Bearer <token>`` header holding an access token
this worker verified before) in a few microseconds: the same loaders in the same order
(revocation, custom claims, the user), then the same request state, so ``get_jwt``,
``current_user`` and the ``jwt_required`` views read exactly what they would have. Anything else
(a first sight, an expired, revoked or refresh token, a header in another form) answers None,
and the caller takes flask-jwt-extended's own path with its own errors.
"""

import time

from flask import current_app, g
from flask_jwt_extended import JWTManager, view_decorators

from ..common.lru import LruCache

MAX_TOKENS = 4096  # per worker; ~1 KB each


_headers = LruCache(MAX_TOKENS)
EXTENSION = "orbix_verified_tokens"
BEARER = "Bearer "  # how every token comes: the Authorization header's scheme and a space


def _parse_header_once(parse):
    def unverified_header(encoded_token):
        header = _headers.get(encoded_token)
        if header is None:
            header = parse(encoded_token)
            _headers.put(encoded_token, header)
        return dict(header)

    unverified_header.parses_once = True
    return unverified_header


class CachingJWTManager(JWTManager):
    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        parse = view_decorators.get_unverified_jwt_headers  # a missing name fails here, loudly
        if not getattr(parse, "parses_once", False):
            view_decorators.get_unverified_jwt_headers = _parse_header_once(parse)
        # Per app: apps with different secrets (tests) must never share verified tokens.
        app.extensions[EXTENSION] = LruCache(MAX_TOKENS)

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        app = current_app._get_current_object()
        if csrf_value is not None or allow_expired or EXTENSION not in app.extensions:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        claims = known_claims(app, encoded_token)
        if claims is None:
            claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
            app.extensions[EXTENSION].put(encoded_token, claims)
        return dict(claims)


def known_claims(app, encoded_token):
    """The claims of ``encoded_token`` if this worker verified it before and it has not expired
    since (the cached dict itself: callers must not change it), else None."""
    cache = app.extensions.get(EXTENSION)
    claims = cache.get(encoded_token) if cache is not None else None
    if claims is None or "exp" not in claims:
        return claims
    leeway = app.config.get("JWT_DECODE_LEEWAY", 0)
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else leeway
    return claims if claims["exp"] + leeway > time.time() else None


def verify_known_access_token(app, environ):
    """``verify_jwt_in_request()``'s result, (header, claims), for a request whose
    ``Authorization`` is ``Bearer <token>`` with an access token this worker verified before, when
    it is still valid; None in every other case (the caller then verifies the usual way)."""
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if not authorization.startswith(BEARER) or environ.get("REQUEST_METHOD") == "OPTIONS":
        return None
    encoded = authorization[len(BEARER):]  # only a token string verified as such is known
    claims = known_claims(app, encoded)
    header = _headers.get(encoded)
    if claims is None or header is None or claims.get("type") != "access":
        return None
    manager = app.extensions["flask-jwt-extended"]
    claims, header = dict(claims), dict(header)
    if (manager._token_in_blocklist_callback(header, claims)
            or not manager._token_verification_callback(header, claims)):
        return None
    lookup = manager._user_lookup_callback
    loaded = None
    if lookup is not None:
        loaded = {"loaded_user": lookup(header, claims)}
        if loaded["loaded_user"] is None:
            return None
    # What verify_jwt_in_request leaves for get_jwt, get_jwt_header and current_user.
    state = g._get_current_object()  # one context lookup, not one per attribute
    state._jwt_extended_jwt_user = loaded
    state._jwt_extended_jwt_header = header
    state._jwt_extended_jwt = claims
    state._jwt_extended_jwt_location = "headers"
    return header, claims

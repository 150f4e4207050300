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
"""

import time

from flask import current_app
from flask_jwt_extended import JWTManager, view_decorators

from ..common.lru import LruCache

MAX_TOKENS = 4096  # per worker; ~1 KB each


_headers = LruCache(MAX_TOKENS)


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
        app.extensions["orbix_verified_tokens"] = LruCache(MAX_TOKENS)

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        cache = current_app.extensions.get("orbix_verified_tokens")
        if cache is None or csrf_value is not None or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        claims = cache.get(encoded_token)
        leeway = current_app.config.get("JWT_DECODE_LEEWAY", 0)
        leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else leeway
        if claims is not None and ("exp" not in claims or claims["exp"] + leeway > time.time()):
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        cache.put(encoded_token, claims)
        return dict(claims)

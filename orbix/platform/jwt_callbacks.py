"""flask-jwt-extended's loaders: every token problem is a 401 in the house error shape, and
revocation and the user come from ``auth.sessions`` (usually the per-worker cache)."""

from flask import g

from ..auth import sessions
from .errors import error_response


def _unauthorized(message):
    return error_response(401, message, headers={"WWW-Authenticate": "Bearer"})


def register_jwt_callbacks(jwt):
    # Both loaders run on every authenticated request; sessions.resolve answers them together,
    # usually from the per-worker cache (see orbix.auth.sessions).
    @jwt.token_in_blocklist_loader
    def _is_revoked(_header, payload):
        session = sessions.resolve(payload)
        g._get_current_object().orbix_session = session  # g's own attribute: the proxy's costs ~0.6 us
        return session.revoked

    @jwt.user_lookup_loader
    def _load_user(_header, payload):
        session = g._get_current_object().pop("orbix_session", None) or sessions.resolve(payload)
        user = session.user
        if user is None or user.get("token_version", 0) != payload.get("ver", 0):
            return None
        return user

    @jwt.user_lookup_error_loader
    def _user_gone(_header, _payload):
        return _unauthorized("Token is no longer valid: the account was changed or removed")

    @jwt.unauthorized_loader
    def _missing(reason):
        return _unauthorized("Missing or malformed Authorization header: send 'Bearer <token>'")

    @jwt.invalid_token_loader
    def _invalid(reason):
        return _unauthorized(f"Invalid token: {reason}")

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return _unauthorized("Token has expired")

    @jwt.revoked_token_loader
    def _revoked(_header, _payload):
        return _unauthorized("Token has been revoked")

    @jwt.needs_fresh_token_loader
    def _needs_fresh(_header, _payload):
        return _unauthorized("A fresh login is required")

    @jwt.token_verification_failed_loader
    def _failed(_header, _payload):
        return _unauthorized("Token verification failed")

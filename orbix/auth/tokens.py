"""JWT issuing, revocation and the loaders that make every token problem a 401.

Revocation lives in MongoDB (``revoked_tokens``), so it survives restarts and is
shared by all workers. A password change bumps the user's ``token_version``;
tokens carrying an older version are refused.

A login is a session: the access and refresh tokens it issues share a random ``sid`` claim,
and so does every access token refreshed from that refresh token. Revoking a token revokes
its session as well (a record ``sid:<sid>``), so a logout ends the refresh token too, even
when the client sends only its access token. Tokens issued before sessions existed carry no
``sid`` and are revoked one by one, as they always were.
"""

import contextlib
import secrets
from datetime import datetime, timezone

from flask import current_app, g
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from pymongo.errors import DuplicateKeyError

from ..db import collection
from ..platform.errors import error_response
from . import sessions

USERS = sessions.USERS
REVOKED = sessions.REVOKED


def issue_tokens(user):
    """Access and refresh tokens for a user document: a new session."""
    claims = {"ver": user.get("token_version", 0), "sid": secrets.token_urlsafe(16)}
    identity = str(user["_id"])
    return (
        create_access_token(identity=identity, additional_claims=claims),
        create_refresh_token(identity=identity, additional_claims=claims),
    )


def refreshed_access_token(refresh_payload):
    """A new access token in the refresh token's session (same ``sid`` and token version)."""
    claims = {"ver": refresh_payload.get("ver", 0)}
    if refresh_payload.get("sid"):
        claims["sid"] = refresh_payload["sid"]
    return create_access_token(identity=refresh_payload["sub"], additional_claims=claims)


def revoke(payload):
    """Revoke a decoded token and its session, until any token of it would have expired anyway.

    Records past their expiry are purged here (FerretDB has no TTL indexes).
    """
    purge_expired()
    _record_revocation(payload["jti"], payload, datetime.fromtimestamp(payload["exp"], timezone.utc))
    if payload.get("sid"):
        # Other tokens of the session may have been issued later than this one (refreshes):
        # none outlives the longest token lifetime from now.
        config = current_app.config
        longest = max(config["JWT_ACCESS_TOKEN_EXPIRES"], config["JWT_REFRESH_TOKEN_EXPIRES"])
        _record_revocation(sessions.SESSION_PREFIX + payload["sid"], {**payload, "type": "session"},
                           datetime.now(timezone.utc) + longest)
    sessions.invalidate(payload["sub"])


def _record_revocation(revocation_id, payload, expires):
    # A concurrent logout with the same token may have inserted the record first.
    with contextlib.suppress(DuplicateKeyError):
        collection(REVOKED).update_one(
            {"_id": revocation_id},
            {"$setOnInsert": {"user_id": payload["sub"], "type": payload.get("type"), "expires_at": expires}},
            upsert=True,
        )


def purge_expired():
    """Drop revocations of tokens that have expired anyway; returns how many."""
    return collection(REVOKED).delete_many({"expires_at": {"$lt": datetime.now(timezone.utc)}}).deleted_count


def decode_for_user(encoded, user_id, expected_type="refresh"):
    """Decode a token the caller presents in a body; None unless valid and the caller's own."""
    try:
        payload = decode_token(encoded)
    except Exception:  # noqa: BLE001 - any decode failure just means "not a usable token"
        return None
    if payload.get("sub") != user_id or payload.get("type") != expected_type:
        return None
    return payload


def _unauthorized(message):
    return error_response(401, message, headers={"WWW-Authenticate": "Bearer"})


def register_jwt_callbacks(jwt):
    # Both loaders run on every authenticated request; sessions.resolve answers them together,
    # usually from the per-worker cache (see orbix.auth.sessions).
    @jwt.token_in_blocklist_loader
    def _is_revoked(_header, payload):
        g.orbix_session = sessions.resolve(payload)
        return g.orbix_session.revoked

    @jwt.user_lookup_loader
    def _load_user(_header, payload):
        session = g.pop("orbix_session", None) or sessions.resolve(payload)
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

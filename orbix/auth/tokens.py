"""JWT issuing and revocation (the loaders that answer token problems are in
``platform.jwt_callbacks``).

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

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from pymongo.errors import DuplicateKeyError

from ..db import collection
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

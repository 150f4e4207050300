"""JWT issuing and revocation (the loaders that answer token problems are in
``platform.jwt_callbacks``).

Revocation lives in MongoDB (``revoked_tokens``), so it survives restarts and is
shared by all workers. A password change bumps the user's ``token_version``;
tokens carrying an older version are refused.
"""

import contextlib
from datetime import datetime, timezone

from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from pymongo.errors import DuplicateKeyError

from ..db import collection
from . import sessions

USERS = sessions.USERS
REVOKED = sessions.REVOKED


def issue_tokens(user):
    """Access and refresh tokens for a user document."""
    claims = {"ver": user.get("token_version", 0)}
    identity = str(user["_id"])
    return (
        create_access_token(identity=identity, additional_claims=claims),
        create_refresh_token(identity=identity, additional_claims=claims),
    )


def revoke(payload):
    """Record a decoded token's jti as revoked until it would have expired anyway.

    Records past their expiry are purged here (FerretDB has no TTL indexes).
    """
    expires = datetime.fromtimestamp(payload["exp"], timezone.utc)
    purge_expired()
    # A concurrent logout with the same token may have inserted the record first.
    with contextlib.suppress(DuplicateKeyError):
        collection(REVOKED).update_one(
            {"_id": payload["jti"]},
            {"$setOnInsert": {"user_id": payload["sub"], "type": payload.get("type"), "expires_at": expires}},
            upsert=True,
        )
    sessions.invalidate(payload["sub"])


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

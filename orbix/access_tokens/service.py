"""Personal access token rules: issuing (the token is shown once, only its hash is kept),
listing, renaming and revoking; the export view.

Expiry: every token expires, by default after ``DEFAULT_DAYS``, at most ``MAX_DAYS`` ahead;
rotating a token is cheap, a forgotten token that never expires is not. A revoked token keeps
its record (name, scopes, last use) for the owner's audit; its hash opens nothing any more.
Tokens survive a password change (as on GitHub): integrations keep working, and the owner
revokes what they no longer trust.
"""

from datetime import timedelta

from bson import ObjectId

from ..auth import sessions
from ..common import lists, locks
from ..common.documents import update_if
from ..common.exceptions import conflict, not_found
from ..common.ownership import parse_id
from ..common.timeutil import utcnow
from ..db import collection
from . import ACCESS_TOKENS, secret

DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_ACTIVE = 100  # per user; revoked and expired tokens do not count
SORTABLE = {"name", "created_at", "expires_at", "last_used_at"}
ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"


def status_of(record, now):
    if record.get("revoked_at") is not None:
        return REVOKED
    return EXPIRED if record["expires_at"] <= now else ACTIVE


def view(record, now=None):
    """What the owner sees of a token: never the hash (the stored ``_id``) nor the token."""
    return {
        "_id": record["public_id"],
        "user_id": record["user_id"],
        "name": record["name"],
        "scopes": record["scopes"],
        "hint": record["hint"],
        "status": status_of(record, now or utcnow()),
        "expires_at": record["expires_at"],
        "last_used_at": record.get("last_used_at"),
        "revoked_at": record.get("revoked_at"),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def _status_filter(status, now):
    return {
        None: {},
        ACTIVE: {"revoked_at": None, "expires_at": {"$gt": now}},
        EXPIRED: {"revoked_at": None, "expires_at": {"$lte": now}},
        REVOKED: {"revoked_at": {"$ne": None}},
    }[status]


def create_token(user_id, data):
    """A new token: the stored view plus ``token``, the secret, shown this once."""
    now = utcnow()
    token = secret.new_token()
    record = {
        "_id": secret.digest(token),
        "public_id": ObjectId(),
        "user_id": user_id,
        "name": data["name"],
        "scopes": data["scopes"],
        "hint": secret.hint(token),
        "expires_at": data.get("expires_at") or now + timedelta(days=data.get("expires_in_days") or DEFAULT_DAYS),
        "last_used_at": None,
        "revoked_at": None,
        "created_at": now,
        "updated_at": now,
    }
    with locks.held(f"access-tokens:{user_id}", "Your tokens"):
        active = {"user_id": user_id, **_status_filter(ACTIVE, now)}
        if collection(ACCESS_TOKENS).count_documents(active, limit=MAX_ACTIVE) >= MAX_ACTIVE:
            conflict(f"You have {MAX_ACTIVE} active personal access tokens, the most allowed: revoke one first")
        collection(ACCESS_TOKENS).insert_one(record)
    return {**view(record, now), "token": token}


def list_tokens(user_id, args):
    now = utcnow()
    query = lists.combine([
        {"user_id": user_id}, _status_filter(args.get("status"), now), lists.text_search(args.get("q"), ("name",)),
    ])
    docs, headers = lists.find_page(ACCESS_TOKENS, query, args, SORTABLE)
    return [view(doc, now) for doc in docs], headers


def _find(user_id, token_id):
    """The caller's token record by its public id; 404 for a malformed, missing or other user's id."""
    public_id = parse_id(token_id)
    record = None if public_id is None else collection(ACCESS_TOKENS).find_one(
        {"public_id": public_id, "user_id": user_id}
    )
    if record is None:
        not_found("Token")
    return record


def get_token(user_id, token_id):
    return view(_find(user_id, token_id))


def rename_token(user_id, token_id, changes):
    record = _find(user_id, token_id)
    if "name" in changes:
        record = update_if(ACCESS_TOKENS, record["_id"], user_id, {"name": changes["name"]}) or not_found("Token")
    return view(record)


def revoke_token(user_id, token_id):
    """Revoke at once in every worker: the record first, then the user's session epoch."""
    record = _find(user_id, token_id)
    if record.get("revoked_at") is None:
        update_if(ACCESS_TOKENS, record["_id"], user_id, {"revoked_at": utcnow()}, {"revoked_at": None})
    sessions.invalidate(user_id)


def exported(user_id):
    """The account export's list: every token as its owner sees it (no hashes)."""
    now = utcnow()
    return [view(doc, now) for doc in collection(ACCESS_TOKENS).find({"user_id": user_id}).sort("created_at", 1)]

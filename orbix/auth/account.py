"""Account export and deletion (data portability and the right to erasure).

Every resource stores ``user_id`` on its documents, so both operations walk all
collections instead of a hand-kept list that a new resource could be missing from.
Internal bookkeeping (revocations, idempotency records) is deleted but not exported; a
collection whose documents hold secrets is exported through its owner (``EXPORTERS``).
"""

from bson import ObjectId

from ..access_tokens import ACCESS_TOKENS
from ..access_tokens.service import exported as exported_access_tokens
from ..common.timeutil import utcnow
from ..contracts import CONTRACT_TOKEN_USES
from ..db import get_db
from ..expenses import EXPENSE_CATEGORY_DEFAULTS
from ..files import FILE_CHUNKS, FILE_WRITES
from ..files.service import delete_all as delete_files
from ..invoices import CREDIT_NOTE_LEDGER, INVOICE_LEDGER, PAYMENT_LEDGER
from ..migrate import MIGRATIONS
from ..platform.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from ..public_links import PUBLIC_LINKS
from ..stripe_payments import STRIPE_ACCOUNTS, STRIPE_EVENTS
from ..stripe_payments.accounts import exported as exported_stripe_accounts
from ..time_tracking import TIME_ENTRY_LEDGER
from ..webhooks import WEBHOOK_ENDPOINTS
from ..webhooks.service import exported as exported_webhook_endpoints
from . import REVOKED_TOKENS, USERS, sessions, tokens

# File chunks carry no user_id (GridFS writes them): the files package deletes them by file.
ACCOUNT_COLLECTIONS = {USERS, MIGRATIONS, FILE_CHUNKS}
INTERNAL_COLLECTIONS = {
    REVOKED_TOKENS, IDEMPOTENCY_KEYS, CONTRACT_TOKEN_USES, TIME_ENTRY_LEDGER, INVOICE_LEDGER, PAYMENT_LEDGER,
    PUBLIC_LINKS, EXPENSE_CATEGORY_DEFAULTS, FILE_WRITES, STRIPE_EVENTS, CREDIT_NOTE_LEDGER,
}
# Collection -> its owner's export of a user's documents, without what a leaked export file must
# not carry (personal access tokens without their hashes, webhook endpoints and the Stripe
# connection without their secrets).
EXPORTERS = {ACCESS_TOKENS: exported_access_tokens, WEBHOOK_ENDPOINTS: exported_webhook_endpoints,
             STRIPE_ACCOUNTS: exported_stripe_accounts}


def _owned_filter(user_id):
    return {"user_id": {"$in": [user_id, str(user_id)]}}


def _plain(value):
    """BSON values as JSON: ids as strings, dates ISO 8601, bytes dropped."""
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "password_hash"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _data_collections(db):
    return sorted(
        name
        for name in db.list_collection_names()
        if name not in ACCOUNT_COLLECTIONS and not name.startswith("system.")
    )


def export_account(user):
    """Everything the user owns, as one JSON-ready document."""
    db = get_db()
    data = {}
    for name in _data_collections(db):
        if name in INTERNAL_COLLECTIONS:
            continue
        if name in EXPORTERS:
            docs = [_plain(doc) for doc in EXPORTERS[name](user["_id"])]
        else:
            docs = [_plain(doc) for doc in db[name].find(_owned_filter(user["_id"])).sort("_id", 1)]
        if docs:
            data[name] = docs
    return {"exported_at": utcnow().isoformat(), "user": _plain(user), "data": data}


def delete_account(user, token_payload):
    """Remove every document the user owns, then the user; tokens die with the user."""
    db = get_db()
    tokens.revoke(token_payload)
    delete_files(user["_id"])  # the bytes first: they are found through the files' documents
    for name in _data_collections(db):
        if name != tokens.REVOKED:
            db[name].delete_many(_owned_filter(user["_id"]))
    db[tokens.USERS].delete_one({"_id": user["_id"]})
    sessions.invalidate(user["_id"])

"""Contract signing, second part: the audit trail and signing links on ``public_links``.

``contract_events`` is read per contract, oldest first (``user_id, contract_id, at``) and
deleted with its contract. The sent contracts' live signing tokens (``contract_tokens``,
``_id`` = the token's SHA-256, the same hash ``public_links`` keys on) become ``public_links``
of kind ``contract``, so the links handed out before this release keep working; only a token
that is still the one on its sent contract is carried over. The round of signing each belongs
to is the hash itself (new sends draw a random round)."""

from contextlib import suppress

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError


def up(db):
    db.contract_events.create_index(
        [("user_id", ASCENDING), ("contract_id", ASCENDING), ("at", ASCENDING)], name="user_contract_at"
    )
    db.contracts.create_index([("status", ASCENDING), ("signing.expires_at", ASCENDING)], name="status_expiry")
    for token in db.contract_tokens.find():
        contract = db.contracts.find_one({"_id": token["contract_id"], "status": "sent",
                                          "signing.token_hash": token["_id"]})
        if contract is None:
            continue
        link = {"_id": token["_id"], "user_id": contract["user_id"], "kind": "contract",
                "target_id": contract["_id"], "created_at": token["created_at"], "revoked_at": None}
        with suppress(DuplicateKeyError):  # carried over by an earlier run
            db.public_links.insert_one(link)
        db.contracts.update_one({"_id": contract["_id"]}, {"$set": {"signing.round": token["_id"]}})

"""Contract indexes: every list and filter starts with user_id; signing tokens and
user templates.

Signing tokens are looked up by primary key (``contract_tokens._id`` is the token's
SHA-256), which needs no extra index; ``expires_at`` serves the purge of dead links
(FerretDB 1.24 has no TTL indexes, so the app purges them when it issues a link).
"""

from pymongo import ASCENDING, DESCENDING


def up(db):
    contracts = db.contracts
    contracts.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    contracts.create_index(
        [("user_id", ASCENDING), ("status", ASCENDING), ("created_at", ASCENDING)], name="user_status_created"
    )
    contracts.create_index(
        [("user_id", ASCENDING), ("client_id", ASCENDING), ("created_at", ASCENDING)], name="user_client_created"
    )
    contracts.create_index(
        [("user_id", ASCENDING), ("project_id", ASCENDING), ("created_at", ASCENDING)], name="user_project_created"
    )
    contracts.create_index([("user_id", ASCENDING), ("updated_at", DESCENDING)], name="user_updated")
    db.contract_tokens.create_index([("expires_at", ASCENDING)], name="expires_at")
    db.contract_tokens.create_index([("contract_id", ASCENDING)], name="contract")
    db.contract_templates.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")

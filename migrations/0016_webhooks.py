"""Webhooks: endpoints are listed per user (user_id, created_at); a delivery log is read per
endpoint, newest first (webhook_id, created_at); the sweep finds due pending deliveries
(status, next_attempt_at); account export and deletion read deliveries by user_id."""

from pymongo import ASCENDING

INDEXES = {
    "webhook_endpoints": [("user_id", "created_at")],
    "webhook_deliveries": [("webhook_id", "created_at"), ("status", "next_attempt_at"), ("user_id",)],
}


def up(db):
    for name, wanted in INDEXES.items():
        existing = [list(index["key"].items()) for index in db[name].list_indexes()]
        for keys in wanted:
            spec = [(key, ASCENDING) for key in keys]
            if spec not in existing:
                db[name].create_index(spec, name="_".join(keys))

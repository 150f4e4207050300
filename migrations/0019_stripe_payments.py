"""Online card payments (Stripe): an account is found by the webhook id in its URL (unique);
events and payment claims are keyed by their ``_id`` (unique inserts: the exactly-once claims),
and read by user for account export and deletion."""

from pymongo import ASCENDING

INDEXES = {
    "stripe_accounts": [(("webhook_id",), True), (("user_id",), False)],
    "stripe_events": [(("user_id",), False)],
    "stripe_payments": [(("user_id",), False)],
}


def up(db):
    for name, wanted in INDEXES.items():
        existing = [list(index["key"].items()) for index in db[name].list_indexes()]
        for keys, unique in wanted:
            spec = [(key, ASCENDING) for key in keys]
            if spec not in existing:
                db[name].create_index(spec, name="_".join(keys), unique=unique)

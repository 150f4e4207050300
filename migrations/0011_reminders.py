"""Payment reminders: the claims are read by ``_id`` (the run's batch), per invoice for its
``reminders_sent`` (user_id, invoice_id; also account deletion), and when stuck (state,
claimed_at). The run finds open invoices through the existing ``status_due`` index, and paid
ones awaiting a thank-you by (status, updated_at)."""

from pymongo import ASCENDING

INDEXES = {
    "reminder_claims": [("user_id", "invoice_id"), ("state", "claimed_at")],
    "invoices": [("status", "updated_at")],
}
NAMES = {("status", "updated_at"): "status_updated"}


def up(db):
    for name, indexes in INDEXES.items():
        existing = [list(index["key"].items()) for index in db[name].list_indexes()]
        for keys in indexes:
            wanted = [(key, ASCENDING) for key in keys]
            if wanted not in existing:
                db[name].create_index(wanted, name=NAMES.get(keys, "_".join(keys)))

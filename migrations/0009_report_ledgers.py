"""Report ledgers (``common.ledgers``) for the data that existed before them: one scan of
time entries, invoices and payments fills every user's shards. Idempotent (a rerun rebuilds
the same rows; refreshes made meanwhile are re-read, see ``Ledger.rebuild``). Indexes first:
shards are read by ``_id``; ``user_id`` serves account deletion."""

from pymongo import ASCENDING

from orbix.invoices.ledger import INVOICE_ROWS, PAYMENT_ROWS
from orbix.time_tracking.ledger import LEDGER as ENTRY_ROWS

LEDGERS = (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS)


def up(db):
    for ledger in LEDGERS:
        db[ledger.name].create_index([("user_id", ASCENDING)], name="user_id")
    for ledger in LEDGERS:
        ledger.rebuild(db)

"""Report ledgers in the columnar format (``common.ledgers``: ``ids`` + ``cols`` + ``touched``
instead of one JSON blob of row objects): rebuild every user's shards from the sources, then
drop the shards still in the old format (users whose documents are all gone). Idempotent: a
rerun rebuilds the same rows; refreshes made meanwhile are re-read (``Ledger.rebuild``)."""

from orbix.invoices.ledger import INVOICE_ROWS, PAYMENT_ROWS
from orbix.time_tracking.ledger import LEDGER as ENTRY_ROWS

LEDGERS = (ENTRY_ROWS, INVOICE_ROWS, PAYMENT_ROWS)


def up(db):
    for ledger in LEDGERS:
        ledger.rebuild(db)
        db[ledger.name].delete_many({"cols": {"$exists": False}})

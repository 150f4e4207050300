"""The time-entry ledger (``common.ledgers``): what the reports need of each entry, kept
current by every write to ``time_entries`` (service, claims, billing follow the project's client).

A row is ``[start epoch ms, duration s, billable, project_id, client_id, own hourly rate
(stored int), invoiced, running, description if running]``; amounts are not stored, because
they follow the project's, client's and user's current rates (``common.rates``).
"""

from ..common.ledgers import Ledger, oid
from ..common.timeutil import epoch_ms
from ..db import get_db
from . import TIME_ENTRIES, TIME_ENTRY_LEDGER

FIELDS = (
    "start_time", "end_time", "duration", "is_billable", "project_id", "client_id", "hourly_rate", "invoice_id",
    "description",
)
START, SECONDS, BILLABLE, PROJECT, CLIENT, RATE, INVOICED, RUNNING, DESCRIPTION = range(9)


def row(doc):
    running = doc.get("end_time") is None
    return [
        epoch_ms(doc["start_time"]),
        int(doc.get("duration") or 0),
        bool(doc.get("is_billable", True)),
        oid(doc.get("project_id")),
        oid(doc.get("client_id")),
        doc.get("hourly_rate"),
        doc.get("invoice_id") is not None,
        running,
        doc.get("description") if running else None,
    ]


LEDGER = Ledger(TIME_ENTRY_LEDGER, TIME_ENTRIES, FIELDS, row, width=DESCRIPTION + 1, shards=16)


def touched(user_id, entry_ids, db=None):
    """Call after writing entries of ``user_id`` (created, changed or deleted)."""
    LEDGER.refresh(db if db is not None else get_db(), user_id, entry_ids)


def table(user_id):
    """Every entry of the user (``common.ledgers.Table``; columns at the positions above)."""
    return LEDGER.table(get_db(), user_id)

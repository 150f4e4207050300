"""CSV export of the estimate list (same filters), one row per estimate."""

from ..clients.service import client_names
from ..common import money
from ..common.csvexport import CsvExport
from ..common.timeutil import utcnow
from ..db import collection
from . import lifecycle, service

HEADER = ("estimate_number", "status", "client", "date", "valid_until", "currency", "subtotal", "discount", "tax",
          "total", "notes")


def _rows(docs, names):
    for doc in docs:
        currency = doc["currency"]
        yield (
            doc["estimate_number"],
            lifecycle.effective_status(doc),
            names.get(doc["client_id"], ""),
            doc["date"].date().isoformat(),
            doc["valid_until"].date().isoformat(),
            currency,
            *(money.from_minor(doc[name], currency) for name in ("subtotal", "discount", "tax", "total")),
            doc.get("notes"),
        )


def export_csv(user_id, args):
    """Every matching estimate (oldest first), client names looked up once."""
    query = service.list_query(user_id, args)
    docs = collection(service.COLLECTION).find(query, service.LIST_PROJECTION).sort([("created_at", 1), ("_id", 1)])
    return CsvExport(HEADER, _rows(docs, client_names(user_id)), f"estimates-{utcnow().date().isoformat()}.csv")

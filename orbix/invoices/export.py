"""CSV export of the invoice list (same filters), one row per invoice."""

from ..clients.service import client_names
from ..common import money
from ..common.csvexport import CsvExport
from ..common.timeutil import utcnow
from ..db import collection
from . import lifecycle, service

HEADER = (
    "invoice_number", "status", "client", "date", "due_date", "currency", "subtotal", "discount", "tax",
    "total", "amount_paid", "balance_due", "notes",
)


def _rows(docs, client_names):
    for doc in docs:
        currency = doc["currency"]
        yield (
            doc["invoice_number"],
            lifecycle.effective_status(doc),
            client_names.get(doc["client_id"], ""),
            doc["date"].date().isoformat(),
            doc["due_date"].date().isoformat(),
            currency,
            *(
                money.from_minor(doc[name], currency)
                for name in ("subtotal", "discount", "tax", "total", "amount_paid", "balance_due")
            ),
            doc.get("notes"),
        )


def export_csv(user_id, args):
    """Every matching invoice (oldest first), client names looked up once."""
    query = service.list_query(user_id, args)
    docs = collection(service.COLLECTION).find(query, service.LIST_PROJECTION).sort([("created_at", 1), ("_id", 1)])
    names = client_names(user_id)
    return CsvExport(HEADER, _rows(docs, names), f"invoices-{utcnow().date().isoformat()}.csv")

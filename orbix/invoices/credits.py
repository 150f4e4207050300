"""What credit notes take off an invoice: read by the balance (``payments.refresh``) and the
invoice view. The credit notes themselves are made by ``credit_notes``."""

from ..db import collection
from . import CREDIT_NOTES

SUMMARY = {"credit_note_number": 1, "date": 1, "total": 1, "reason": 1}


def list_for(invoice, projection=None):
    """The invoice's credit notes, oldest first (``projection``: default, a summary)."""
    return list(
        collection(CREDIT_NOTES)
        .find({"user_id": invoice["user_id"], "invoice_id": invoice["_id"]}, projection or SUMMARY)
        .sort([("date", 1), ("_id", 1)])
    )

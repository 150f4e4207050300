"""The invoice and payment ledgers (``common.ledgers``): what the reports need of each
invoice and payment, kept current by every write of this package.

Invoice row: ``[invoice_number, client_id, status, issue date ordinal, due date ordinal,
currency, total, amount_paid, balance_due]`` (amounts in minor units). Payment row: ``[date
ordinal, amount, currency, client_id, invoice_id]``.
"""

from contextlib import contextmanager

from ..common.ledgers import Ledger, oid
from ..db import get_db
from . import INVOICE_LEDGER, INVOICES, PAYMENT_LEDGER, PAYMENTS

INVOICE_FIELDS = (
    "invoice_number", "client_id", "status", "date", "due_date", "currency", "total", "amount_paid", "balance_due",
)
PAYMENT_FIELDS = ("date", "amount", "currency", "client_id", "invoice_id")


def invoice_row(doc):
    return [
        doc["invoice_number"],
        oid(doc.get("client_id")),
        doc.get("status"),
        doc["date"].date().toordinal(),
        doc["due_date"].date().toordinal(),
        doc["currency"],
        doc["total"],
        doc.get("amount_paid", 0),
        doc.get("balance_due", doc["total"]),
    ]


def payment_row(doc):
    return [doc["date"].date().toordinal(), doc["amount"], doc["currency"], oid(doc.get("client_id")),
            oid(doc.get("invoice_id"))]


INVOICE_ROWS = Ledger(INVOICE_LEDGER, INVOICES, INVOICE_FIELDS, invoice_row, width=9, shards=4)
PAYMENT_ROWS = Ledger(PAYMENT_LEDGER, PAYMENTS, PAYMENT_FIELDS, payment_row, width=5, shards=4)


@contextmanager
def invoice_written(user_id, invoice_id):
    """Whatever the block wrote (or undid) to the invoice, its row follows the stored invoice."""
    try:
        yield
    finally:
        INVOICE_ROWS.refresh(get_db(), user_id, [invoice_id])


def payments_written(user_id, payment_ids):
    PAYMENT_ROWS.refresh(get_db(), user_id, payment_ids)


def invoice_table(user_id):
    """The user's invoice rows (``common.ledgers.Table``, columns as the row above)."""
    return INVOICE_ROWS.table(get_db(), user_id)


def payment_table(user_id):
    """The user's payment rows (``common.ledgers.Table``, columns as the row above)."""
    return PAYMENT_ROWS.table(get_db(), user_id)

"""The invoice and payment ledgers (``common.ledgers``): what the reports need of each
invoice and payment, kept current by every write of this package.

Invoice row: ``[invoice_number, client_id, status, issue date ordinal, due date ordinal,
currency, total, amount_paid, balance_due]`` (amounts in minor units). Payment row: ``[date
ordinal, amount, currency, client_id, invoice_id]``; a credit note row has the same shape, with
its total as the amount.
"""

from contextlib import contextmanager

from ..common.ledgers import Ledger, oid
from ..db import get_db
from . import CREDIT_NOTE_LEDGER, CREDIT_NOTES, INVOICE_LEDGER, INVOICES, PAYMENT_LEDGER, PAYMENTS

INVOICE_FIELDS = (
    "invoice_number", "client_id", "status", "date", "due_date", "currency", "total", "amount_paid", "balance_due",
)
PAYMENT_FIELDS = ("date", "amount", "currency", "client_id", "invoice_id")
CREDIT_NOTE_FIELDS = ("date", "total", "currency", "client_id", "invoice_id")


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


def _dated_row(doc, amount):
    return [doc["date"].date().toordinal(), amount, doc["currency"], oid(doc.get("client_id")),
            oid(doc.get("invoice_id"))]


def payment_row(doc):
    return _dated_row(doc, doc["amount"])


def credit_note_row(doc):
    return _dated_row(doc, doc["total"])


INVOICE_ROWS = Ledger(INVOICE_LEDGER, INVOICES, INVOICE_FIELDS, invoice_row, width=9, shards=4)
PAYMENT_ROWS = Ledger(PAYMENT_LEDGER, PAYMENTS, PAYMENT_FIELDS, payment_row, width=5, shards=4)
CREDIT_NOTE_ROWS = Ledger(CREDIT_NOTE_LEDGER, CREDIT_NOTES, CREDIT_NOTE_FIELDS, credit_note_row, width=5, shards=2)


@contextmanager
def invoice_written(user_id, invoice_id):
    """Whatever the block wrote (or undid) to the invoice, its row follows the stored invoice."""
    try:
        yield
    finally:
        INVOICE_ROWS.refresh(get_db(), user_id, [invoice_id])


def payments_written(user_id, payment_ids):
    PAYMENT_ROWS.refresh(get_db(), user_id, payment_ids)


def credit_notes_written(user_id, note_ids):
    CREDIT_NOTE_ROWS.refresh(get_db(), user_id, note_ids)


def invoice_table(user_id):
    """The user's invoice rows (``common.ledgers.Table``, columns as the row above)."""
    return INVOICE_ROWS.table(get_db(), user_id)


def payment_table(user_id):
    """The user's payment rows (``common.ledgers.Table``, columns as the row above)."""
    return PAYMENT_ROWS.table(get_db(), user_id)


def credit_note_table(user_id):
    """The user's credit note rows (``common.ledgers.Table``, shaped like payment rows)."""
    return CREDIT_NOTE_ROWS.table(get_db(), user_id)

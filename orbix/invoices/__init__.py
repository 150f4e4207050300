"""Invoices.

Owns invoices, their payments and credit notes, the per-user number counters (invoices and
credit notes) and the report ledgers of invoices, payments and credit notes (read through
``invoices.ledger``)."""

INVOICES = "invoices"
PAYMENTS = "payments"
CREDIT_NOTES = "credit_notes"
INVOICE_COUNTERS = "counters"
INVOICE_LEDGER = "invoice_ledger"
PAYMENT_LEDGER = "payment_ledger"
CREDIT_NOTE_LEDGER = "credit_note_ledger"

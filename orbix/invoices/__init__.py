"""Invoices.

Owns invoices, their payments, the per-user invoice number counters and the report ledgers of
invoices and payments (read through ``invoices.ledger``)."""

INVOICES = "invoices"
PAYMENTS = "payments"
INVOICE_COUNTERS = "counters"
INVOICE_LEDGER = "invoice_ledger"
PAYMENT_LEDGER = "payment_ledger"

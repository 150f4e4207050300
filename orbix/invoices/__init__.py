"""Invoices.

Owns invoices, their payments and the per-user invoice number counters."""

INVOICES = "invoices"
PAYMENTS = "payments"
INVOICE_COUNTERS = "counters"

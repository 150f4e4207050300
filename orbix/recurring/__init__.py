"""Recurring invoices.

Owns ``recurring_invoices`` (the schedules: a template invoice and when it runs) and
``recurring_runs`` (one claim per schedule and run date: what makes each period produce one
invoice however many workers run). Invoices themselves are written through ``invoices``."""

RECURRING_INVOICES = "recurring_invoices"
RECURRING_RUNS = "recurring_runs"

"""Estimates (quotes).

Owns ``estimates`` and their per-user number counters (``estimate_counters``). An accepted
estimate converts once into a draft invoice (through ``invoices.service``); e-mails go through
the invoices' document e-mail helper and public pages through ``public_links``."""

ESTIMATES = "estimates"
ESTIMATE_COUNTERS = "estimate_counters"

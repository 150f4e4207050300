"""Time tracking.

Owns time entries, their invoice claims, the one-running-timer slots and the entries' report
ledger; invoicing claims and releases entries through ``time_tracking.claims``, reports read
the ledger through ``time_tracking.ledger``."""

TIME_ENTRIES = "time_entries"
TIME_ENTRY_CLAIMS = "time_entry_claims"
RUNNING_TIMERS = "running_timers"
TIME_ENTRY_LEDGER = "time_entry_ledger"

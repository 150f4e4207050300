"""Time tracking.

Owns time entries, their invoice claims and the one-running-timer slots; invoicing
claims and releases entries through ``time_tracking.claims``."""

TIME_ENTRIES = "time_entries"
TIME_ENTRY_CLAIMS = "time_entry_claims"
RUNNING_TIMERS = "running_timers"

"""The hourly task that makes the invoices of due recurring runs (``generation.run_due``).

Each pass does every run due by then, whatever hour it was claimed for, so after an outage the
first of the caught-up passes makes every missed invoice and the others find nothing left (one
indexed query each). One caught-up pass would do; ``catch_up`` covers a day of hours all the
same, so the record of passes (``schedule_runs``) shows each hour of the outage."""

import logging

from ..jobs.scheduler import periodic
from . import generation

log = logging.getLogger(__name__)


@periodic("recurring.generate", every="hour", catch_up=24)
def generate_due(period_start):
    done = generation.run_due()
    log.info("recurring invoices: %d runs done in the pass for %s", done, period_start.isoformat())
    return done

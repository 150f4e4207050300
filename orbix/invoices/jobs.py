"""Invoice background work: the daily "mark overdue" period (the CLI command does the same on demand)."""

import logging

from ..common import data_versions
from ..jobs.scheduler import periodic
from . import service

log = logging.getLogger(__name__)


@periodic("invoices.mark_overdue", every="day", catch_up=1)
def mark_overdue_daily(period_start):
    """One run covers every earlier day, so missed days collapse into the latest (catch_up=1)."""
    count = service.mark_overdue()
    if count:
        data_versions.bump_all()  # report caches read the stored status
    log.info("marked %d invoices overdue for %s", count, period_start.date().isoformat())
    return count

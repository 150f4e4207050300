"""The hourly reminder run (hourly, so each user's local date is met within the hour it starts)."""

import logging

from ..jobs.scheduler import periodic
from . import service

log = logging.getLogger(__name__)


@periodic("reminders.send", every="hour", catch_up=1)
def send_hourly(period_start):
    """One run covers the hours missed before it (only each invoice's latest due step is sent)."""
    counts = service.run(period_start)
    log.info("reminders queued %d, thank-yous %d for %s", counts["reminders"], counts["thanks"],
             period_start.isoformat())
    return counts

"""File housekeeping: daily, the chunks of uploads a crash left unfinished are deleted (they are
never listed meanwhile, only stored)."""

import logging

from ..jobs.scheduler import periodic
from . import service

log = logging.getLogger(__name__)


@periodic("files.purge_abandoned", every="day", catch_up=1)
def purge_abandoned_daily(period_start):
    count = service.purge_abandoned()
    if count:
        log.info("cleared %d unfinished file writes", count)
    return count

"""Contract background work: the hourly move of sent contracts past their link's expiry to
``expired`` (opening such a link does the same at once)."""

import logging

from ..jobs.scheduler import periodic
from . import signing

log = logging.getLogger(__name__)


@periodic("contracts.expire_links", every="hour", catch_up=1)
def expire_links_hourly(period_start):
    count = signing.expire_due()
    log.info("marked %d contracts expired for %s", count, period_start.isoformat())
    return count

"""Expired records the app purges itself (FerretDB has no TTL indexes): token revocations and
idempotency records, daily in the job workers (``maintenance.purge_expired``), so a deployment
needs no cron job for them; ``flask --app wsgi purge-expired`` does the same on demand, job
history (``jobs.history``) included."""

import logging

from .jobs.scheduler import periodic

log = logging.getLogger(__name__)


def purge_expired_records():
    """Delete expired revocations and idempotency records; returns the counts by kind."""
    from .auth.tokens import purge_expired as purge_revocations
    from .platform.idempotency import purge_expired as purge_idempotency_keys

    return {"revocations": purge_revocations(), "idempotency records": purge_idempotency_keys()}


@periodic("maintenance.purge_expired", every="day", catch_up=1)
def purge_daily(period_start):
    """One run covers every earlier day (catch_up=1)."""
    counts = purge_expired_records()
    log.info("purged expired records for %s: %s", period_start.date().isoformat(), counts)
    return counts

"""Background jobs on RQ (Redis) and the periodic scheduler.

Owns ``job_runs`` (one record per job key: what makes a job run once even when RQ
delivers it twice) and ``schedule_runs`` (one record per periodic task and period: the
claim that makes each period's work happen once across workers).

Other packages call ``jobs.queue.enqueue`` and register work with ``jobs.registry.job``
and ``jobs.scheduler.periodic``.
"""

JOB_RUNS = "job_runs"
SCHEDULE_RUNS = "schedule_runs"

"""Purging finished job history: ``job_runs`` and ``schedule_runs`` get one record per job
and per period, forever, unless something deletes them (FerretDB has no TTL indexes).

Daily (``jobs.purge_history``, and ``flask --app wsgi purge-expired`` on demand) the runs
that finished more than ``JOBS_HISTORY_DAYS`` ago are deleted: job runs ``done`` or
``failed`` (a later retry claims its key afresh either way), periodic runs ``done``. Runs
still ``running``, ``claimed`` or ``enqueued`` are kept, and so is each task's latest period
whatever its age: the scheduler counts the periods to catch up from it. By then RQ has long
forgotten the job (results are kept a week), so no second delivery can meet a purged key.
"""

import logging
from datetime import timedelta

from flask import current_app
from pymongo import DESCENDING

from ..common.timeutil import utcnow
from ..db import collection
from . import JOB_RUNS, SCHEDULE_RUNS
from .scheduler import periodic

log = logging.getLogger(__name__)

FINISHED_JOB_STATES = ("done", "failed")  # what registry._finish writes
DONE_PERIOD_STATE = "done"  # what scheduler.run_period writes


def job_runs_filter(cutoff):
    """Finished job runs older than ``cutoff`` (served by the ``finished_at`` index)."""
    return {"finished_at": {"$lt": cutoff}, "state": {"$in": list(FINISHED_JOB_STATES)}}


def schedule_runs_filter(task, before, cutoff):
    """``task``'s periods done before ``cutoff`` and starting before ``before`` (its latest period),
    served by the ``task, period_start`` index."""
    return {"task": task, "period_start": {"$lt": before}, "state": DONE_PERIOD_STATE, "done_at": {"$lt": cutoff}}


def purge(days, now=None):
    """Delete runs finished more than ``days`` ago; returns (job runs, schedule runs) deleted."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    job_runs = collection(JOB_RUNS).delete_many(job_runs_filter(cutoff)).deleted_count
    runs = collection(SCHEDULE_RUNS)
    schedule_runs = 0
    for task in runs.distinct("task"):
        latest = runs.find_one({"task": task}, {"period_start": 1}, sort=[("period_start", DESCENDING)])
        if latest is not None:
            before = min(latest["period_start"], cutoff)
            schedule_runs += runs.delete_many(schedule_runs_filter(task, before, cutoff)).deleted_count
    return job_runs, schedule_runs


@periodic("jobs.purge_history", every="day", catch_up=1)
def purge_daily(period_start):
    """One run covers every earlier day (catch_up=1)."""
    days = current_app.config["JOBS_HISTORY_DAYS"]
    job_runs, schedule_runs = purge(days)
    log.info("purged %d job runs and %d periodic runs finished more than %d days ago (run for %s)", job_runs,
             schedule_runs, days, period_start.date().isoformat())
    return {"job_runs": job_runs, "schedule_runs": schedule_runs}

"""Named jobs and the one function RQ runs for all of them.

A package registers its work with ``@job("mail.send", on_failure=...)``; ``queue.enqueue``
queues ``perform(name, key, args)``, which runs inside an app context with the enqueuing
request's id on every log line, and makes the job idempotent: a record in ``job_runs``
keyed by (name, key) is claimed with a unique insert before the work and marked ``done``
after it, so a second delivery (a retry after a lost acknowledgement, a re-enqueue) does
nothing. A failed attempt leaves the record ``failed`` so the next attempt may claim it; a
worker that died mid-job leaves a ``running`` record that is taken over once its lease
(the job timeout) has passed. ``on_failure(key, *args, error=...)`` is called after the
last attempt failed, for the owner to record the outcome where the user sees it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, has_app_context
from pymongo.errors import DuplicateKeyError
from rq import get_current_job

from ..common import data_versions
from ..common.timeutil import utcnow
from ..db import collection
from . import JOB_RUNS

log = logging.getLogger(__name__)

_jobs = {}


@dataclass(frozen=True)
class Job:
    name: str
    func: object
    on_failure: object = None


def error_text(exc, limit=1000):
    """An exception as the one line a log record keeps: its class and message, cut to ``limit``."""
    return f"{exc.__class__.__name__}: {exc}"[:limit]


class JobBusy(RuntimeError):
    """Another worker is running this job's key right now: this attempt is retried later."""


def job(name, on_failure=None):
    """Register ``func(key, *args)`` as the job ``name``."""

    def register(func):
        _jobs[name] = Job(name, func, on_failure)
        return func

    return register


def registered(name):
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(f"no job named {name!r} is registered") from None


_worker_app = None


def worker_app():
    """The app a job runs in: the caller's (tests, ``flask worker``) or one built from the environment."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from ..app import create_app

        _worker_app = create_app()
    return _worker_app


def _claim(run_id, lease_seconds):
    """Claim ``run_id``; False when it is done already. Raises JobBusy while another holds it."""
    runs = collection(JOB_RUNS)
    now = utcnow()
    lease_until = now + timedelta(seconds=lease_seconds)
    claim = {"_id": run_id, "state": "running", "started_at": now, "lease_until": lease_until}
    for _ in range(2):
        try:
            runs.insert_one(claim)
            return True
        except DuplicateKeyError:
            current = runs.find_one({"_id": run_id}) or {}
            if current.get("state") == "done":
                return False
            if current.get("state") == "running" and current.get("lease_until") and current["lease_until"] > now:
                raise JobBusy(f"{run_id} is running in another worker") from None
            # failed, or a dead worker's expired lease: remove exactly that record, then race to insert
            runs.delete_one({"_id": run_id, "started_at": current.get("started_at")})
    raise JobBusy(f"{run_id} was claimed by another worker")


def _finish(run_id, state, error=None):
    collection(JOB_RUNS).update_one(
        {"_id": run_id}, {"$set": {"state": state, "finished_at": utcnow(), "error": error}}
    )


def perform(name, key, args):
    """What RQ runs: the registered job ``name`` for ``key``, once."""
    rq_job = get_current_job()
    meta = rq_job.meta if rq_job else {}
    app = worker_app()
    with app.app_context():
        g.request_id = meta.get("request_id")
        g.user_id = meta.get("user_id")
        entry = registered(name)
        run_id = f"{name}:{key}"
        if not _claim(run_id, app.config["JOBS_TIMEOUT_SECONDS"] + 60):
            log.info("job %s already done; skipped", run_id)
            return "skipped"
        try:
            result = entry.func(key, *args)
        except Exception as exc:
            data_versions.bump_shared()  # it may have written part of its work
            error = error_text(exc)
            _finish(run_id, "failed", error)
            last = not (rq_job and rq_job.retries_left)
            log.exception(
                "job %s failed (%s)", run_id, "no retries left" if last else f"{rq_job.retries_left} retries left",
                extra={"job_id": rq_job.id if rq_job else None, "request_id": g.request_id},
            )
            if last and entry.on_failure:
                entry.on_failure(key, *args, error=error)
            raise
        data_versions.bump_shared()  # a job may write any account's data: read caches start over
        _finish(run_id, "done")
        return result

"""Periodic work, exactly once per period however many workers and app instances run.

A task is registered with ``@periodic("invoices.mark_overdue", every="day")`` and receives
the period it covers (its UTC start, a datetime). Every worker runs ``run_forever`` (a
thread beside the RQ worker), which ticks at start and then every ``SCHEDULER_TICK_SECONDS``.
A tick works out, for each task, the periods due since the last one claimed (after downtime
that is several: the missed ones are caught up, at most ``catch_up`` of the latest) and
claims each with a unique insert of ``{_id: "<task>:<period>"}`` into ``schedule_runs``
(the database's unique index is the arbiter; FerretDB applies it under concurrency). Only
the claimer enqueues the period's job, keyed by the same id, so ``registry.perform`` runs
it once even if it is delivered twice. A claim whose enqueue failed (Redis away) is deleted,
so a later tick claims it again; one stuck as ``claimed`` (the process died between claim
and enqueue) is enqueued again after ``STUCK_SECONDS``.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError, PyMongoError
from redis.exceptions import RedisError

from ..common.exceptions import Unavailable
from ..common.timeutil import UTC, utcnow
from ..db import collection
from . import SCHEDULE_RUNS
from .queue import enqueue
from .registry import job

log = logging.getLogger(__name__)

PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
STUCK_SECONDS = 300
RUN_JOB = "scheduler.run"

_tasks = {}


@dataclass(frozen=True)
class Periodic:
    name: str
    func: object
    every: str
    catch_up: int


def periodic(name, every="day", catch_up=1):
    """Register ``func(period_start)`` to run once per ``every`` (minute, hour, day; UTC).

    ``catch_up``: after downtime, how many of the missed periods (the latest ones) still run.
    1 suits work whose latest run covers the earlier ones (marking overdue invoices); work
    owed per period (recurring invoices) sets it higher."""
    if every not in PERIODS:
        raise ValueError(f"every must be one of {sorted(PERIODS)}")

    def register(func):
        _tasks[name] = Periodic(name, func, every, max(1, catch_up))
        return func

    return register


def unregister(name):
    _tasks.pop(name, None)


def period_start(moment, every):
    """The UTC start of the period ``moment`` falls in."""
    moment = moment.astimezone(UTC)
    if every == "day":
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if every == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(second=0, microsecond=0)


def period_id(start, every):
    return start.strftime({"day": "%Y-%m-%d", "hour": "%Y-%m-%dT%H", "minute": "%Y-%m-%dT%H%M"}[every])


def due_periods(task, now):
    """Starts of the periods to claim now: after the last claimed one, up to the current one."""
    step = PERIODS[task.every]
    current = period_start(now, task.every)
    last = collection(SCHEDULE_RUNS).find_one({"task": task.name}, sort=[("period_start", DESCENDING)])
    if last is None:
        return [current]
    first = last["period_start"].astimezone(UTC) + step
    if first > current:
        return []
    count = int((current - first) / step) + 1
    count = min(count, task.catch_up)
    return [current - step * n for n in reversed(range(count))]


def _enqueue_period(task, run_id, start):
    enqueue(RUN_JOB, task.name, start.isoformat(), key=run_id)
    collection(SCHEDULE_RUNS).update_one({"_id": run_id}, {"$set": {"state": "enqueued", "enqueued_at": utcnow()}})


def claim_and_enqueue(task, start):
    """Claim (task, period) and enqueue its job; False when another process claimed it."""
    run_id = f"{task.name}:{period_id(start, task.every)}"
    runs = collection(SCHEDULE_RUNS)
    try:
        runs.insert_one({"_id": run_id, "task": task.name, "period_start": start, "state": "claimed",
                         "claimed_at": utcnow()})
    except DuplicateKeyError:
        return False
    try:
        _enqueue_period(task, run_id, start)
    except Unavailable:
        runs.delete_one({"_id": run_id, "state": "claimed"})
        raise
    return True


def _requeue_stuck():
    """Claims whose process died before enqueueing: enqueue them (the job key keeps it once)."""
    cutoff = utcnow() - timedelta(seconds=STUCK_SECONDS)
    for run in collection(SCHEDULE_RUNS).find({"state": "claimed", "claimed_at": {"$lt": cutoff}}):
        task = _tasks.get(run["task"])
        if task:
            _enqueue_period(task, run["_id"], run["period_start"].astimezone(UTC))


def tick(now=None):
    """Claim and enqueue every due period of every task; returns the run ids this process claimed."""
    now = now or datetime.now(UTC)
    claimed = []
    for task in list(_tasks.values()):
        for start in due_periods(task, now):
            if claim_and_enqueue(task, start):
                claimed.append(f"{task.name}:{period_id(start, task.every)}")
    _requeue_stuck()
    return claimed


@job(RUN_JOB)
def run_period(run_id, task_name, start):
    """The job a claimed period becomes: run the task for that period."""
    task = _tasks[task_name]
    result = task.func(datetime.fromisoformat(start))
    log.info("periodic task %s ran", run_id, extra={"task": task_name, "period": start})
    collection(SCHEDULE_RUNS).update_one({"_id": run_id}, {"$set": {"state": "done", "done_at": utcnow()}})
    return result


def run_forever(app, stop):
    """The scheduler loop of a worker: tick now (catching up), then every tick interval until ``stop``."""
    interval = app.config["SCHEDULER_TICK_SECONDS"]
    while not stop.is_set():
        with app.app_context():
            try:
                claimed = tick()
                if claimed:
                    log.info("scheduler claimed %s", ", ".join(claimed))
            except (Unavailable, RedisError, PyMongoError) as exc:
                log.warning("scheduler tick skipped: %s", exc.__class__.__name__)
            except Exception:
                log.exception("scheduler tick failed")
        stop.wait(interval)


def start_thread(app):
    """Start ``run_forever`` in a daemon thread; returns the Event that stops it."""
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(app, stop), name="orbix-scheduler", daemon=True).start()
    return stop

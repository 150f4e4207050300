"""Job history purge: finished job runs and periodic runs older than JOBS_HISTORY_DAYS go, daily
(a periodic task run by a real worker) and with `purge-expired`; unfinished runs and each task's
latest period stay, so the scheduler neither loses work in flight nor runs a period twice."""

from datetime import datetime, timedelta

import pytest

from orbix.db import get_db
from orbix.jobs import scheduler
from orbix.jobs.scheduler import periodic
from tests.conftest import JOBS_FOR_TESTS, JobRunner, make_app

NOW = datetime.now(scheduler.UTC)


def _ago(days):
    return NOW - timedelta(days=days)


def _job_run(db, run_id, state, days_ago):
    """A ``job_runs`` record as the registry leaves it (running ones have no finished_at yet)."""
    started = _ago(days_ago)
    record = {"_id": run_id, "state": state, "started_at": started, "lease_until": started + timedelta(minutes=6)}
    if state != "running":
        record.update(finished_at=started + timedelta(seconds=1), error=None if state == "done" else "Boom: no")
    db.job_runs.insert_one(record)


def _period(db, task, days_ago, state="done"):
    """A ``schedule_runs`` record of ``task``'s day ``days_ago`` days back, as the scheduler leaves it."""
    start = scheduler.period_start(_ago(days_ago), "day")
    run_id = f"{task}:{scheduler.period_id(start, 'day')}"
    record = {"_id": run_id, "task": task, "period_start": start, "state": state, "claimed_at": start}
    if state == "done":
        record["done_at"] = start + timedelta(minutes=1)
    db.schedule_runs.insert_one(record)
    return run_id


@pytest.fixture
def history(db):
    """Runs of every kind, old and recent; returns the ids that must survive a 30-day purge."""
    _job_run(db, "mail.send:old-done", "done", 45)
    _job_run(db, "mail.send:old-failed", "failed", 31)
    _job_run(db, "mail.send:old-running", "running", 40)  # a dead worker's claim: never purged
    _job_run(db, "mail.send:recent-done", "done", 29)
    for days in (60, 59, 58):
        _period(db, "test.daily", days)
    latest_old = _period(db, "test.daily", 40)  # the task's latest period, however old
    stuck = _period(db, "test.other", 50, state="enqueued")  # its job failed for good: kept
    _period(db, "test.other", 45)
    recent_other = _period(db, "test.other", 3)
    return {"job_runs": {"mail.send:old-running", "mail.send:recent-done"},
            "schedule_runs": {latest_old, stuck, recent_other}}


def _ids(db, name):
    return {doc["_id"] for doc in db[name].find({}, {"_id": 1})}


def test_purge_expired_deletes_finished_runs_older_than_the_history(app, db, history):
    kept = history
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "job runs: 2, periodic runs: 4" in result.output
    assert _ids(db, "job_runs") == kept["job_runs"]
    assert _ids(db, "schedule_runs") == kept["schedule_runs"]


def test_the_daily_task_purges_with_jobs_history_days(mongo_uri, redis_uri, app, jobs):
    week = make_app(mongo_uri, redis_uri, JOBS_HISTORY_DAYS=7, **JOBS_FOR_TESTS)
    with week.app_context():  # not the `db` fixture: its app context would make the job run in `app`
        db = get_db()
        _job_run(db, "mail.send:ten-days", "done", 10)
        _job_run(db, "mail.send:five-days", "done", 5)
        assert "jobs.purge_history:" + NOW.strftime("%Y-%m-%d") in scheduler.tick(NOW)
    JobRunner(week).run()
    purge_run = db.job_runs.find_one({"_id": {"$regex": "^scheduler.run:jobs.purge_history:"}})
    assert purge_run["state"] == "done"
    assert "mail.send:ten-days" not in _ids(db, "job_runs") and "mail.send:five-days" in _ids(db, "job_runs")


def test_a_purged_task_does_not_run_its_latest_period_again(app, db, jobs):
    ran = []
    periodic("test.daily", every="day", catch_up=5)(lambda start: ran.append(start.date()))
    try:
        for days in (45, 44, 43):
            _period(db, "test.daily", days)
        assert app.test_cli_runner().invoke(args=["purge-expired"]).exit_code == 0
        assert _ids(db, "schedule_runs") == {f"test.daily:{scheduler.period_id(_ago(43), 'day')}"}
        with app.app_context():  # a worker ticking later that same day claims nothing for the task
            assert [c for c in scheduler.tick(_ago(43) + timedelta(hours=1)) if c.startswith("test.")] == []
        jobs.run()
        assert ran == []
    finally:
        scheduler.unregister("test.daily")

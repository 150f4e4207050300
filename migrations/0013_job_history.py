"""Job history purge (orbix.jobs.history): finished job runs are found by ``finished_at``.
Periodic runs are purged per task through the ``task, period_start`` index of 0008."""

from pymongo import ASCENDING


def up(db):
    wanted = [("finished_at", ASCENDING)]
    if wanted not in [list(index["key"].items()) for index in db["job_runs"].list_indexes()]:
        db["job_runs"].create_index(wanted, name="finished_at")

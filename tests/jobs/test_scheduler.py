"""The periodic scheduler: each (task, period) is claimed once in the database, its job runs
once, missed periods are caught up, and a claim whose enqueue failed is given back."""

from datetime import date, datetime, timedelta

import pytest

from orbix.common.exceptions import Unavailable
from orbix.jobs import scheduler
from orbix.jobs.scheduler import periodic
from tests.conftest import make_app
from tests.factories import make_invoice

DAY = datetime(2026, 3, 10, 12, 30, tzinfo=scheduler.UTC)


@pytest.fixture
def counted():
    """A daily task that records each period it ran for, catching up to 5 missed days."""
    ran = []
    periodic("test.counted", every="day", catch_up=5)(lambda start: ran.append(start.date().isoformat()))
    yield ran
    scheduler.unregister("test.counted")


def _tick(app, now):
    with app.app_context():
        return scheduler.tick(now)


def test_a_period_is_claimed_by_one_tick_only(app, jobs, counted):
    assert "test.counted:2026-03-10" in _tick(app, DAY)
    assert _tick(app, DAY + timedelta(hours=3)) == []  # another worker, or the same one later that day
    jobs.run()
    jobs.run()
    assert counted == ["2026-03-10"]


def test_missed_periods_are_caught_up_once_each_after_downtime(app, jobs, counted):
    _tick(app, DAY)
    claimed = _tick(app, DAY + timedelta(days=3))
    assert [c for c in claimed if c.startswith("test.")] == [
        "test.counted:2026-03-11", "test.counted:2026-03-12", "test.counted:2026-03-13"]
    jobs.run()
    assert counted == ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]


def test_catch_up_is_bounded_to_the_latest_periods(app, jobs, counted):
    _tick(app, DAY)
    _tick(app, DAY + timedelta(days=30))
    jobs.run()
    assert counted == ["2026-03-10", "2026-04-05", "2026-04-06", "2026-04-07", "2026-04-08", "2026-04-09"]


def test_a_claim_whose_enqueue_failed_is_claimed_again(mongo_uri, redis_uri, app, jobs, counted):
    dead = make_app(mongo_uri, redis_uri, JOBS_REDIS_URL="redis://127.0.0.1:9/0")
    with pytest.raises(Unavailable):
        _tick(dead, DAY)
    assert "test.counted:2026-03-10" in _tick(app, DAY)
    jobs.run()
    assert counted == ["2026-03-10"]


def test_mark_overdue_runs_daily_and_stores_the_status(client, auth, app, jobs, db):
    issued, due = date.today() - timedelta(days=40), date.today() - timedelta(days=5)
    invoice = make_invoice(client, auth, status="sent", date=issued.isoformat(), due_date=due.isoformat())
    _tick(app, datetime.now(scheduler.UTC))
    jobs.run()
    assert db.invoices.find_one({"invoice_number": invoice["invoice_number"]})["status"] == "overdue"
    done = [run["_id"] for run in db.job_runs.find({"state": "done"})]
    assert len([run for run in done if "invoices.mark_overdue" in run]) == 1  # other daily tasks ran beside it

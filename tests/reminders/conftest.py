"""Reminder runs driven through time: the hourly task is called with the moment to act as."""

from datetime import UTC, datetime, time, timedelta

import pytest

from orbix.reminders import service


def day(offset, hour=12, minute=0):
    """A UTC moment ``offset`` days from today (real today: invoices are sent now)."""
    return datetime.combine(datetime.now(UTC).date() + timedelta(days=offset), time(hour, minute), UTC)


def in_days(offset):
    """The calendar date ``offset`` days from today (UTC), as the API takes it."""
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def reminder_run(app, now):
    """The reminder task as of ``now`` (what the scheduler's hourly job does); returns its counts."""
    with app.app_context():
        return service.run(now)


@pytest.fixture
def remind(app, jobs):
    """``remind(now)``: the reminder run as of ``now``, then every job it queued (the e-mails)."""

    def run(now):
        counts = reminder_run(app, now)
        jobs.run()
        return counts

    return run

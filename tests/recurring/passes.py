"""Running the recurring-invoice pass (what the hourly task runs) at a chosen moment: not a test module."""

from datetime import datetime, timedelta, timezone

from orbix.recurring import generation

UTC = timezone.utc


def at(day, hour=12):
    """``day`` at ``hour`` o'clock UTC."""
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=hour)


def run_pass(app, now):
    """``generation.run_due(now)`` in the app: how many runs it did."""
    with app.app_context():
        return generation.run_due(now)

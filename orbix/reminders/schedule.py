"""Which reminder step is due: pure date arithmetic, no database.

A step is a day offset from the due date (``-3``: three days before, ``0``: on it, ``7``: a
week after). It is due once the user's local date reaches ``due_date + offset``. Only the
latest due step is sent; older ones that never went out are skipped, so a worker that was
down for a week sends one reminder, not a burst. Steps on or before the day the invoice was
sent are not reminders at all (the invoice e-mail itself said it), so an invoice issued late
is not followed by an "overdue" reminder within the hour.
"""

from dataclasses import dataclass
from datetime import timedelta

DEFAULT_SCHEDULE = (-3, 0, 7, 14)
EARLIEST_STEP, LATEST_STEP = -90, 365
MAX_STEPS = 10
THANKS = "thanks"

UPCOMING, DUE_TODAY, OVERDUE = "upcoming", "due_today", "overdue"


@dataclass(frozen=True)
class DueStep:
    step: int
    missed: tuple  # earlier due steps, never sent: recorded as skipped


def normalised(steps):
    """A schedule as stored: distinct offsets, ascending."""
    return sorted(set(steps))


def due_step(schedule, due_date, today, sent_on=None):
    """The latest step due on ``today`` (the user's local date), or None.

    ``sent_on``: the local date the invoice was sent; steps falling on or before it are not
    eligible."""
    eligible = [
        step for step in normalised(schedule)
        if due_date + timedelta(days=step) <= today
        and (sent_on is None or due_date + timedelta(days=step) > sent_on)
    ]
    if not eligible:
        return None
    return DueStep(eligible[-1], tuple(eligible[:-1]))


def window(today):
    """Due dates an invoice can have for any step to be due around ``today`` (UTC date; local
    dates run a day either side), as (first, last) inclusive."""
    return today - timedelta(days=LATEST_STEP + 1), today + timedelta(days=-EARLIEST_STEP + 1)


def situation(due_date, today):
    """(situation, days) of an invoice on ``today``: upcoming in N days, due today, or N days overdue."""
    days = (today - due_date).days
    if days < 0:
        return UPCOMING, -days
    if days == 0:
        return DUE_TODAY, 0
    return OVERDUE, days


def claim_id(invoice_id, step):
    return f"{invoice_id}:{step}"

"""When a recurring invoice runs: pure calendar arithmetic (no database, no clock).

A rule is a frequency (weekly, monthly, quarterly, yearly), an interval (every N of them), a
start date, for the month-based frequencies a day of the month (1-28, or ``last``) and an
optional end date. Its runs form a sequence indexed from 0:

- weekly: the start date, then every ``7 x interval`` days (the start's weekday);
- monthly, quarterly, yearly: every ``interval x 1, 3 or 12`` months from the first month with a
  run on or after the start, on the rule's day. Without a day of the month the start date's day
  is used; a day the month lacks (the 29th to 31st) becomes that month's last day, counted from
  the original day each time, so a monthly rule from 31 January runs on 28 (29) February, 31
  March, 30 April. ``last`` is the last day of every month; a yearly rule from 29 February runs
  on 28 February in other years.

The index arithmetic is exact (no stepping from one run to the next, so no drift), and a run
that would fall outside years 1-9999 ends the sequence.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, MONTHLY, QUARTERLY, YEARLY = "weekly", "monthly", "quarterly", "yearly"
MONTHS_PER_STEP = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}
FREQUENCIES = (WEEKLY, MONTHLY, QUARTERLY, YEARLY)
LAST = "last"
LAST_DAY = 31  # "last": the day every month is clamped down from


def _month_index(day):
    return day.year * 12 + day.month - 1


def _on_day(month_index, anchor):
    """The ``anchor``-th day of a month (clamped to its length); None outside years 1-9999."""
    year, month = divmod(month_index, 12)
    if not 1 <= year <= 9999:
        return None
    return date(year, month + 1, min(anchor, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Rule:
    frequency: str
    start: date
    interval: int = 1
    day_of_month: object = None  # 1-28, "last" or None (the start's day)
    end: date | None = None

    @property
    def anchor(self):
        if self.day_of_month == LAST:
            return LAST_DAY
        return self.day_of_month or self.start.day

    @property
    def _months(self):
        return MONTHS_PER_STEP[self.frequency] * self.interval

    @property
    def _first_month(self):
        """Month index of the first run: the start's month, or the next one when the rule's day
        in the start's month lies before the start."""
        month = _month_index(self.start)
        first = _on_day(month, self.anchor)
        return month if first is None or first >= self.start else month + 1

    def occurrence(self, index):
        """The run with this index (negative: the periods before the first run); None when it
        falls outside years 1-9999."""
        if self.frequency == WEEKLY:
            try:
                return self.start + timedelta(weeks=self.interval * index)
            except OverflowError:
                return None
        return _on_day(self._first_month + self._months * index, self.anchor)

    def index_on_or_after(self, floor):
        """The index of the first run on or after ``floor`` (0 when ``floor`` is before the
        start); None when there is none before year 10000."""
        if floor <= self.start:
            return 0
        if self.frequency == WEEKLY:
            step = 7 * self.interval
            index = -(-(floor - self.start).days // step)
        else:
            index = max(0, (_month_index(floor) - self._first_month) // self._months)
        while True:  # at most two steps: the estimate is at most one period short
            run = self.occurrence(index)
            if run is None or run >= floor:
                return None if run is None else index
            index += 1

    def first_on_or_after(self, floor):
        """The first run on or after ``floor`` within the end date, or None."""
        index = self.index_on_or_after(floor)
        run = None if index is None else self.occurrence(index)
        return run if run is not None and (self.end is None or run <= self.end) else None

    def runs(self, floor, limit):
        """Up to ``limit`` runs on or after ``floor``, in order, within the end date."""
        index = self.index_on_or_after(floor)
        found = []
        while index is not None and len(found) < limit:
            run = self.occurrence(index)
            if run is None or (self.end is not None and run > self.end):
                break
            found.append(run)
            index += 1
        return found

    def skip_to_latest(self, floor, until, cap):
        """``(floor, 0)``, or when more than ``cap`` runs fall between ``floor`` and ``until``, the
        first of the latest ``cap`` of them and how many older ones that skips (arithmetic: the
        runs in between are not enumerated)."""
        first = self.index_on_or_after(floor)
        if self.end is not None:
            until = min(until, self.end)
        after = self.index_on_or_after(until + timedelta(days=1)) if until < date.max else None
        if first is None or after is None or after - first <= cap:
            return floor, 0
        return self.occurrence(after - cap), after - cap - first

    def period_before(self, run):
        """``(start, end)`` of the period that ends when ``run`` comes: from the previous run (or
        the one before the first) to the day before ``run``; start None before year 1."""
        index = self.index_on_or_after(run)
        return self.occurrence(index - 1), run - timedelta(days=1)

"""Report windows and calendar periods in the caller's time zone.

Timestamps (time entries) are compared as UTC epoch milliseconds against the UTC
instants at which local days begin, so a Berlin day across a DST change is 23 or 25
hours long. Calendar dates (invoice, due and payment dates, stored at UTC midnight)
are compared as dates and never shifted by the time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..common.exceptions import unprocessable
from ..common.timeutil import UTC, end_of_day, local_date, local_day_start
from .snapshot import epoch_ms

# Rows of one report, whatever the grouping: 4,000 days is 11 years, 4,000 weeks 76 years,
# 4,000 months 333 years (a week report from year 1 to 9999 was 96 MB and took 85 s).
MAX_PERIODS = 4000
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Window:
    """An inclusive range of local days plus its exact instants (end exclusive)."""

    first_day: date
    last_day: date
    start_ms: int
    end_ms: int
    tz: object

    def days(self):
        return self.first_day.toordinal(), self.last_day.toordinal()


def local_today(tz):
    return datetime.now(UTC).astimezone(tz).date()


def month_start(day, back=0):
    """The first day of the month ``back`` months before ``day``'s (clamped to year 1)."""
    index = max(day.year * 12 + day.month - 1 - back, 12)
    return date(index // 12, index % 12 + 1, 1)


def next_period(day, group):
    """The first day of the period after ``day``'s; None past 9999-12-31."""
    try:
        if group == "day":
            return day + timedelta(days=1)
        if group == "week":
            return day + timedelta(days=7)
        return month_start(day, back=-1)
    except (OverflowError, ValueError):
        return None


def period_start(day, group):
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return month_start(day)
    return day


def window(args, default_months=DEFAULT_MONTHS):
    """The window of ``from``/``to`` (RangeBound values) in ``tz``; defaults: the last
    ``default_months`` calendar months up to today. A bare ``to`` date includes that day;
    a timestamp ``to`` is inclusive to the millisecond."""
    tz = args.get("tz") or UTC
    today = local_today(tz)
    start, end = args.get("from_"), args.get("to")
    if end is None:
        last_day, end_ms = today, epoch_ms(end_of_day(today, tz))
    elif end[1]:
        last_day, end_ms = end[0], epoch_ms(end_of_day(end[0], tz))
    else:
        last_day, end_ms = local_date(end[0], tz), epoch_ms(end[0]) + 1
    if start is None:
        first_day = month_start(last_day, back=default_months - 1)
        start_ms = epoch_ms(local_day_start(first_day, tz))
    elif start[1]:
        first_day, start_ms = start[0], epoch_ms(local_day_start(start[0], tz))
    else:
        first_day, start_ms = local_date(start[0], tz), epoch_ms(start[0])
    if start_ms >= end_ms or first_day > last_day:
        unprocessable("to", "Must not be before `from`.", "query")
    return Window(first_day, last_day, start_ms, end_ms, tz)


def period_count(win, group):
    """How many periods of ``group`` the window touches."""
    first = period_start(win.first_day, group)
    if group == "month":
        return (win.last_day.year - first.year) * 12 + win.last_day.month - first.month + 1
    return (win.last_day - first).days // (7 if group == "week" else 1) + 1


def periods(win, group):
    """[(label, first_day, last_day, start_ms, end_ms)] covering the window, clipped to it;
    a 422 naming the limit when that would be more than MAX_PERIODS rows."""
    count = period_count(win, group)
    if count > MAX_PERIODS:
        unprocessable(
            "from",
            f"At most {MAX_PERIODS} periods per report: this range has {count} {group}s; "
            "narrow the range or group by a longer period.",
            "query",
        )
    result = []
    day = period_start(win.first_day, group)
    while day is not None and day <= win.last_day:
        following = next_period(day, group)
        last = win.last_day if following is None else min(following - timedelta(days=1), win.last_day)
        first = max(day, win.first_day)
        start_ms = max(epoch_ms(local_day_start(first, win.tz)), win.start_ms)
        end_ms = min(epoch_ms(end_of_day(last, win.tz)), win.end_ms)
        result.append((label(day, group), first, last, start_ms, end_ms))
        day = following
    return result


def label(day, group):
    if group == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if group == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()

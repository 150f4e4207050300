"""Time helpers: everything the server stores is an aware UTC datetime.

Python dates end at years 1 and 9999. An input that only fits in another offset
(``0001-01-01T00:00:00+14:00`` is in year 0 in UTC) is refused as out of range; the
helpers that step from a valid date (the start of a local day, the end of a day, the
local date of an instant) saturate at the ends instead of overflowing, so a query such
as ``to=9999-12-31`` ("no end") simply covers everything.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bson.tz_util import utc as STORED_UTC  # the zone PyMongo gives the dates it reads

UTC = timezone.utc
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


class OutOfRange(ValueError):
    """A timestamp that has no UTC date between 0001-01-01 and 9999-12-31."""

    def __init__(self):
        super().__init__("Out of range: must fall between 0001-01-01 and 9999-12-31 in UTC.")


def utcnow():
    """Now in UTC, truncated to milliseconds (BSON dates keep no more)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def utc_today():
    """Today's date in UTC: the day invoices turn overdue on, and the read cache's day."""
    return utcnow().date()


def as_utc(value):
    """Aware UTC datetime from an aware or naive (taken as UTC) datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except OverflowError as exc:
        raise OutOfRange() from exc
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def utc_isoformat(value):
    """``as_utc(value).isoformat()``; a date read from the database (UTC, whole milliseconds)
    needs no conversion (a thousand-entry list renders four thousand of them)."""
    zone = value.tzinfo
    if (zone is STORED_UTC or zone is UTC) and not value.microsecond % 1000:
        return value.isoformat()
    return as_utc(value).isoformat()


def parse_timestamp(text):
    """ISO 8601 text (``Z`` or any offset; naive means UTC; a bare date means UTC midnight)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("Not a valid datetime.")
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time(), UTC)
        parsed = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError("Not a valid datetime.") from exc
    return as_utc(parsed)


def parse_calendar_date(text):
    """A calendar date from ``YYYY-MM-DD`` or a full timestamp (its UTC date)."""
    if isinstance(text, datetime):
        return as_utc(text).date()
    if isinstance(text, date):
        return text
    if isinstance(text, str) and len(text.strip()) == 10:
        try:
            return date.fromisoformat(text.strip())
        except ValueError as exc:
            raise ValueError("Not a valid date.") from exc
    try:
        return parse_timestamp(text).date()
    except OutOfRange:
        raise
    except ValueError as exc:
        raise ValueError("Not a valid date.") from exc


def date_to_datetime(value):
    """Calendar dates are stored as BSON dates at UTC midnight."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    return datetime.combine(value, time(), UTC)


def zone(name):
    """A ZoneInfo from an IANA name; ValueError for unknown names."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {name!r}") from exc


def user_zone(user):
    """The zone of the user's ``settings.timezone`` (UTC when unset or no longer known)."""
    name = ((user or {}).get("settings") or {}).get("timezone")
    try:
        return zone(name)
    except ValueError:
        return UTC
def _saturated(moment):
    """The end of time nearest to ``moment`` (a date or datetime): for a computation that
    left the range there."""
    return EARLIEST if moment.year < 5000 else LATEST


def local_day_start(day, tz):
    """UTC instant at which calendar ``day`` starts in ``tz`` (DST-correct); saturates
    at the ends (0001-01-01 in UTC+14 began before UTC year 1)."""
    try:
        return datetime.combine(day, time(), tz).astimezone(UTC)
    except OverflowError:
        return _saturated(day)


def end_of_day(day, tz=UTC):
    """Exclusive upper bound: the start of the next local day, in UTC (the end of time
    after 9999-12-31)."""
    try:
        following = day + timedelta(days=1)
    except OverflowError:
        return LATEST
    return local_day_start(following, tz)


def local_date(moment, tz):
    """The calendar date of an instant in ``tz``; saturates at date.min / date.max."""
    try:
        return moment.astimezone(tz).date()
    except OverflowError:
        return _saturated(moment).date()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_ms(moment):
    """Exact integer milliseconds since the epoch of an aware datetime."""
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_epoch_ms(ms):
    """The aware UTC datetime of ``epoch_ms``."""
    return EPOCH + timedelta(milliseconds=ms)

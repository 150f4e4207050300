"""Time helpers: everything the server stores is an aware UTC datetime."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc


def utcnow():
    """Now in UTC, truncated to milliseconds (BSON dates keep no more)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def as_utc(value):
    """Aware UTC datetime from an aware or naive (taken as UTC) datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


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
        return as_utc(datetime.fromisoformat(raw))
    except ValueError as exc:
        raise ValueError("Not a valid datetime.") from exc


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


def local_day_start(day, tz):
    """UTC instant at which calendar ``day`` starts in ``tz`` (DST-correct)."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def end_of_day(day, tz=UTC):
    """Exclusive upper bound: the start of the next local day, in UTC."""
    return local_day_start(day + timedelta(days=1), tz)

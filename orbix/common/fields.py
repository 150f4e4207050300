"""Marshmallow fields shared by every resource."""

import re
from datetime import date, datetime

from bson import ObjectId
from bson.errors import InvalidId
from marshmallow import ValidationError, fields

from .. import locale
from . import banking, money, timeutil


class ObjectIdField(fields.Field):
    """An ObjectId rendered and accepted as a 24-hex string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("pattern", "^[0-9a-f]{24}$")
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict) and "$oid" in value:
            value = value["$oid"]
        try:
            return ObjectId(value)
        except (InvalidId, TypeError) as exc:
            raise ValidationError("Not a valid id.") from exc


def _parsed(parse, value, invalid):
    """``parse(value)``, or a ValidationError: out of range (a UTC date past year 9999 or
    before year 1), else ``invalid``."""
    try:
        return parse(value)
    except timeutil.OutOfRange as exc:
        raise ValidationError(str(exc)) from exc
    except ValueError as exc:
        raise ValidationError(invalid) from exc


class AwareDateTime(fields.DateTime):
    """ISO 8601 timestamps: any offset accepted (naive = UTC), stored and rendered in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        parse = timeutil.as_utc if isinstance(value, datetime) else timeutil.parse_timestamp
        return _parsed(parse, value, "Not a valid datetime.")

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return timeutil.utc_isoformat(value)


class CalendarDate(fields.Date):
    """``YYYY-MM-DD`` (a full timestamp is accepted too); loads as ``datetime.date``."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _parsed(timeutil.parse_calendar_date, value, "Not a valid date.")

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, datetime):
            value = timeutil.as_utc(value).date()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


class Money(fields.Number):
    """An amount in major units: loads to Decimal (no float maths), dumps as a JSON number."""

    num_type = object

    def __init__(self, *, allow_negative=False, max_value=10**12, **kwargs):
        self.allow_negative = allow_negative
        self.max_value = max_value
        kwargs.setdefault("metadata", {}).setdefault("example", 1250.5)
        super().__init__(**kwargs)

    def _format_num(self, value):
        return money.to_decimal(value)

    def _validated(self, value):
        try:
            amount = money.to_decimal(value)
        except money.MoneyError as exc:
            raise ValidationError("Not a valid amount.") from exc
        if not self.allow_negative and amount < 0:
            raise ValidationError("Must not be negative.")
        if abs(amount) > self.max_value:
            raise ValidationError(f"Must not exceed {self.max_value}.")
        return amount

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Not a valid amount.")
        return self._validated(value)

    def _serialize(self, value, attr, obj, **kwargs):
        return money.to_json_number(value)


SCALE_PLACES = money.RATE_SCALE  # factors (quantities, rates, percents) are stored to 1/10000


def at_most_4_places(value):
    """A factor stored exactly as integer ten-thousandths (``money.rate_to_store``)."""
    if value.normalize().as_tuple().exponent < -SCALE_PLACES:
        raise ValidationError(f"At most {SCALE_PLACES} decimal places.")


def Percent(**kwargs):
    """A percent 0-100 with at most 4 decimals (a factor: stored as integer ten-thousandths)."""
    kwargs.setdefault("metadata", {}).setdefault("example", 16)
    return Money(max_value=100, validate=at_most_4_places, **kwargs)


def positive(value):
    if value <= 0:
        raise ValidationError("Must be greater than 0.")


class EmailAddress(fields.Email):
    """An e-mail address of at most 254 characters (RFC 5321's limit), checked before the
    format: marshmallow's Email pattern walks the whole text (about 1 s per megabyte)."""

    MAX_LENGTH = 254

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("maxLength", self.MAX_LENGTH)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) > self.MAX_LENGTH:
            raise ValidationError(f"Longer than maximum length {self.MAX_LENGTH}.")
        return super()._deserialize(value, attr, data, **kwargs)


class Currency(fields.String):
    """An ISO 4217 code; lower case is accepted and upper-cased."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "USD")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not money.is_currency(code):
            raise ValidationError("Not a valid ISO 4217 currency code.")
        return code


class Text(fields.String):
    """A string trimmed of surrounding white space, with a length limit."""

    def __init__(self, *, max_length=None, min_length=None, **kwargs):
        self.max_length = max_length
        self.min_length = min_length
        if max_length is not None:
            kwargs.setdefault("metadata", {})["maxLength"] = max_length
        if min_length is not None:
            kwargs.setdefault("metadata", {})["minLength"] = min_length
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        if self.min_length is not None and len(text) < self.min_length:
            raise ValidationError("Must not be empty." if self.min_length == 1 else f"Shorter than {self.min_length}.")
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(f"Longer than maximum length {self.max_length}.")
        return text


class RangeBound(fields.String):
    """A query bound: ``YYYY-MM-DD`` or an ISO timestamp. Loads to ``(text, is_date_only)``.

    Kept as text so the range helper can resolve a bare date in the caller's time zone.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(text) == 10:
            return (_parsed(date.fromisoformat, text, "Not a valid date or datetime."), True)
        return (_parsed(timeutil.parse_timestamp, text, "Not a valid date or datetime."), False)


class TimeZoneName(fields.String):
    """An IANA time zone name such as ``Europe/Berlin``; loads to a ZoneInfo."""

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            return timeutil.zone(name)
        except ValueError as exc:
            raise ValidationError("Unknown time zone.") from exc


class Rate(fields.Number):
    """An hourly rate in major units. Loads to the stored integer (ten-thousandths, see
    ``money.rate_to_store``) and dumps the stored integer back to a JSON number."""

    num_type = object

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", 85.5)
        super().__init__(**kwargs)

    def _format_num(self, value):
        return value

    def _validated(self, value):
        return value

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Not a valid rate.")
        try:
            rate = money.to_decimal(value)
        except money.MoneyError as exc:
            raise ValidationError("Not a valid rate.") from exc
        if rate < 0:
            raise ValidationError("Must not be negative.")
        if rate > 10**9:
            raise ValidationError("Must not exceed 1000000000.")
        return money.rate_to_store(rate)

    def _serialize(self, value, attr, obj, **kwargs):
        return money.to_json_number(money.rate_from_store(value))


class _BankIdentifier(fields.String):
    """A bank identifier, accepted with spaces and in any case, stored compact in upper case."""

    check = None
    message = ""
    example = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", self.example)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = banking.compact(super()._deserialize(value, attr, data, **kwargs))
        if len(text) > 64 or not self.check(text):
            raise ValidationError(self.message)
        return text


class Iban(_BankIdentifier):
    """An IBAN, its check digits verified (mod 97)."""

    check = staticmethod(banking.iban_is_valid)
    message = "Not a valid IBAN (check the country code, the length and the check digits)."
    example = "DE89370400440532013000"


class Bic(_BankIdentifier):
    """A BIC (SWIFT code) of 8 or 11 characters."""

    check = staticmethod(banking.bic_is_valid)
    message = "Not a valid BIC: 8 or 11 letters and digits (bank, country, location, optional branch)."
    example = "COBADEFFXXX"


class Language(fields.String):
    """A language documents and e-mails are written in (``locale.LANGUAGES``); case-insensitive."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(enum=list(locale.LANGUAGES), example="de")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if code not in locale.LANGUAGES:
            raise ValidationError(f"Must be one of: {', '.join(locale.LANGUAGES)}.")
        return code


class LocaleName(fields.String):
    """A locale of one of those languages (``de_DE``, ``de_CH``, ``pt_BR``; ``-`` is accepted for
    ``_``), checked by Babel and stored in its canonical spelling."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "de_DE")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return locale.parse_locale(super()._deserialize(value, attr, data, **kwargs).strip())
        except locale.LocaleError as exc:
            raise ValidationError(str(exc)) from exc


class HexColor(fields.String):
    """A colour as ``#RRGGBB``, stored in upper case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(pattern="^#[0-9A-Fa-f]{6}$", example="#0B57D0")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", text):
            raise ValidationError("Not a colour: give #RRGGBB, six hexadecimal digits.")
        return text.upper()

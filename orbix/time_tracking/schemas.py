"""Time entry bodies, list filters and the summary shape."""

from marshmallow import ValidationError, fields, validate

from ..common.fields import AwareDateTime, Currency, Money, ObjectIdField, Rate, Text
from ..common.schemas import BaseSchema, DateRangeQueryMixin, DocumentSchema, ListQuerySchema

RATE_SOURCES = ("entry", "project", "client", "user")
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100


def plausible_time(value):
    """Tracked time lies between 1970 and 2100. Without a bound one entry from year 1 to
    9999 would span 3.6 million days, each a row of the by-day summary."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(f"Must be between {EARLIEST_YEAR} and {LATEST_YEAR}.")


def TrackedTime(**kwargs):  # noqa: N802 - a field factory, named like the fields it makes
    return AwareDateTime(validate=plausible_time, **kwargs)


class EntryWriteSchema(DocumentSchema):
    description = Text(max_length=1000, load_default="", allow_none=True)
    project_id = ObjectIdField(allow_none=True, metadata={"description": "One of the caller's projects"})
    start_time = TrackedTime(required=True)
    end_time = TrackedTime(allow_none=True, metadata={"description": "Absent: a running timer"})
    is_billable = fields.Boolean(load_default=True)
    hourly_rate = Rate(allow_none=True)
    tags = fields.List(Text(min_length=1, max_length=50), validate=validate.Length(max=20), load_default=list)


class EntryUpdateSchema(EntryWriteSchema):
    description = Text(max_length=1000, allow_none=True)
    is_billable = fields.Boolean()
    tags = fields.List(Text(min_length=1, max_length=50), validate=validate.Length(max=20))


class StopSchema(BaseSchema):
    end_time = TrackedTime(metadata={"description": "Default: now"})


class EntrySchema(EntryWriteSchema):
    client_id = ObjectIdField(
        dump_only=True, allow_none=True, metadata={"description": "The project's client; null without one"}
    )
    duration = fields.Integer(dump_only=True, metadata={"description": "Seconds; 0 while running"})
    invoice_id = ObjectIdField(
        dump_only=True, allow_none=True, metadata={"description": "The invoice billing it; null until invoiced"}
    )
    invoiced_at = AwareDateTime(dump_only=True, allow_none=True)
    effective_rate = Money(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The hourly rate that applies; null when no rate is set anywhere"},
    )
    rate_source = fields.String(dump_only=True, allow_none=True, metadata={"enum": [*RATE_SOURCES, None]})
    currency = Currency(dump_only=True)
    amount = Money(dump_only=True, metadata={"description": "Billable amount (0 if not billable or running)"})


class EntryListQuerySchema(ListQuerySchema, DateRangeQueryMixin):
    project_id = ObjectIdField()
    client_id = ObjectIdField()
    billable = fields.Boolean()
    invoiced = fields.Boolean()
    running = fields.Boolean()


class BucketSchema(BaseSchema):
    seconds = fields.Integer()
    billable_seconds = fields.Integer()
    amounts = fields.Dict(keys=fields.String(), values=Money(), metadata={"description": "Billable amount by currency"})


class ProjectBucketSchema(BucketSchema):
    project_id = ObjectIdField(allow_none=True)
    name = fields.String(allow_none=True)


class DayBucketSchema(BucketSchema):
    date = fields.String(metadata={"description": "YYYY-MM-DD in the requested tz"})


class SummarySchema(BaseSchema):
    entries = fields.Integer()
    total_seconds = fields.Integer()
    billable_seconds = fields.Integer()
    billable_amounts = fields.Dict(keys=fields.String(), values=Money())
    by_project = fields.List(fields.Nested(ProjectBucketSchema))
    by_day = fields.List(fields.Nested(DayBucketSchema))

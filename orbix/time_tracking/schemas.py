"""Time entry bodies, list filters and the summary shape."""

from marshmallow import fields, validate

from ..common.fields import AwareDateTime, Currency, Money, ObjectIdField, Rate, Text
from ..common.schemas import BaseSchema, DateRangeQueryMixin, DocumentSchema, ListQuerySchema

RATE_SOURCES = ("entry", "project", "client", "user")


class EntryWriteSchema(DocumentSchema):
    description = Text(max_length=1000, load_default="", allow_none=True)
    project_id = ObjectIdField(allow_none=True, metadata={"description": "One of the caller's projects"})
    start_time = AwareDateTime(required=True)
    end_time = AwareDateTime(allow_none=True, metadata={"description": "Absent: a running timer"})
    is_billable = fields.Boolean(load_default=True)
    hourly_rate = Rate(allow_none=True)
    tags = fields.List(Text(min_length=1, max_length=50), validate=validate.Length(max=20), load_default=list)


class EntryUpdateSchema(EntryWriteSchema):
    description = Text(max_length=1000, allow_none=True)
    is_billable = fields.Boolean()
    tags = fields.List(Text(min_length=1, max_length=50), validate=validate.Length(max=20))


class StopSchema(BaseSchema):
    end_time = AwareDateTime(metadata={"description": "Default: now"})


class EntrySchema(EntryWriteSchema):
    client_id = ObjectIdField(dump_only=True)
    duration = fields.Integer(dump_only=True, metadata={"description": "Seconds; 0 while running"})
    invoice_id = ObjectIdField(dump_only=True)
    invoiced_at = AwareDateTime(dump_only=True)
    effective_rate = Money(dump_only=True, metadata={"description": "The hourly rate that applies"})
    rate_source = fields.String(dump_only=True, allow_none=True, metadata={"enum": list(RATE_SOURCES)})
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

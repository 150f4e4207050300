"""Project bodies: what may be written, and what is rendered."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..common.fields import CalendarDate, Currency, Money, ObjectIdField, Rate, Text
from ..common.schemas import DocumentSchema, ListQuerySchema

STATUSES = ("active", "completed", "on_hold", "cancelled")


class ProjectWriteSchema(DocumentSchema):
    name = Text(required=True, min_length=1, max_length=200)
    description = Text(max_length=5000, allow_none=True)
    client_id = ObjectIdField(allow_none=True, metadata={"description": "One of the caller's clients"})
    status = fields.String(load_default="active", validate=validate.OneOf(STATUSES))
    hourly_rate = Rate(allow_none=True)
    budget = Money(
        allow_none=True, metadata={"description": "In the project currency (the client's, else the user's default)"}
    )
    budget_hours = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1_000_000))
    start_date = CalendarDate(allow_none=True)
    end_date = CalendarDate(allow_none=True)
    archived = fields.Boolean(load_default=False)

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("Must not be before start_date.", "end_date")


class ProjectUpdateSchema(ProjectWriteSchema):
    """Partial update: every field optional, null clears optional fields."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    archived = fields.Boolean()


class ProjectSchema(ProjectWriteSchema):
    currency = Currency(dump_only=True)


class ConsumptionSchema(ProjectSchema):
    """One project with what it has consumed so far (stopped time entries)."""

    tracked_seconds = fields.Integer(dump_only=True)
    billable_seconds = fields.Integer(dump_only=True)
    billable_amount = Money(dump_only=True)
    remaining_budget = Money(
        dump_only=True,
        allow_negative=True,
        allow_none=True,
        metadata={"description": "budget - billable_amount; null without a budget"},
    )
    remaining_hours = fields.Float(
        dump_only=True,
        allow_none=True,
        metadata={"description": "budget_hours - tracked hours; null without budget_hours"},
    )


class ProjectListQuerySchema(ListQuerySchema):
    client_id = ObjectIdField()
    status = fields.String(validate=validate.OneOf(STATUSES))
    archived = fields.Boolean(metadata={"description": "true: only archived; false (default): only active"})

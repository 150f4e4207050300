"""Recurring invoice bodies: the template (the invoice schemas' own fields), when it runs, and
what is rendered. Rules that involve several fields (end date or count, a project for tracked
time) are checked by the service on the whole document, so PUT/PATCH get them too."""

from marshmallow import ValidationError, fields, pre_dump, pre_load, validate

from ..common.fields import AwareDateTime, CalendarDate, Money, ObjectIdField, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from ..invoices.schemas import InvoicePricingSchema, ItemSchema, SendInvoiceSchema, item_list, money_view
from ..time_tracking.schemas import plausible_time
from .schedule import FREQUENCIES, LAST

MAX_INTERVAL = 100
MAX_COUNT = 10_000
MAX_PREVIEW = 100
STATUSES = ("active", "paused", "finished")


class DayOfMonth(fields.Field):
    """1-28, or ``"last"`` for the last day of every month."""

    def __init__(self, **kwargs):
        kinds = [{"type": "integer", "minimum": 1, "maximum": 28}, {"type": "string", "enum": [LAST]}]
        kwargs.setdefault("metadata", {}).update(
            oneOf=[*kinds, {"type": "null"}] if kwargs.get("allow_none") else kinds,
            description="Monthly, quarterly and yearly: the day the invoice is issued (default: start_date's day; "
            "29-31 become the last day of shorter months)",
        )
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value == LAST:
            return LAST
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 28:
            raise ValidationError('Must be a day from 1 to 28, or "last".')
        return value


class RecurringWriteSchema(InvoicePricingSchema):
    name = Text(max_length=200, allow_none=True, metadata={"example": "Monthly retainer"})
    client_id = ObjectIdField(required=True)
    project_id = ObjectIdField(allow_none=True, metadata={"description": "One of the client's projects"})
    items = item_list(min_items=0, load_default=list, metadata={
        "description": "The lines of every invoice (at least one, unless bill_project_time)"})
    frequency = fields.String(required=True, validate=validate.OneOf(FREQUENCIES))
    interval = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_INTERVAL),
                              metadata={"description": "Every N weeks, months, quarters or years"})
    start_date = CalendarDate(required=True, validate=plausible_time,
                              metadata={"description": "The first run (weekly: also the weekday)"})
    end_date = CalendarDate(allow_none=True, validate=plausible_time,
                            metadata={"description": "No run after this date (or give count)"})
    count = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_COUNT),
                           metadata={"description": "At most this many runs (or give end_date)"})
    day_of_month = DayOfMonth(allow_none=True)
    auto_send = fields.Boolean(load_default=False, metadata={"description": "E-mail each invoice when it is made"})
    send_options = fields.Nested(SendInvoiceSchema, allow_none=True,
                                 metadata={"description": "What auto_send sends (as POST /api/invoices/{id}/send)"})
    bill_project_time = fields.Boolean(load_default=False, metadata={
        "description": "Also bill the project's unbilled, billable time that started in the period just ended"})
    active = fields.Boolean(load_default=True, metadata={"description": "false: created paused"})


class RecurringUpdateSchema(RecurringWriteSchema):
    """Partial: every field optional; ``active`` changes only through pause and resume."""

    @pre_load
    def _no_active(self, data, **kwargs):
        if isinstance(data, dict) and "active" in data:
            raise ValidationError(
                "Use POST /api/recurring-invoices/{id}/pause or /resume to change it.", "active"
            )
        return data


class RecurringInvoiceSchema(RecurringWriteSchema, DocumentSchema):
    items = fields.List(fields.Nested(ItemSchema))
    currency = fields.String()
    payment_terms = fields.String()
    tax_rate = Money(allow_none=True)
    discount_rate = Money(allow_none=True)
    subtotal = Money(metadata={"description": "Of the template's lines (tracked time is added at each run)"})
    discount = Money()
    tax = Money()
    total = Money()
    status = fields.String(metadata={"enum": list(STATUSES), "description": "active, paused or finished (no run left)"})
    next_run_date = CalendarDate(allow_none=True, metadata={"description": "null once finished"})
    runs_count = fields.Integer(metadata={"description": "Runs done (counted against count)"})
    last_run_date = CalendarDate(allow_none=True)
    last_invoice_id = ObjectIdField(allow_none=True)
    last_error = fields.String(allow_none=True, metadata={
        "description": "Why the next run could not make its invoice (it is tried again every hour)"})
    skipped_runs = fields.Integer(metadata={
        "description": "Runs left out because more than 100 were due at once (after a long outage)"})

    @pre_dump
    def _major_units(self, doc, **kwargs):
        return money_view(doc)


class RecurringListQuerySchema(ListQuerySchema):
    client_id = ObjectIdField()
    active = fields.Boolean(metadata={"description": "true: active only; false: paused only"})


class PreviewQuerySchema(BaseSchema):
    count = fields.Integer(load_default=5, validate=validate.Range(min=1, max=MAX_PREVIEW),
                           metadata={"description": f"How many runs (default 5, at most {MAX_PREVIEW})"})


class RecurringPreviewSchema(BaseSchema):
    run_date = CalendarDate(metadata={"description": "The invoice's issue date"})
    due_date = CalendarDate()
    period_start = CalendarDate(allow_none=True, metadata={
        "description": "bill_project_time: time that started from this day ..."})
    period_end = CalendarDate(allow_none=True, metadata={"description": "... to this day (inclusive) is billed"})
    currency = fields.String()
    subtotal = Money()
    discount = Money()
    tax = Money()
    total = Money(metadata={"description": "Of the template; tracked time, if billed, comes on top"})

    @pre_dump
    def _major_units(self, doc, **kwargs):
        return money_view(doc)


class RecurringRunSchema(BaseSchema):
    """One run: the claim of a (schedule, run date) and what became of it."""

    run_date = CalendarDate()
    state = fields.String(metadata={"description": "claimed, invoiced, nothing_to_bill or failed"})
    invoice_id = ObjectIdField(allow_none=True, metadata={"description": "The invoice made (once invoiced)"})
    invoice_number = fields.String(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "Why the invoice could not be made"})
    send_status = fields.String(allow_none=True, metadata={"description": "auto_send: queued or failed"})
    message_id = ObjectIdField(allow_none=True, metadata={"description": "The queued e-mail"})
    send_error = fields.String(allow_none=True, metadata={"description": "Why the e-mail could not be queued"})
    claimed_at = AwareDateTime()
    updated_at = AwareDateTime()

"""Estimate bodies: the invoice's item and pricing schemas (imported, never copied, so estimates
price lines exactly as invoices do), plus the estimate's own dates, terms and answers."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..common.fields import AwareDateTime, CalendarDate, Money, ObjectIdField, Text
from ..common.schemas import BaseSchema, DateRangeQueryMixin, ListQuerySchema
from ..invoices.schemas import (
    InvoicePricingSchema,
    InvoiceSummarySchema,
    ItemSchema,
    SendInvoiceSchema,
    item_list,
    one_line,
)
from . import lifecycle


class EstimateContentSchema(InvoicePricingSchema):
    """Pricing (as invoices: currency, tax, discount, notes, payment terms for the invoice it
    becomes), dates and terms."""

    class Meta(InvoicePricingSchema.Meta):
        exclude = ("reminders_enabled",)

    project_id = ObjectIdField(allow_none=True, metadata={"description": "One of your projects"})
    date = CalendarDate(metadata={"description": "Issue date (default today)"})
    valid_until = CalendarDate(
        metadata={"description": "Last day the client can accept (default: date + settings.estimate_valid_days, 30)"}
    )
    terms = Text(max_length=5000, allow_none=True, metadata={"description": "Conditions of the offer"})

    @validates_schema
    def _valid_after_issue(self, data, **kwargs):
        if data.get("date") and data.get("valid_until") and data["valid_until"] < data["date"]:
            raise ValidationError("Must not be before date.", "valid_until")


class EstimateWriteSchema(EstimateContentSchema):
    client_id = ObjectIdField(required=True)
    items = item_list(required=True)


class EstimateUpdateSchema(EstimateWriteSchema):
    """Partial: content fields (drafts only) and/or ``status``."""

    status = fields.String(
        validate=validate.OneOf([lifecycle.SENT, lifecycle.ACCEPTED, lifecycle.DECLINED]),
        metadata={"description": "draft -> sent (no e-mail); sent -> accepted or declined (the client's answer "
                                 "given another way)"},
    )


class EstimateSummarySchema(InvoiceSummarySchema):
    """What lists render (and what the list query projects)."""

    class Meta(InvoiceSummarySchema.Meta):
        exclude = ("invoice_number", "due_date", "amount_paid", "balance_due", "recurring_invoice_id")

    estimate_number = fields.String()
    status = fields.String(
        metadata={"description": "draft, sent, accepted, declined, or expired (a sent estimate past valid_until)"}
    )
    valid_until = CalendarDate()
    converted_invoice_id = ObjectIdField(
        allow_none=True, dump_default=None, metadata={"description": "The invoice it was converted into"}
    )


class EstimateSchema(EstimateSummarySchema):
    items = fields.List(fields.Nested(ItemSchema))
    tax_rate = Money(allow_none=True)
    discount_rate = Money(allow_none=True)
    terms = fields.String(allow_none=True)
    client = fields.Dict(allow_none=True, metadata={"description": "Client details as of sending (live for drafts)"})
    business = fields.Dict(allow_none=True, metadata={"description": "Your details as of sending (live for drafts)"})
    sent_at = AwareDateTime(allow_none=True)
    accepted_at = AwareDateTime(allow_none=True)
    declined_at = AwareDateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True)


class EstimateListQuerySchema(ListQuerySchema, DateRangeQueryMixin):
    status = fields.String(
        validate=validate.OneOf(lifecycle.STATUSES), metadata={"description": "Effective status (expired is computed)"}
    )
    client_id = ObjectIdField()
    project_id = ObjectIdField()


class SendEstimateSchema(SendInvoiceSchema):
    """``POST /api/estimates/{id}/send``: every field optional."""

    subject = Text(min_length=1, max_length=200, validate=one_line,
                   metadata={"description": "Default: 'Estimate <number> from <business name>'"})


class ConvertSchema(BaseSchema):
    create_project = fields.Boolean(
        load_default=False, metadata={"description": "Also create a project for the client, budget = the total"}
    )
    project_name = Text(min_length=1, max_length=200, metadata={"description": "Default: 'Estimate <number>'"})
    due_date = CalendarDate(
        metadata={"description": "The invoice's due date (default: from the estimate's payment terms, else yours; "
                                 "422 when neither is set)"}
    )

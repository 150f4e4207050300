"""Invoice and payment bodies: what may be written, and how stored documents render.

Stored money is integer minor units (and quantities/rates integer ten-thousandths);
``pre_dump`` turns them back into Decimals so the shared ``Money`` field renders JSON
numbers in major units.
"""

from marshmallow import RAISE, ValidationError, fields, pre_dump, pre_load, validate, validates_schema

from ..common import money
from ..common.fields import (
    AwareDateTime,
    CalendarDate,
    Currency,
    EmailAddress,
    Money,
    ObjectIdField,
    Percent,
    Text,
    at_most_4_places,
    positive,
)
from ..common.schemas import BaseSchema, DateRangeQueryMixin, DocumentSchema, ListQuerySchema
from ..einvoice.fields import InvoiceTaxFieldsMixin, buyer_reference_field, unit_code_field
from ..taxes.schemas import LineTaxSchema, LineTaxWriteSchema
from . import lifecycle, totals

METHODS = ("bank_transfer", "card", "cash", "check", "mobile_money", "paypal", "other")  # of a payment
MONEY_FIELDS = ("subtotal", "discount", "tax", "total", "amount_paid", "amount_credited", "balance_due")
RATE_FIELDS = ("tax_rate", "discount_rate")


MAX_LINE_TAXES = 3


class ItemWriteSchema(BaseSchema):
    """A line; unknown fields are refused (422), so a misspelt tax or discount is never dropped."""

    class Meta:
        unknown = RAISE

    description = Text(required=True, min_length=1, max_length=1000)
    quantity = Money(required=True, max_value=10**6, validate=[positive, at_most_4_places], metadata={"example": 2.5})
    rate = Money(required=True, max_value=10**9, validate=at_most_4_places, metadata={"example": 85})
    amount = fields.Raw(
        load_only=True, allow_none=True,
        metadata={"description": "Ignored: the server computes quantity x rate - discount"},
    )
    discount_percent = Percent(allow_none=True, metadata={"description": "Line discount, percent of quantity x rate"})
    discount_amount = Money(
        allow_none=True, max_value=10**12, validate=at_most_4_places,
        metadata={"description": "Line discount as an amount (or give discount_percent)", "example": 10},
    )
    unit_code = unit_code_field()
    taxes = fields.List(
        fields.Nested(LineTaxWriteSchema),
        validate=validate.Length(max=MAX_LINE_TAXES, error=f"At most {MAX_LINE_TAXES} taxes per line."),
        metadata={"description": "Up to 3 taxes, applied in order: one of your tax rates ({tax_rate_id}, copied) or "
                  "{name, percent, compound?, category?, exemption_reason?}"},
    )

    @validates_schema
    def _one_discount(self, data, **kwargs):
        if data.get("discount_percent") is not None and data.get("discount_amount") is not None:
            raise ValidationError("Give discount_percent or discount_amount, not both.", "discount_amount")


class ItemSchema(BaseSchema):
    description = fields.String()
    quantity = Money()
    rate = Money()
    amount = Money(metadata={"description": "Line net: quantity x rate - discount, rounded to the currency"})
    discount_percent = Money(allow_none=True)
    discount_amount = Money(allow_none=True)
    discount = Money(metadata={"description": "The line's discount, rounded (with discount_percent or _amount)"})
    taxes = fields.List(fields.Nested(LineTaxSchema))
    unit_code = fields.String(allow_none=True, metadata={"description": "UN/ECE Rec 20 unit, when one was given"})
    time_entry_ids = fields.List(ObjectIdField())
    expense_ids = fields.List(ObjectIdField())


class TaxBreakdownSchema(BaseSchema):
    name = fields.String()
    percent = Money(allow_none=True, metadata={"description": "null: a tax given as an amount"})
    compound = fields.Boolean()
    category = fields.String()
    exemption_reason = fields.String(allow_none=True)
    taxable_amount = Money(metadata={"description": "Sum of the lines' bases for this tax, rounded"})
    tax_amount = Money(metadata={"description": "percent of taxable_amount, rounded; these sum to `tax`"})


def item_list(min_items=1, **kwargs):
    """The ``items`` field of a write body: 1 to 500 lines (``min_items=0`` where tracked time may
    provide every line)."""
    return fields.List(
        fields.Nested(ItemWriteSchema),
        validate=validate.Length(min=min_items, max=500, error=f"Between {min_items} and 500 items."),
        **kwargs,
    )


class InvoicePricingSchema(BaseSchema):
    """Payment terms, currency, tax, discount and notes: what an invoice sets besides its lines and
    dates (shared by manual, tracked-time and recurring invoices)."""

    payment_terms = Text(max_length=100, allow_none=True, metadata={"example": "Net 30"})
    currency = Currency(
        allow_none=True, metadata={"description": "Default: the client's currency, then yours, then USD"}
    )
    tax = Money(allow_none=True, metadata={"description": "Tax amount (or give tax_rate)"})
    tax_rate = Percent(allow_none=True)
    discount = Money(allow_none=True, metadata={"description": "Discount amount (or give discount_rate)"})
    discount_rate = Percent(allow_none=True)
    notes = Text(max_length=5000, allow_none=True)
    reminders_enabled = fields.Boolean(
        metadata={"description": "Send payment reminders for this invoice (default true); can be changed at any "
                  "time, also after sending"}
    )

    @validates_schema
    def _one_of_amount_or_rate(self, data, **kwargs):
        for name in ("tax", "discount"):
            if data.get(name) is not None and data.get(f"{name}_rate") is not None:
                raise ValidationError(
                    f"Give either {name} (an amount) or {name}_rate (a percent), not both.", f"{name}_rate"
                )


class InvoiceTermsSchema(InvoicePricingSchema, InvoiceTaxFieldsMixin):
    """Pricing, dates and e-invoice references: shared by manual and tracked-time invoices."""

    date = CalendarDate(metadata={"description": "Issue date (default today); backdating is allowed"})
    due_date = CalendarDate(allow_none=True, metadata={"description": "Default: from payment_terms"})
    buyer_reference = buyer_reference_field(example="04011000-12345-03")
    purchase_order = Text(max_length=200, allow_none=True, metadata={"description": "The buyer's order number"})


class InvoiceWriteSchema(InvoiceTermsSchema):
    client_id = ObjectIdField(required=True)
    items = item_list(required=True)


class InvoiceUpdateSchema(InvoiceWriteSchema):
    """Partial: content fields (drafts only) and/or ``status``."""

    status = fields.String(validate=validate.OneOf(lifecycle.STATUSES))


class PaymentWriteSchema(BaseSchema):
    amount = Money(required=True, validate=positive)
    date = CalendarDate(metadata={"description": "Payment date (default today)"})
    method = fields.String(load_default="other", validate=validate.OneOf(METHODS))
    note = Text(max_length=1000, allow_none=True)


class PaymentSchema(DocumentSchema):
    invoice_id = ObjectIdField()
    amount = Money()
    currency = fields.String()
    date = CalendarDate()
    method = fields.String()
    note = fields.String(allow_none=True)
    reference = fields.String(dump_only=True, metadata={
        "description": "The payment provider's id of an online payment (Stripe: the payment intent)"})

    @pre_dump
    def _major_units(self, doc, **kwargs):
        return {**doc, "amount": money.from_minor(doc["amount"], doc["currency"])}


def _item_view(item, currency):
    view = totals.input_item(item)
    view["amount"] = money.from_minor(item["amount"], currency)
    if "discount" in item:
        view["discount"] = money.from_minor(item["discount"], currency)
    return view


def _breakdown_view(doc, currency):
    rows = doc["tax_breakdown"] if "tax_breakdown" in doc else totals.invoice_level_breakdown(doc)
    return [
        {**row, "percent": totals.from_scaled(row["percent"]),
         **{name: money.from_minor(row[name], currency) for name in ("taxable_amount", "tax_amount")}}
        for row in rows
    ]


def money_view(doc):
    """A stored invoice (or credit note) with its amounts in major units (Decimal)."""
    currency = doc["currency"]
    view = dict(doc)
    for name in MONEY_FIELDS:
        if name in doc:
            view[name] = money.from_minor(doc[name], currency)
    for name in RATE_FIELDS:
        if name in doc:
            view[name] = totals.from_scaled(doc[name])
    if "items" in doc:
        view["items"] = [_item_view(item, currency) for item in doc["items"]]
    if "items" in doc and "tax" in doc:
        view["tax_breakdown"] = _breakdown_view(doc, currency)
    if doc.get("credit_notes"):
        view["credit_notes"] = [{**note, "total": money.from_minor(note["total"], currency)}
                                for note in doc["credit_notes"]]
    return view


class CreditNoteBriefSchema(BaseSchema):
    _id = ObjectIdField()
    credit_note_number = fields.String()
    date = CalendarDate()
    total = Money()
    reason = fields.String()


class InvoiceSummarySchema(DocumentSchema):
    """What lists render (and what the list query projects)."""

    invoice_number = fields.String()
    client_id = ObjectIdField()
    project_id = ObjectIdField(allow_none=True)
    recurring_invoice_id = ObjectIdField(
        allow_none=True, metadata={"description": "The recurring invoice that produced it (absent otherwise)"}
    )
    status = fields.String(metadata={"description": "Effective status: overdue once an unpaid invoice is past due"})
    date = CalendarDate()
    due_date = CalendarDate()
    payment_terms = fields.String(allow_none=True)
    currency = fields.String()
    subtotal = Money()
    discount = Money()
    tax = Money()
    total = Money()
    amount_paid = Money()
    amount_credited = Money(dump_default=0, metadata={"description": "Taken off by credit notes"})
    balance_due = Money(metadata={"description": "total - amount_paid - amount_credited"})
    notes = fields.String(allow_none=True)
    viewed_at = AwareDateTime(
        allow_none=True, dump_default=None,
        metadata={"description": "When the client first opened the public page (null: never)"},
    )
    view_count = fields.Integer(dump_default=0, metadata={"description": "Views of the public page"})

    @pre_dump
    def _major_units(self, doc, **kwargs):
        return money_view(doc)


class ReminderSentSchema(BaseSchema):
    step = fields.Integer(metadata={"description": "Days from the due date (negative: before it)"})
    sent_at = AwareDateTime(metadata={"description": "When the reminder was handed to the mail worker"})
    message_id = ObjectIdField(metadata={"description": "The e-mail in GET /api/invoices/{id}/messages"})


class InvoiceSchema(InvoiceSummarySchema):
    items = fields.List(fields.Nested(ItemSchema))
    tax_breakdown = fields.List(
        fields.Nested(TaxBreakdownSchema),
        metadata={"description": "The tax per tax (line taxes) or the invoice-level tax; tax_amount sums to `tax`"},
    )
    buyer_reference = fields.String(allow_none=True, metadata={"description": "Overrides the client's (e-invoices)"})
    purchase_order = fields.String(allow_none=True)
    tax_category = fields.String(allow_none=True, metadata={"description": "VAT category for e-invoices"})
    tax_exemption_reason = fields.String(allow_none=True)
    tax_rate = Money(allow_none=True)
    discount_rate = Money(allow_none=True)
    client = fields.Dict(allow_none=True, metadata={"description": "Client details as of sending (live for drafts)"})
    business = fields.Dict(
        allow_none=True, metadata={"description": "Your business details as of sending (live for drafts)"}
    )
    time_entry_ids = fields.List(ObjectIdField())
    expense_ids = fields.List(ObjectIdField(), metadata={"description": "Expenses billed here (from-time)"})
    exchange_rate = Money(
        allow_none=True, metadata={"description": "Set when tracked time priced in exchange_from was billed here"}
    )
    exchange_from = fields.String(allow_none=True, metadata={"description": "Currency the time was priced in"})
    sent_at = AwareDateTime(allow_none=True)
    paid_at = AwareDateTime(allow_none=True)
    voided_at = AwareDateTime(allow_none=True)
    payments = fields.List(fields.Nested(PaymentSchema))
    credit_notes = fields.List(
        fields.Nested(CreditNoteBriefSchema), metadata={"description": "Credit notes against it, oldest first"}
    )
    reminders_enabled = fields.Boolean(dump_default=True)
    reminders_sent = fields.List(fields.Nested(ReminderSentSchema), metadata={"description": "Reminder steps sent"})


class InvoiceListQuerySchema(ListQuerySchema, DateRangeQueryMixin):
    status = fields.String(
        validate=validate.OneOf(lifecycle.STATUSES), metadata={"description": "Effective status (overdue is computed)"}
    )
    client_id = ObjectIdField()
    project_id = ObjectIdField(metadata={"description": "Invoices of this project (e.g. billed from its time)"})
    recurring_invoice_id = ObjectIdField(metadata={"description": "Invoices produced by this recurring invoice"})
    overdue = fields.Boolean(metadata={"description": "true: only overdue; false: none overdue"})


class FromTimeSchema(InvoiceTermsSchema):
    """Bill the caller's unbilled, billable, stopped time entries, and billable expenses."""

    client_id = ObjectIdField()
    project_id = ObjectIdField()
    entry_ids = fields.List(ObjectIdField(), validate=validate.Length(min=1, max=2000))
    from_ = CalendarDate(
        data_key="from", metadata={"description": "Entries starting (expenses dated) on or after this date"}
    )
    to = CalendarDate(metadata={"description": "Entries starting (expenses dated) on or before this date (inclusive)"})
    include_time = fields.Boolean(
        load_default=True, metadata={"description": "false: bill no time entries (only expenses)"}
    )
    expense_ids = fields.List(
        ObjectIdField(),
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Billable expenses of the client (and project) to bill, in the invoice's currency"},
    )
    include_expenses = fields.Boolean(
        load_default=False,
        metadata={"description": "true: also bill every unbilled billable expense of the client (and project) "
                  "dated in from/to"},
    )
    exchange_rate = Money(
        allow_none=True,
        max_value=10**6,
        metadata={
            "description": "Units of `currency` per unit of the time's billing currency (the client's, else "
            "yours), required when they differ: e.g. 0.92 to bill USD-priced time in EUR",
            "example": 0.92,
        },
    )
    grouping = fields.String(
        load_default="entry",
        validate=validate.OneOf(["entry", "project", "rate"]),
        metadata={"description": "entry: a line per entry; project: per project and rate; rate: a line per rate"},
    )

    @validates_schema
    def _selection(self, data, **kwargs):
        if not data.get("client_id") and not data.get("project_id"):
            raise ValidationError("Give client_id or project_id.", "client_id")
        if data.get("entry_ids") and (data.get("from_") or data.get("to")):
            raise ValidationError("Give entry_ids or a from/to range, not both.", "entry_ids")
        if data.get("entry_ids") and not data.get("include_time", True):
            raise ValidationError("Give entry_ids only when billing time (include_time true).", "entry_ids")
        if data.get("expense_ids") and data.get("include_expenses"):
            raise ValidationError("Give expense_ids or include_expenses, not both.", "expense_ids")
        if data.get("expense_ids") and (data.get("from_") or data.get("to")):
            raise ValidationError("Give expense_ids or a from/to range, not both.", "expense_ids")
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("Must not be before `from`.", "to")


MAX_RECIPIENTS = 20


def one_line(value):
    if "\r" in value or "\n" in value:
        raise ValidationError("Must not contain line breaks.")


class SendInvoiceSchema(BaseSchema):
    """``POST /api/invoices/{id}/send``: every field optional."""

    to = fields.List(EmailAddress(), validate=validate.Length(min=1, max=MAX_RECIPIENTS),
                     metadata={"description": "Recipients (default: the client's e-mail); one address or a list"})
    cc = fields.List(EmailAddress(), validate=validate.Length(max=MAX_RECIPIENTS))
    subject = Text(min_length=1, max_length=200, validate=one_line,
                   metadata={"description": "Default: 'Invoice <number> from <business name>'"})
    message = Text(max_length=10000, allow_none=True, metadata={"description": "Your words above the summary"})
    attach_pdf = fields.Boolean(load_default=True)

    @pre_load
    def _single_addresses(self, data, **kwargs):
        """``"to": "a@b.c"`` is taken as ``["a@b.c"]``."""
        if isinstance(data, dict):
            data = dict(data)
            for name in ("to", "cc"):
                if isinstance(data.get(name), str):
                    data[name] = [data[name]]
        return data


class PublicLinkSchema(BaseSchema):
    """A new link to the invoice's public page (``/i/<token>``)."""

    url = fields.String(
        required=True,
        metadata={"description": "Anyone with this link can view the invoice and download its PDF, until revoked. "
                                 "Shown once: only a hash of its token is stored."},
    )
    created_at = AwareDateTime(required=True)

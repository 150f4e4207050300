"""Expense and category bodies, list filters, and how stored expenses render.

Stored money is integer minor units and the markup integer ten-thousandths; ``pre_dump``
turns them back into Decimals so the shared ``Money`` field renders JSON numbers."""

from marshmallow import fields, pre_dump, validate

from ..common import money
from ..common.fields import AwareDateTime, CalendarDate, Currency, Money, ObjectIdField, Text, at_most_4_places
from ..common.schemas import BaseSchema, DateRangeQueryMixin, DocumentSchema, ListQuerySchema
from . import pricing

MAX_MARKUP = 1000


class ExpenseWriteSchema(DocumentSchema):
    date = CalendarDate(required=True, metadata={"description": "When it was spent (YYYY-MM-DD)"})
    amount = Money(
        required=True,
        metadata={"description": "What was spent, in major units of `currency` (rounded half-up to its minor unit)"},
    )
    currency = Currency(allow_none=True, metadata={"description": "ISO 4217; default: your default currency, or USD"})
    category_id = ObjectIdField(allow_none=True, metadata={"description": "One of your expense categories"})
    category = Text(
        min_length=1,
        max_length=100,
        allow_none=True,
        metadata={"description": "A category by name (case-insensitive), instead of category_id"},
    )
    vendor = Text(max_length=200, allow_none=True)
    notes = Text(max_length=5000, allow_none=True)
    client_id = ObjectIdField(allow_none=True, metadata={"description": "Your client; required when billable"})
    project_id = ObjectIdField(
        allow_none=True, metadata={"description": "Your project (of client_id, which it sets when absent)"}
    )
    billable = fields.Boolean(load_default=False, metadata={"description": "To be billed on to the client"})
    markup_percent = Money(
        allow_none=True,
        max_value=MAX_MARKUP,
        validate=at_most_4_places,
        metadata={"description": "Percent added when billed (0-1000, at most 4 decimals; default 0)", "example": 12.5},
    )
    receipt_file_id = ObjectIdField(
        allow_none=True, metadata={"description": "A file you uploaded with purpose `receipt`"}
    )


class ExpenseSchema(ExpenseWriteSchema):
    category = fields.String(dump_only=True, allow_none=True, metadata={"description": "The category's name"})
    amount_with_markup = Money(dump_only=True, metadata={"description": "amount x (1 + markup_percent/100), rounded"})
    invoice_id = ObjectIdField(
        dump_only=True, allow_none=True, metadata={"description": "The invoice billing it; null until billed"}
    )
    invoiced_at = AwareDateTime(dump_only=True, allow_none=True)

    @pre_dump
    def _major_units(self, doc, **kwargs):
        currency = doc["currency"]
        return {
            **doc,
            "amount": money.from_minor(doc["amount"], currency),
            "markup_percent": pricing.markup_from_store(doc.get("markup_percent")),
            "amount_with_markup": pricing.billed_price(doc),
        }


class ExpenseListQuerySchema(ListQuerySchema, DateRangeQueryMixin):
    client_id = ObjectIdField()
    project_id = ObjectIdField()
    category_id = ObjectIdField()
    category = fields.String(validate=validate.Length(max=100), metadata={"description": "Category name"})
    currency = Currency()
    billable = fields.Boolean()
    billed = fields.Boolean(metadata={"description": "true: on an invoice; false: not (yet)"})


class CategoryWriteSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=100)


class CategorySchema(DocumentSchema, CategoryWriteSchema):
    pass


class CategoryListQuerySchema(ListQuerySchema):
    pass

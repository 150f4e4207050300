"""Credit note bodies and how stored credit notes render (amounts as in ``schemas.money_view``)."""

from marshmallow import ValidationError, fields, pre_dump, validates_schema

from ..common.fields import CalendarDate, Money, ObjectIdField, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from .schemas import ItemSchema, TaxBreakdownSchema, item_list, money_view


class CreditNoteWriteSchema(BaseSchema):
    """The whole invoice (``full``) or some lines (``items``, priced like invoice lines)."""

    full = fields.Boolean(load_default=False,
                          metadata={"description": "Credit the whole invoice (its lines and totals); nothing may "
                                    "have been paid or credited yet"})
    items = item_list(metadata={"description": "What to credit (a partial credit note), priced like invoice lines; "
                                "an invoice taxed as a whole applies its tax_rate to them"})
    reason = Text(required=True, min_length=1, max_length=1000, metadata={"example": "Returned goods"})
    date = CalendarDate(metadata={"description": "Default today; not before the invoice's date"})

    @validates_schema
    def _full_or_items(self, data, **kwargs):
        if data.get("full") == bool(data.get("items")):
            raise ValidationError("Give full: true or items (what to credit), not both.", "items")


class CreditNoteSchema(DocumentSchema):
    credit_note_number = fields.String(metadata={"example": "CN-00001"})
    invoice_id = ObjectIdField()
    invoice_number = fields.String()
    client_id = ObjectIdField()
    currency = fields.String()
    date = CalendarDate()
    reason = fields.String()
    full = fields.Boolean()
    items = fields.List(fields.Nested(ItemSchema))
    subtotal = Money()
    discount = Money()
    tax_rate = Money(allow_none=True)
    tax = Money()
    tax_breakdown = fields.List(fields.Nested(TaxBreakdownSchema))
    total = Money(metadata={"description": "What it takes off the invoice's balance"})

    @pre_dump
    def _major_units(self, doc, **kwargs):
        return money_view(doc)


class CreditNoteListQuerySchema(ListQuerySchema):
    invoice_id = ObjectIdField(metadata={"description": "Credit notes against this invoice"})

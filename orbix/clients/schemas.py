"""Client bodies: what may be written, and what is rendered."""

from marshmallow import fields

from ..common.fields import Currency, EmailAddress, Language, LocaleName, Rate, Text
from ..common.schemas import DocumentSchema, ListQuerySchema
from ..einvoice.fields import PartyFieldsMixin, buyer_reference_field


class ClientWriteSchema(DocumentSchema, PartyFieldsMixin):
    name = Text(required=True, min_length=1, max_length=200)
    email = EmailAddress(required=True)
    phone = Text(max_length=50, allow_none=True)
    company = Text(max_length=200, allow_none=True)
    address = Text(max_length=1000, allow_none=True)
    notes = Text(max_length=5000, allow_none=True)
    currency = Currency(allow_none=True, metadata={"description": "Billing currency (ISO 4217)"})
    default_hourly_rate = Rate(allow_none=True)
    tax_id = Text(max_length=100, allow_none=True)
    language = Language(
        allow_none=True, metadata={"description": "Language of invoices, pages and e-mails to this client "
                                                  "(null: the locale's language, else yours)"}
    )
    locale = LocaleName(
        allow_none=True, metadata={"description": "Money and date formats for this client (null: yours when in the "
                                                  "same language, else the language's usual one)"}
    )
    archived = fields.Boolean(load_default=False)
    buyer_reference = buyer_reference_field(example="04011000-12345-03")
    einvoice_xrechnung = fields.Boolean(
        load_default=False,
        metadata={"description": "The client wants XRechnung (German public sector): UBL downloads use its "
                                 "customisation id and need buyer_reference (the Leitweg-ID)"},
    )


class ClientUpdateSchema(ClientWriteSchema):
    """Partial update: every field optional, null clears optional fields."""

    archived = fields.Boolean()
    einvoice_xrechnung = fields.Boolean()


class ClientSchema(ClientWriteSchema):
    pass


class ClientListQuerySchema(ListQuerySchema):
    archived = fields.Boolean(metadata={"description": "true: only archived; false (default): only active"})

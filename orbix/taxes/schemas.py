"""Tax rate bodies, the taxes of an invoice line, and how stored taxes render.

Percents are stored as integer ten-thousandths (``money.rate_to_store``, like every factor);
``pre_dump`` turns them back into Decimals."""

from marshmallow import RAISE, ValidationError, fields, pre_dump, validate, validates_schema

from ..common import money
from ..common.fields import Money, ObjectIdField, Percent, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from . import categories

TAX_FIELDS = ("name", "percent", "compound", "category", "exemption_reason")


def Category(**kwargs):
    described = ", ".join(f"{code} {label.lower()}" for code, label in categories.CATEGORIES.items())
    return fields.String(
        validate=validate.OneOf(categories.CATEGORIES),
        metadata={"description": f"Tax category (UNTDID 5305, as in EN 16931): {described}", "example": "S"},
        **kwargs,
    )


def Compound(**kwargs):
    return fields.Boolean(
        metadata={"description": "Applied on top of the line's earlier taxes (on net + those taxes)"}, **kwargs
    )


def ExemptionReason(**kwargs):
    return Text(
        max_length=1000,
        allow_none=True,
        metadata={"description": "Why no tax is charged: required for E, AE, K, G and O, refused for S and Z",
                  "example": "Reverse charge: Article 196, Council Directive 2006/112/EC"},
        **kwargs,
    )


def check_category(data):
    """The category rules (``categories.problems``) as a schema validation error."""
    found = categories.problems(data.get("category", categories.STANDARD), data.get("percent"),
                                data.get("exemption_reason"))
    if found:
        raise ValidationError({name: [message] for name, message in found.items()})


class TaxRateWriteSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=100, metadata={"example": "VAT"})
    percent = Percent(required=True)
    compound = Compound(load_default=False)
    category = Category(load_default=categories.STANDARD)
    exemption_reason = ExemptionReason(load_default=None)
    archived = fields.Boolean(
        load_default=False, metadata={"description": "Archived rates stay on invoices but cannot be put on new lines"}
    )


class TaxRateSchema(DocumentSchema, TaxRateWriteSchema):
    @pre_dump
    def _percent(self, doc, **kwargs):
        return {**doc, "percent": money.rate_from_store(doc["percent"])}


class TaxRateListQuerySchema(ListQuerySchema):
    archived = fields.Boolean(metadata={"description": "true: only archived; false: only active (default: all)"})


class LineTaxWriteSchema(BaseSchema):
    """One tax of an invoice line: one of your tax rates (its values are copied), or a tax
    written out here."""

    class Meta:
        unknown = RAISE

    tax_rate_id = ObjectIdField(metadata={"description": "One of your tax rates (name, percent ... are copied)"})
    name = Text(min_length=1, max_length=100)
    percent = Percent()
    compound = Compound()
    category = Category()
    exemption_reason = ExemptionReason()

    @validates_schema
    def _rate_or_inline(self, data, **kwargs):
        if "tax_rate_id" in data:
            extra = sorted(set(data) & set(TAX_FIELDS))
            if extra:
                raise ValidationError(f"Give tax_rate_id alone (its values are copied), not with {', '.join(extra)}.",
                                      "tax_rate_id")
            return
        missing = {name: ["Missing data for required field."] for name in ("name", "percent") if name not in data}
        if missing:
            raise ValidationError(missing)
        check_category(data)


class LineTaxSchema(BaseSchema):
    """A tax as copied onto an invoice line."""

    tax_rate_id = ObjectIdField(allow_none=True, metadata={"description": "The rate it was copied from, if any"})
    name = fields.String()
    percent = Money()
    compound = fields.Boolean()
    category = fields.String()
    exemption_reason = fields.String(allow_none=True)

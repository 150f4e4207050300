"""Marshmallow fields and field groups for the data e-invoices need (settings, clients,
invoices and their lines share them)."""

import re

from marshmallow import Schema, ValidationError, fields

from ..common.fields import Text
from . import codes

VAT_ID = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")
PEPPOL_ID = re.compile(r"^[0-9]{4}:[^\s:]{1,100}$")


class _Code(fields.String):
    """A code from a list, accepted in any case and stored in upper case."""

    choices = frozenset()
    message = ""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code not in self.choices:
            raise ValidationError(self.message)
        return code


class CountryCode(_Code):
    choices = codes.COUNTRIES
    message = "Not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, US)."


class UnitCode(_Code):
    choices = frozenset(codes.UNITS)
    message = f"Not a supported UN/ECE Rec 20 unit code: one of {', '.join(codes.UNITS)}."


class TaxCategory(_Code):
    choices = frozenset(codes.TAX_CATEGORIES)
    message = f"One of {', '.join(codes.TAX_CATEGORIES)} (UNTDID 5305)."


class VatId(fields.String):
    """A VAT identification number with its country prefix (``DE123456789``), stored without spaces."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = "".join(super()._deserialize(value, attr, data, **kwargs).split()).upper()
        if not VAT_ID.match(text):
            raise ValidationError("Not a VAT id: a 2-letter country prefix and 2-13 letters or digits (DE123456789).")
        return text


class PeppolId(fields.String):
    """A Peppol participant id: ``scheme:id`` with a 4-digit EAS scheme (``0088:4035811991014``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not PEPPOL_ID.match(text):
            raise ValidationError("Not a Peppol id: a 4-digit scheme, a colon and the id (0088:4035811991014).")
        return text


class PartyFieldsMixin(Schema):
    """Legal name, postal address, VAT id and Peppol id of a party (you in settings, a client)."""

    legal_name = Text(max_length=200, allow_none=True,
                      metadata={"description": "Registered legal name (e-invoices; default: the name)"})
    address_line1 = Text(max_length=200, allow_none=True, metadata={"description": "Street and number"})
    address_line2 = Text(max_length=200, allow_none=True)
    city = Text(max_length=100, allow_none=True)
    postal_code = Text(max_length=20, allow_none=True)
    country_code = CountryCode(allow_none=True, metadata={"description": "ISO 3166-1 alpha-2", "example": "DE"})
    vat_id = VatId(allow_none=True, metadata={"description": "VAT identification number with its country prefix",
                                              "example": "DE123456789"})
    company_id = Text(max_length=100, allow_none=True,
                      metadata={"description": "Legal registration id (trade register number, SIRET ...)"})
    peppol_id = PeppolId(allow_none=True, metadata={
        "description": "Peppol participant id `scheme:id`, the electronic address on e-invoices (default: the "
                       "e-mail address)"})


PARTY_FIELDS = tuple(PartyFieldsMixin._declared_fields)


class InvoiceTaxFieldsMixin(Schema):
    """How an invoice's tax is classified in e-invoices (the category when its rate is 0)."""

    tax_category = TaxCategory(allow_none=True, metadata={
        "description": "VAT category (UNTDID 5305) for e-invoices: S standard, Z zero rated, E exempt, AE reverse "
                       "charge, K intra-community, G export, O out of scope. Default: S when the tax rate is above "
                       "0, else your default_tax_category"})
    tax_exemption_reason = Text(max_length=500, allow_none=True, metadata={
        "description": "Why no VAT is charged (E, AE, K, G, O); defaults by category"})


def buyer_reference_field(**metadata):
    return Text(max_length=200, allow_none=True, metadata={
        "description": "Buyer reference (BT-10): for German public buyers the Leitweg-ID", **metadata})


def unit_code_field():
    return UnitCode(allow_none=True, metadata={
        "description": "UN/ECE Rec 20 unit (HUR hours, DAY, C62 pieces ...); default: HUR for tracked time, else C62",
        "example": "HUR"})

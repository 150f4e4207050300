"""Query strings of the e-invoice downloads."""

from marshmallow import fields, validate

from ..common.schemas import BaseSchema

PDF = "pdf"
FACTURX = "facturx"


class PdfQuerySchema(BaseSchema):
    format = fields.String(
        load_default=PDF,
        validate=validate.OneOf([PDF, FACTURX]),
        metadata={"description": "pdf: the printable invoice; facturx: the same PDF as PDF/A-3 with the EN 16931 "
                                 "CII XML embedded (Factur-X / ZUGFeRD, profile EN 16931)"},
    )


class UblQuerySchema(BaseSchema):
    xrechnung = fields.Boolean(metadata={
        "description": "true: the XRechnung 3.0 customisation id (German public buyers); false: Peppol BIS 3.0. "
                       "Default: XRechnung when the client is German (country_code DE) and has einvoice_xrechnung"})

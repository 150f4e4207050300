"""E-invoice files of an invoice: Factur-X PDF and UBL XML (the invoice view comes from the
invoices service; nothing here reads or writes the database)."""

import facturx

from ..common.exceptions import conflict
from . import cii, model, pdfa, requirements, ubl

VOID = "void"


def _document(view, profile, invoice=None):
    """The checked EInvoice of an invoice view, or of a credit note view against ``invoice``."""
    if view.get("status") == VOID:
        conflict("A void invoice has no e-invoice")
    document, issues = model.from_credit_note(view, invoice) if invoice else model.from_invoice(view)
    requirements.check(document, issues, profile)
    return document


def cii_xml(view):
    """The EN 16931 CII XML (Factur-X / ZUGFeRD ``factur-x.xml``) of an invoice view."""
    return cii.write(_document(view, requirements.FACTURX))


def facturx_pdf(view, pdf):
    """``pdf`` (the invoice's own PDF) as a Factur-X EN 16931 PDF/A-3 with its CII XML embedded."""
    xml = cii_xml(view)
    combined = facturx.generate_from_binary(pdf, xml, flavor="factur-x", level="en16931", check_xsd=False, lang="en",
                                            xmp_compression=False)  # PDF/A: metadata streams unfiltered
    return pdfa.with_readable_xmp(combined)


def wants_xrechnung(view, asked):
    """XRechnung when asked (``?xrechnung=true``), else when the client is German and asks for it."""
    if asked is not None:
        return asked
    client = view["client"] or {}
    return bool(client.get("einvoice_xrechnung")) and client.get("country_code") == "DE"


def ubl_xml(view, xrechnung=None, invoice=None):
    """UBL 2.1 XML of an invoice view (an Invoice), or of a credit note view against its
    ``invoice``'s view (a CreditNote): Peppol BIS 3.0 unless XRechnung."""
    xrechnung = wants_xrechnung(view, xrechnung)
    profile = requirements.XRECHNUNG if xrechnung else requirements.PEPPOL
    return ubl.write(_document(view, profile, invoice), xrechnung=xrechnung)

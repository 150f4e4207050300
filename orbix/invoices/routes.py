"""/api/invoices"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..einvoice import service as einvoice
from ..einvoice.schemas import FACTURX, PdfQuerySchema, UblQuerySchema
from ..mail.schemas import MailMessageSchema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import csv_download, document_response, pdf_response
from ..platform.idempotency import never_replayed
from ..platform.public_urls import public_base_url
from ..platform.read_cache import cached
from . import delivery, export, from_time, service, sharing
from .pdf import invoice_pdf as invoice_pdf_bytes
from .schemas import (
    FromTimeSchema,
    InvoiceListQuerySchema,
    InvoiceSchema,
    InvoiceSummarySchema,
    InvoiceUpdateSchema,
    InvoiceWriteSchema,
    PaymentWriteSchema,
    PublicLinkSchema,
    SendInvoiceSchema,
    money_view,
)

blp = ResourceBlueprint("invoices", __name__, url_prefix="/api/invoices", description="Invoices", family="invoices")


@blp.route("/", methods=["GET"])
@blp.auth()
@cached
@blp.arguments(InvoiceListQuerySchema, location="query")
@blp.response(200, InvoiceSummarySchema(many=True), headers=PAGINATION_HEADER)
def list_invoices(args):
    """List invoices (oldest first); status filters use the effective status (overdue computed)"""
    docs, headers = service.list_invoices(current_user_id(), args)
    return docs, 200, headers


@blp.route("/export.csv", methods=["GET"])
@blp.auth()
@blp.arguments(InvoiceListQuerySchema, location="query")
@blp.response(200, description="CSV file (text/csv)")
@blp.media(200, "text/csv")
def export_invoices(args):
    """Download the filtered invoice list as CSV"""
    return csv_download(export.export_csv(current_user_id(), args))


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(InvoiceWriteSchema)
@blp.response(201, InvoiceSchema)
def create_invoice(data):
    """Create a draft invoice (server computes every amount and the number)"""
    return service.create_invoice(current_user_doc(), data)


@blp.route("/from-time", methods=["POST"])
@blp.auth()
@blp.arguments(FromTimeSchema)
@blp.response(201, InvoiceSchema)
@blp.errors(409)
def create_from_time(data):
    """Create a draft from unbilled billable time entries (and billable expenses), marking them as invoiced"""
    return from_time.bill_time(current_user_doc(), data)


@blp.route("/<invoice_id>", methods=["GET"])
@blp.auth()
@cached
@blp.response(200, InvoiceSchema)
@blp.errors(404)
def get_invoice(invoice_id):
    """Read an invoice with its payments"""
    return service.get_invoice(current_user_doc(), invoice_id)


@blp.route("/<invoice_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(InvoiceUpdateSchema))
@blp.response(200, InvoiceSchema)
@blp.errors(404, 409)
def update_invoice(changes, invoice_id):
    """Edit a draft and/or change the status (draft -> sent -> paid; void; illegal moves 409)"""
    return service.update_invoice(current_user_doc(), invoice_id, changes)


@blp.route("/<invoice_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_invoice(invoice_id):
    """Delete a draft (issued invoices must be voided); its time entries and expenses become billable again"""
    service.delete_invoice(current_user_id(), invoice_id)
    return {"message": "Invoice deleted"}


def _document_view(invoice_id):
    """The caller's invoice as documents print it (amounts in major units)."""
    return money_view(service.get_invoice(current_user_doc(), invoice_id))


@blp.route("/<invoice_id>/pdf", methods=["GET"])
@blp.auth()
@blp.arguments(PdfQuerySchema, location="query")
@blp.response(200, description="PDF document (application/pdf)")
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404, 409, 422)
def invoice_pdf(args, invoice_id):
    """Download the invoice as a PDF, or (format=facturx) as a Factur-X / ZUGFeRD e-invoice (422 names missing data)"""
    user = current_user_doc()
    presented = service.get_invoice(user, invoice_id)
    pdf = invoice_pdf_bytes(presented, user, archival=args["format"] == FACTURX)
    if args["format"] == FACTURX:
        pdf = einvoice.facturx_pdf(money_view(presented), pdf)
    return pdf_response(pdf, f"{presented['invoice_number']}.pdf")


@blp.route("/<invoice_id>/ubl", methods=["GET"])
@blp.auth()
@blp.arguments(UblQuerySchema, location="query")
@blp.response(200, description="UBL 2.1 Invoice XML (application/xml)")
@blp.media(200, "application/xml", BINARY)
@blp.errors(404, 409, 422)
def invoice_ubl(args, invoice_id):
    """Download the invoice as UBL 2.1 (Peppol BIS Billing 3.0 or XRechnung 3.0); 422 names missing data"""
    view = _document_view(invoice_id)
    xml = einvoice.ubl_xml(view, args.get("xrechnung"))
    return document_response(xml, "application/xml", f"{view['invoice_number']}.xml", inline=False)


@blp.route("/<invoice_id>/payments", methods=["POST"])
@blp.auth()
@blp.arguments(PaymentWriteSchema)
@blp.response(201, InvoiceSchema)
@blp.errors(404, 409)
def record_payment(data, invoice_id):
    """Record a payment; returns the invoice with amount_paid, balance_due and status"""
    return service.record_payment(current_user_doc(), invoice_id, data)


@blp.route("/<invoice_id>/payments/<payment_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, InvoiceSchema)
@blp.errors(404)
def delete_payment(invoice_id, payment_id):
    """Reverse a payment; the status is recomputed"""
    return service.delete_payment(current_user_doc(), invoice_id, payment_id)


@blp.route("/<invoice_id>/send", methods=["POST"])
@blp.auth()
@blp.arguments(SendInvoiceSchema)
@blp.response(201, MailMessageSchema)
@blp.errors(404, 409, 503)
def send_invoice(data, invoice_id):
    """E-mail the invoice to the client (PDF attached, a new public page link; a draft becomes sent)"""
    return delivery.send_invoice(current_user_doc(), invoice_id, data, public_base_url())


@blp.route("/<invoice_id>/public-link", methods=["POST"])
@blp.auth()
@never_replayed
@blp.response(201, PublicLinkSchema)
@blp.errors(404, 409)
def create_public_link(invoice_id):
    """A new link to the invoice's public page (/i/<token>), shown once; a draft has none (409: send it first)"""
    return sharing.create_link(current_user_doc(), invoice_id, public_base_url())


@blp.route("/<invoice_id>/public-link", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def revoke_public_links(invoice_id):
    """Revoke every link to the invoice's public page (they answer 404 from now on)"""
    return sharing.revoke_links(current_user_doc(), invoice_id)


@blp.route("/<invoice_id>/messages", methods=["GET"])
@blp.auth()
@blp.response(200, MailMessageSchema(many=True))
@blp.errors(404)
def invoice_messages(invoice_id):
    """Every e-mail about the invoice, oldest first, with status queued, sent or failed"""
    return delivery.messages_for(current_user_doc(), invoice_id)

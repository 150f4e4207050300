"""/api/invoices/{id}/credit-notes and /api/credit-notes"""

from ..common.lists import PAGINATION_HEADER
from ..einvoice import service as einvoice
from ..einvoice.schemas import UblQuerySchema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import document_response, pdf_response
from . import credit_notes, service
from .credit_note_schemas import CreditNoteListQuerySchema, CreditNoteSchema, CreditNoteWriteSchema
from .pdf import credit_note_pdf as credit_note_pdf_bytes
from .schemas import money_view

blp = ResourceBlueprint("credit_notes", __name__, url_prefix="/api", description="Credit notes", family="invoices")


@blp.route("/invoices/<invoice_id>/credit-notes", methods=["POST"])
@blp.auth()
@blp.arguments(CreditNoteWriteSchema)
@blp.response(201, CreditNoteSchema)
@blp.errors(404, 409)
def create_credit_note(data, invoice_id):
    """Credit an issued invoice, fully or some lines (CN-00001 ...); its balance_due goes down (422 beyond it)"""
    return credit_notes.create(current_user_doc(), invoice_id, data)


@blp.route("/credit-notes", methods=["GET"])
@blp.auth()
@blp.arguments(CreditNoteListQuerySchema, location="query")
@blp.response(200, CreditNoteSchema(many=True), headers=PAGINATION_HEADER)
def list_credit_notes(args):
    """Your credit notes (oldest first)"""
    docs, headers = credit_notes.list_notes(current_user_id(), args)
    return docs, 200, headers


@blp.route("/credit-notes/<note_id>", methods=["GET"])
@blp.auth()
@blp.response(200, CreditNoteSchema)
@blp.errors(404)
def get_credit_note(note_id):
    """Read a credit note"""
    return credit_notes.find(current_user_id(), note_id)


@blp.route("/credit-notes/<note_id>/pdf", methods=["GET"])
@blp.auth()
@blp.response(200, description="PDF document (application/pdf)")
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404, 422)
def credit_note_pdf(note_id):
    """Download the credit note as a PDF"""
    user = current_user_doc()
    view = credit_notes.present(credit_notes.find(user["_id"], note_id), user)
    return pdf_response(credit_note_pdf_bytes(view, user), f"{view['credit_note_number']}.pdf")


@blp.route("/credit-notes/<note_id>/ubl", methods=["GET"])
@blp.auth()
@blp.arguments(UblQuerySchema, location="query")
@blp.response(200, description="UBL 2.1 CreditNote XML (application/xml)")
@blp.media(200, "application/xml", BINARY)
@blp.errors(404, 422)
def credit_note_ubl(args, note_id):
    """Download the credit note as a UBL 2.1 CreditNote (Peppol BIS 3.0 or XRechnung 3.0); 422 names missing data"""
    user = current_user_doc()
    note = credit_notes.find(user["_id"], note_id)
    invoice = money_view(service.get_invoice(user, note["invoice_id"]))
    view = money_view(credit_notes.present(note, user))
    xml = einvoice.ubl_xml(view, args.get("xrechnung"), invoice=invoice)
    return document_response(xml, "application/xml", f"{view['credit_note_number']}.xml", inline=False)

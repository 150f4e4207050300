"""/api/estimates"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..invoices.schemas import InvoiceSchema
from ..mail.schemas import MailMessageSchema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import csv_download, pdf_response
from ..platform.public_urls import public_base_url
from . import conversion, delivery, export, service
from .pdf import estimate_pdf as estimate_pdf_bytes
from .schemas import (
    ConvertSchema,
    EstimateListQuerySchema,
    EstimateSchema,
    EstimateSummarySchema,
    EstimateUpdateSchema,
    EstimateWriteSchema,
    SendEstimateSchema,
)

blp = ResourceBlueprint(
    "estimates", __name__, url_prefix="/api/estimates", description="Estimates (quotes)", family="estimates"
)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(EstimateListQuerySchema, location="query")
@blp.response(200, EstimateSummarySchema(many=True), headers=PAGINATION_HEADER)
def list_estimates(args):
    """List estimates (oldest first); status filters use the effective status (expired computed)"""
    docs, headers = service.list_estimates(current_user_id(), args)
    return docs, 200, headers


@blp.route("/export.csv", methods=["GET"])
@blp.auth()
@blp.arguments(EstimateListQuerySchema, location="query")
@blp.response(200, description="CSV file (text/csv)")
@blp.media(200, "text/csv")
def export_estimates(args):
    """Download the filtered estimate list as CSV"""
    return csv_download(export.export_csv(current_user_id(), args))


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(EstimateWriteSchema)
@blp.response(201, EstimateSchema)
def create_estimate(data):
    """Create a draft estimate (server computes every amount and the EST- number)"""
    return service.create_estimate(current_user_doc(), data)


@blp.route("/<estimate_id>", methods=["GET"])
@blp.auth()
@blp.response(200, EstimateSchema)
@blp.errors(404)
def get_estimate(estimate_id):
    """Read an estimate"""
    return service.get_estimate(current_user_doc(), estimate_id)


@blp.route("/<estimate_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(EstimateUpdateSchema))
@blp.response(200, EstimateSchema)
@blp.errors(404, 409)
def update_estimate(changes, estimate_id):
    """Edit a draft and/or change the status (draft -> sent -> accepted | declined; illegal moves 409)"""
    return service.update_estimate(current_user_doc(), estimate_id, changes)


@blp.route("/<estimate_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_estimate(estimate_id):
    """Delete a draft (sent estimates stay on record)"""
    service.delete_estimate(current_user_id(), estimate_id)
    return {"message": "Estimate deleted"}


@blp.route("/<estimate_id>/pdf", methods=["GET"])
@blp.auth()
@blp.response(200, description="PDF document (application/pdf)")
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404, 422)
def estimate_pdf(estimate_id):
    """Download the estimate as a PDF"""
    user = current_user_doc()
    view = service.get_estimate(user, estimate_id)
    return pdf_response(estimate_pdf_bytes(view, user), f"{view['estimate_number']}.pdf")


@blp.route("/<estimate_id>/send", methods=["POST"])
@blp.auth()
@blp.arguments(SendEstimateSchema)
@blp.response(201, MailMessageSchema)
@blp.errors(404, 409, 503)
def send_estimate(data, estimate_id):
    """E-mail the estimate to the client (PDF attached, a link to its page to accept or decline; draft -> sent)"""
    return delivery.send_estimate(current_user_doc(), estimate_id, data, public_base_url())


@blp.route("/<estimate_id>/messages", methods=["GET"])
@blp.auth()
@blp.response(200, MailMessageSchema(many=True))
@blp.errors(404)
def estimate_messages(estimate_id):
    """Every e-mail about the estimate, oldest first, with status queued, sent or failed"""
    return delivery.messages_for(current_user_doc(), estimate_id)


@blp.route("/<estimate_id>/convert", methods=["POST"])
@blp.auth()
@blp.arguments(ConvertSchema)
@blp.response(201, InvoiceSchema)
@blp.errors(404, 409)
def convert_estimate(data, estimate_id):
    """Make a draft invoice of an accepted estimate (once; optionally a project with the total as budget)"""
    return conversion.convert(current_user_doc(), estimate_id, data)

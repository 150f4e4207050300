"""/api/recurring-invoices"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import ListQuerySchema, MessageSchema, update_schema
from ..invoices.schemas import InvoiceListQuerySchema, InvoiceSummarySchema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.public_urls import public_base_url
from . import service
from .schemas import (
    PreviewQuerySchema,
    RecurringInvoiceSchema,
    RecurringListQuerySchema,
    RecurringPreviewSchema,
    RecurringRunSchema,
    RecurringUpdateSchema,
    RecurringWriteSchema,
)

blp = ResourceBlueprint(
    "recurring-invoices", __name__, url_prefix="/api/recurring-invoices", description="Recurring invoices",
    family="invoices",
)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(RecurringListQuerySchema, location="query")
@blp.response(200, RecurringInvoiceSchema(many=True), headers=PAGINATION_HEADER)
def list_schedules(args):
    """List recurring invoices (oldest first)"""
    docs, headers = service.list_schedules(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(RecurringWriteSchema)
@blp.response(201, RecurringInvoiceSchema)
def create_schedule(data):
    """Create a recurring invoice: a template invoice and when to issue it"""
    return service.create_schedule(current_user_doc(), data, link_base_url=public_base_url())


@blp.route("/<schedule_id>", methods=["GET"])
@blp.auth()
@blp.response(200, RecurringInvoiceSchema)
@blp.errors(404)
def get_schedule(schedule_id):
    """Read a recurring invoice with its next run"""
    return service.present(service.get_schedule(current_user_id(), schedule_id))


@blp.route("/<schedule_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(RecurringUpdateSchema))
@blp.response(200, RecurringInvoiceSchema)
@blp.errors(404, 409)
def update_schedule(changes, schedule_id):
    """Edit the template or the schedule (invoices already made do not change)"""
    return service.update_schedule(current_user_doc(), schedule_id, changes)


@blp.route("/<schedule_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_schedule(schedule_id):
    """Delete a recurring invoice; the invoices it made stay"""
    service.delete_schedule(current_user_id(), schedule_id)
    return {"message": "Recurring invoice deleted"}


@blp.route("/<schedule_id>/pause", methods=["POST"])
@blp.auth()
@blp.response(200, RecurringInvoiceSchema)
@blp.errors(404, 409)
def pause_schedule(schedule_id):
    """Pause: no invoices until resumed"""
    return service.pause_schedule(current_user_doc(), schedule_id)


@blp.route("/<schedule_id>/resume", methods=["POST"])
@blp.auth()
@blp.response(200, RecurringInvoiceSchema)
@blp.errors(404, 409)
def resume_schedule(schedule_id):
    """Resume from today (runs that fell while paused are skipped)"""
    return service.resume_schedule(current_user_doc(), schedule_id)


@blp.route("/<schedule_id>/preview", methods=["GET"])
@blp.auth()
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, RecurringPreviewSchema(many=True))
@blp.errors(404)
def preview(args, schedule_id):
    """The next runs: dates and the invoice totals of each"""
    return service.preview(current_user_doc(), schedule_id, args["count"])


@blp.route("/<schedule_id>/invoices", methods=["GET"])
@blp.auth()
@blp.arguments(InvoiceListQuerySchema(exclude=("recurring_invoice_id",)), location="query")
@blp.response(200, InvoiceSummarySchema(many=True), headers=PAGINATION_HEADER)
@blp.errors(404)
def schedule_invoices(args, schedule_id):
    """The invoices this recurring invoice made (the invoice list's filters apply)"""
    docs, headers = service.schedule_invoices(current_user_id(), schedule_id, args)
    return docs, 200, headers


@blp.route("/<schedule_id>/runs", methods=["GET"])
@blp.auth()
@blp.arguments(ListQuerySchema(exclude=("q",)), location="query")
@blp.response(200, RecurringRunSchema(many=True), headers=PAGINATION_HEADER)
@blp.errors(404)
def schedule_runs(args, schedule_id):
    """Every run: its invoice, or why none was made, and what auto_send did"""
    docs, headers = service.schedule_runs(current_user_id(), schedule_id, args)
    return docs, 200, headers

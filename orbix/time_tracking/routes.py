"""/api/time-tracking"""

from flask import jsonify

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import csv_download
from . import service
from .schemas import EntryListQuerySchema, EntrySchema, EntryUpdateSchema, EntryWriteSchema, StopSchema, SummarySchema

blp = ResourceBlueprint("time_tracking", __name__, url_prefix="/api/time-tracking", description="Time tracking",
                        family="time")


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(EntryListQuerySchema, location="query")
@blp.response(200, EntrySchema(many=True), headers=PAGINATION_HEADER)
def list_entries(args):
    """List time entries (oldest first), with the rate that applies to each"""
    docs, headers = service.list_entries(current_user_doc(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(EntryWriteSchema)
@blp.response(201, EntrySchema)
@blp.errors(409)
def create_entry(data):
    """Start a timer (no end_time) or record a finished entry; one running timer per user"""
    return service.create_entry(current_user_doc(), data)


@blp.route("/current", methods=["GET"])
@blp.auth()
@blp.response(200, description="The running entry (an entry object), or `null` when none runs")
@blp.media(200, "application/json", {"anyOf": [{"$ref": "#/components/schemas/Entry"}, {"type": "null"}]})
def current_entry():
    """The running entry, or null"""
    entry = service.current_entry(current_user_doc())
    return jsonify(None if entry is None else EntrySchema().dump(entry))


@blp.route("/summary", methods=["GET"])
@blp.auth()
@blp.arguments(EntryListQuerySchema, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """Totals, billable amounts by currency, and breakdowns by project and by (local) day"""
    return service.summary(current_user_doc(), args)


@blp.route("/export.csv", methods=["GET"])
@blp.auth()
@blp.arguments(EntryListQuerySchema, location="query")
@blp.response(200, content_type="text/csv", description="CSV attachment, streamed")
@blp.media(200, "text/csv")
def export_csv(args):
    """Download the filtered entries as CSV"""
    return csv_download(service.export_csv(current_user_doc(), args))


@blp.route("/<entry_id>", methods=["GET"])
@blp.auth()
@blp.response(200, EntrySchema)
@blp.errors(404)
def get_entry(entry_id):
    """Read a time entry"""
    return service.get_entry(current_user_doc(), entry_id)


@blp.route("/<entry_id>/stop", methods=["POST"])
@blp.auth()
@blp.arguments(StopSchema)
@blp.response(200, EntrySchema)
@blp.errors(404, 409)
def stop_entry(data, entry_id):
    """Stop a running timer (end_time defaults to now)"""
    return service.stop_entry(current_user_doc(), entry_id, data.get("end_time"))


@blp.route("/<entry_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(EntryUpdateSchema))
@blp.response(200, EntrySchema)
@blp.errors(404, 409)
def update_entry(changes, entry_id):
    """Update some fields; duration is recomputed; invoiced entries are locked (409)"""
    return service.update_entry(current_user_doc(), entry_id, changes)


@blp.route("/<entry_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_entry(entry_id):
    """Delete an entry (not when invoiced)"""
    service.delete_entry(current_user_id(), entry_id)
    return {"message": "Time entry deleted"}

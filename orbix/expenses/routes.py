"""/api/expenses"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import csv_download
from . import service
from .schemas import ExpenseListQuerySchema, ExpenseSchema, ExpenseWriteSchema

blp = ResourceBlueprint("expenses", __name__, url_prefix="/api/expenses", description="Expenses", family="expenses")


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(ExpenseListQuerySchema, location="query")
@blp.response(200, ExpenseSchema(many=True), headers=PAGINATION_HEADER)
def list_expenses(args):
    """List expenses (oldest first)"""
    docs, headers = service.list_expenses(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(ExpenseWriteSchema)
@blp.response(201, ExpenseSchema)
def create_expense(data):
    """Record an expense"""
    return service.create_expense(current_user_doc(), data)


@blp.route("/export.csv", methods=["GET"])
@blp.auth()
@blp.arguments(ExpenseListQuerySchema, location="query")
@blp.response(200, content_type="text/csv", description="CSV attachment, streamed")
@blp.media(200, "text/csv")
def export_csv(args):
    """Download the filtered expenses as CSV"""
    return csv_download(service.export_csv(current_user_id(), args))


@blp.route("/<expense_id>", methods=["GET"])
@blp.auth()
@blp.response(200, ExpenseSchema)
@blp.errors(404)
def get_expense(expense_id):
    """Read an expense"""
    return service.get_expense(current_user_id(), expense_id)


@blp.route("/<expense_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(ExpenseWriteSchema))
@blp.response(200, ExpenseSchema)
@blp.errors(404, 409)
def update_expense(changes, expense_id):
    """Update some fields; once billed, amount, currency, markup, date, billable, client and project are locked"""
    return service.update_expense(current_user_doc(), expense_id, changes)


@blp.route("/<expense_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_expense(expense_id):
    """Delete an expense (not while billed)"""
    service.delete_expense(current_user_id(), expense_id)
    return {"message": "Expense deleted"}

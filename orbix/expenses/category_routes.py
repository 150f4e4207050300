"""/api/expense-categories"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from . import categories
from .schemas import CategoryListQuerySchema, CategorySchema, CategoryWriteSchema

blp = ResourceBlueprint(
    "expense_categories", __name__, url_prefix="/api/expense-categories", description="Expense categories",
    family="expenses",
)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(CategoryListQuerySchema, location="query")
@blp.response(200, CategorySchema(many=True), headers=PAGINATION_HEADER)
def list_categories(args):
    """Your expense categories (the defaults first, then yours, oldest first)"""
    docs, headers = categories.list_categories(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(CategoryWriteSchema)
@blp.response(201, CategorySchema)
@blp.errors(409)
def create_category(data):
    """Add a category (names are unique, case-insensitively)"""
    return categories.create_category(current_user_id(), data["name"])


@blp.route("/<category_id>", methods=["GET"])
@blp.auth()
@blp.response(200, CategorySchema)
@blp.errors(404)
def get_category(category_id):
    """Read a category"""
    return categories.get_category(current_user_id(), category_id)


@blp.route("/<category_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(CategoryWriteSchema)
@blp.response(200, CategorySchema)
@blp.errors(404, 409)
def rename_category(data, category_id):
    """Rename a category (its expenses follow)"""
    return categories.rename_category(current_user_id(), category_id, data["name"])


@blp.route("/<category_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_category(category_id):
    """Delete a category (409 while expenses use it)"""
    categories.delete_category(current_user_id(), category_id)
    return {"message": "Expense category deleted"}

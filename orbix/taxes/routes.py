"""/api/tax-rates"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from . import service
from .schemas import TaxRateListQuerySchema, TaxRateSchema, TaxRateWriteSchema

blp = ResourceBlueprint("tax_rates", __name__, url_prefix="/api/tax-rates", description="Tax rates",
                        family="invoices")


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(TaxRateListQuerySchema, location="query")
@blp.response(200, TaxRateSchema(many=True), headers=PAGINATION_HEADER)
def list_rates(args):
    """Your tax rates (oldest first)"""
    docs, headers = service.list_rates(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(TaxRateWriteSchema)
@blp.response(201, TaxRateSchema)
def create_rate(data):
    """Add a tax rate (category rules: S above 0 %, others 0 % with an exemption reason for E, AE, K, G, O)"""
    return service.create_rate(current_user_id(), data)


@blp.route("/<rate_id>", methods=["GET"])
@blp.auth()
@blp.response(200, TaxRateSchema)
@blp.errors(404)
def get_rate(rate_id):
    """Read a tax rate"""
    return service.get_rate(current_user_id(), rate_id)


@blp.route("/<rate_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(TaxRateWriteSchema))
@blp.response(200, TaxRateSchema)
@blp.errors(404)
def update_rate(changes, rate_id):
    """Edit or archive a tax rate (invoices keep the values they copied)"""
    return service.update_rate(current_user_id(), rate_id, changes)


@blp.route("/<rate_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def delete_rate(rate_id):
    """Delete a tax rate (invoices keep the values they copied)"""
    service.delete_rate(current_user_id(), rate_id)
    return {"message": "Tax rate deleted"}

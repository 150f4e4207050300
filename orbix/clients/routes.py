"""/api/clients"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from ..platform.read_cache import cached
from . import service
from .schemas import ClientListQuerySchema, ClientSchema, ClientUpdateSchema, ClientWriteSchema

blp = ResourceBlueprint("clients", __name__, url_prefix="/api/clients", description="Clients", family="clients")


@blp.route("/", methods=["GET"])
@blp.auth()
@cached
@blp.arguments(ClientListQuerySchema, location="query")
@blp.response(200, ClientSchema(many=True), headers=PAGINATION_HEADER)
def list_clients(args):
    """List clients (active by default; oldest first)"""
    docs, headers = service.list_clients(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(ClientWriteSchema)
@blp.response(201, ClientSchema)
def create_client(data):
    """Create a client"""
    return service.create_client(current_user_id(), data)


@blp.route("/<client_id>", methods=["GET"])
@blp.auth()
@cached
@blp.response(200, ClientSchema)
@blp.errors(404)
def get_client(client_id):
    """Read a client"""
    return service.get_client(current_user_id(), client_id)


@blp.route("/<client_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(ClientUpdateSchema))
@blp.response(200, ClientSchema)
@blp.errors(404)
def update_client(changes, client_id):
    """Update some fields of a client (null clears an optional field)"""
    return service.update_client(current_user_id(), client_id, changes)


@blp.route("/<client_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_client(client_id):
    """Delete a client nothing refers to (else 409: archive it instead)"""
    service.delete_client(current_user_id(), client_id)
    return {"message": "Client deleted"}

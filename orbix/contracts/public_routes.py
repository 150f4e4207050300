"""/api/public/contracts: the signing page's API, reached with the link's token and no login."""

from flask import request

from ..platform.blueprint import ResourceBlueprint
from . import service
from .schemas import PublicContractSchema, SignedSchema, SignSchema

blp = ResourceBlueprint(
    "public_contracts", __name__, url_prefix="/api/public/contracts", description="Contract signing (public)"
)


@blp.route("/<token>", methods=["GET"])
@blp.public
@blp.response(200, PublicContractSchema)
@blp.errors(404)
def view_contract(token):
    """The contract to sign: title, parties, text and its SHA-256 (wrong, expired or used link: 404)"""
    return service.public_contract(token)


@blp.route("/<token>/sign", methods=["POST"])
@blp.public
@blp.arguments(SignSchema)
@blp.response(200, SignedSchema)
@blp.errors(404)
def sign_contract(data, token):
    """Sign with name, email and agree=true; the link stops working"""
    return service.sign_contract(token, data, request.remote_addr, request.headers.get("User-Agent"))

"""/api/public/contracts: the signing API, reached with the link's token and no login (the
HTML signing page ``/c/<token>`` is ``page_routes``; both take the same links)."""

from ..platform.blueprint import ResourceBlueprint
from ..platform.requester import requester
from . import signing
from .schemas import DeclinedSchema, DeclineSchema, PublicContractSchema, SignedSchema, SignSchema

blp = ResourceBlueprint(
    "public_contracts", __name__, url_prefix="/api/public/contracts", description="Contract signing (public)"
)


@blp.route("/<token>", methods=["GET"])
@blp.public
@blp.response(200, PublicContractSchema)
@blp.errors(404)
def view_contract(token):
    """The contract to sign: title, parties, text and its SHA-256 (wrong, expired or used link: 404)"""
    return signing.public_contract(token, requester())


@blp.route("/<token>/sign", methods=["POST"])
@blp.public
@blp.arguments(SignSchema)
@blp.response(200, SignedSchema)
@blp.errors(404, 422)
def sign_contract(data, token):
    """Sign with name, email (one the link was sent to) and agree=true; the link stops working"""
    return signing.sign(token, data, requester())


@blp.route("/<token>/decline", methods=["POST"])
@blp.public
@blp.arguments(DeclineSchema)
@blp.response(200, DeclinedSchema)
@blp.errors(404, 422)
def decline_contract(data, token):
    """Decline with name, email and a reason; the link stops working"""
    return signing.decline(token, data, requester())

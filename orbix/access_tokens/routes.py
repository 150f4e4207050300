"""/api/tokens: personal access tokens. Managing them needs a login session (the blueprint has
no scope family), so a token cannot mint or revoke tokens."""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from . import service
from .schemas import (
    AccessTokenCreateSchema,
    AccessTokenListQuerySchema,
    AccessTokenSchema,
    AccessTokenUpdateSchema,
    CreatedAccessTokenSchema,
)

blp = ResourceBlueprint(
    "access_tokens", __name__, url_prefix="/api/tokens",
    description="Personal access tokens for scripts and integrations (managed with a login session only)",
)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(AccessTokenListQuerySchema, location="query")
@blp.response(200, AccessTokenSchema(many=True), headers=PAGINATION_HEADER)
def list_tokens(args):
    """List your personal access tokens (never the tokens themselves; oldest first)"""
    docs, headers = service.list_tokens(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(AccessTokenCreateSchema)
@blp.response(201, CreatedAccessTokenSchema)
@blp.errors(409)
def create_token(data):
    """Create a personal access token: the response shows it once"""
    return service.create_token(current_user_id(), data)


@blp.route("/<token_id>", methods=["GET"])
@blp.auth()
@blp.response(200, AccessTokenSchema)
@blp.errors(404)
def get_token(token_id):
    """Read a personal access token's details"""
    return service.get_token(current_user_id(), token_id)


@blp.route("/<token_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(AccessTokenUpdateSchema)
@blp.response(200, AccessTokenSchema)
@blp.errors(404)
def rename_token(changes, token_id):
    """Rename a personal access token (its scopes and expiry stay)"""
    return service.rename_token(current_user_id(), token_id, changes)


@blp.route("/<token_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def revoke_token(token_id):
    """Revoke a personal access token: it stops working at once"""
    service.revoke_token(current_user_id(), token_id)
    return {"message": "Token revoked"}

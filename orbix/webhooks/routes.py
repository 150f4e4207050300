"""/api/webhooks"""

from flask import current_app

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from . import catalogue, service
from .schemas import (
    DeliveryDetailSchema,
    DeliveryListQuerySchema,
    DeliverySchema,
    EventTypeSchema,
    WebhookListQuerySchema,
    WebhookSchema,
    WebhookUpdateSchema,
    WebhookWithSecretSchema,
    WebhookWriteSchema,
)

blp = ResourceBlueprint(
    "webhooks", __name__, url_prefix="/api/webhooks", description="Webhooks", family="webhooks"
)


def _allow_private():
    return current_app.config["WEBHOOKS_ALLOW_PRIVATE"]


@blp.route("/events", methods=["GET"])
@blp.auth()
@blp.response(200, EventTypeSchema(many=True))
def list_event_types():
    """The events an endpoint can subscribe to"""
    return catalogue.describe()


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(WebhookListQuerySchema, location="query")
@blp.response(200, WebhookSchema(many=True), headers=PAGINATION_HEADER)
def list_webhooks(args):
    """List webhook endpoints (oldest first; secrets are not shown)"""
    docs, headers = service.list_endpoints(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(WebhookWriteSchema)
@blp.response(201, WebhookWithSecretSchema)
@blp.errors(409)
def create_webhook(data):
    """Create a webhook endpoint; the answer shows its signing secret (this once)"""
    return service.create_endpoint(current_user_id(), data, _allow_private())


@blp.route("/<webhook_id>", methods=["GET"])
@blp.auth()
@blp.response(200, WebhookSchema)
@blp.errors(404)
def get_webhook(webhook_id):
    """Read a webhook endpoint"""
    return service.get_endpoint(current_user_id(), webhook_id)


@blp.route("/<webhook_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(WebhookUpdateSchema))
@blp.response(200, WebhookSchema)
@blp.errors(404)
def update_webhook(changes, webhook_id):
    """Change the URL, events, description or active flag"""
    return service.update_endpoint(current_user_id(), webhook_id, changes, _allow_private())


@blp.route("/<webhook_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def delete_webhook(webhook_id):
    """Delete a webhook endpoint and its delivery log"""
    service.delete_endpoint(current_user_id(), webhook_id)
    return {"message": "Webhook deleted"}


@blp.route("/<webhook_id>/rotate-secret", methods=["POST"])
@blp.auth()
@blp.response(200, WebhookWithSecretSchema)
@blp.errors(404)
def rotate_secret(webhook_id):
    """Replace the signing secret; attempts from now on are signed with the new one"""
    return service.rotate_secret(current_user_id(), webhook_id)


@blp.route("/<webhook_id>/ping", methods=["POST"])
@blp.auth()
@blp.response(201, DeliverySchema)
@blp.errors(404, 409)
def ping_webhook(webhook_id):
    """Send a test event (type ping) to this endpoint; returns the delivery"""
    return service.ping(current_user_id(), webhook_id)


@blp.route("/<webhook_id>/deliveries", methods=["GET"])
@blp.auth()
@blp.arguments(DeliveryListQuerySchema, location="query")
@blp.response(200, DeliverySchema(many=True), headers=PAGINATION_HEADER)
@blp.errors(404)
def list_deliveries(args, webhook_id):
    """The endpoint's delivery log, newest first: status, attempts, response code, duration, error"""
    docs, headers = service.list_deliveries(current_user_id(), webhook_id, args)
    return docs, 200, headers


@blp.route("/<webhook_id>/deliveries/<delivery_id>", methods=["GET"])
@blp.auth()
@blp.response(200, DeliveryDetailSchema)
@blp.errors(404)
def get_delivery(webhook_id, delivery_id):
    """One delivery, with the payload it sends"""
    return service.get_delivery(current_user_id(), webhook_id, delivery_id)


@blp.route("/<webhook_id>/deliveries/<delivery_id>/redeliver", methods=["POST"])
@blp.auth()
@blp.response(201, DeliverySchema)
@blp.errors(404, 409)
def redeliver(webhook_id, delivery_id):
    """Send the same event again (same id and body) as a new delivery"""
    return service.redeliver(current_user_id(), webhook_id, delivery_id)

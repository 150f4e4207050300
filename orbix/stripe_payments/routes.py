"""/api/payments/stripe: connect a Stripe account, and Stripe's webhook."""

from flask import request

from ..common.schemas import MessageSchema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from ..platform.public_urls import public_base_url
from . import accounts, webhook
from .schemas import StripeAccountSchema, StripeConnectSchema, WebhookOutcomeSchema

blp = ResourceBlueprint(
    "stripe_payments", __name__, url_prefix="/api/payments/stripe", description="Online card payments (Stripe)",
    family="payments",
)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.response(200, StripeAccountSchema)
def get_connection():
    """Whether Stripe is connected, and the webhook URL and events to configure there"""
    return accounts.status(current_user_id(), public_base_url())


@blp.route("/", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(StripeConnectSchema)
@blp.response(200, StripeAccountSchema)
@blp.errors(502, 503)
def connect(data):
    """Connect or update: secret_key (checked with Stripe) and/or webhook_secret, stored encrypted"""
    user_id = current_user_id()
    accounts.connect(user_id, data)
    return accounts.status(user_id, public_base_url())


@blp.route("/", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def disconnect():
    """Forget the Stripe secrets: invoice pages stop offering card payment"""
    accounts.disconnect(current_user_id())
    return {"message": "Stripe disconnected"}


@blp.route("/webhook/<webhook_id>", methods=["POST"])
@blp.public
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
         parameters=[{"name": "Stripe-Signature", "in": "header", "required": True, "schema": {"type": "string"}}])
@blp.response(200, WebhookOutcomeSchema)
@blp.errors(400, 409)
def stripe_webhook(webhook_id):
    """Stripe's events for one account, signed (Stripe-Signature): payments and refunds"""
    return webhook.receive(webhook_id, request.get_data(cache=True), request.headers.get("Stripe-Signature"))

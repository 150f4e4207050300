"""The Stripe connection and webhook outcomes as JSON. Secrets are load-only: never shown."""

from marshmallow import fields, validate

from ..common.fields import AwareDateTime, ObjectIdField, Text
from ..common.schemas import BaseSchema

# Stripe's secret keys (sk_test_/sk_live_) and restricted keys (rk_test_/rk_live_); webhook
# signing secrets start with whsec_.
SECRET_KEY = validate.Regexp(r"^(sk|rk)_(test|live)_[A-Za-z0-9]{10,240}$",
                             error="Not a Stripe secret key (sk_test_..., sk_live_..., rk_test_... or rk_live_...).")
WEBHOOK_SECRET = validate.Regexp(r"^whsec_[A-Za-z0-9+/=]{10,240}$",
                                 error="Not a Stripe webhook signing secret (whsec_...).")


class StripeConnectSchema(BaseSchema):
    secret_key = Text(load_only=True, validate=SECRET_KEY, metadata={
        "description": "Your Stripe secret key (or a restricted key allowed to write Checkout Sessions); "
                       "checked with Stripe, stored encrypted, never shown again",
        "example": "sk_test_51Abc..."})
    webhook_secret = Text(load_only=True, validate=WEBHOOK_SECRET, metadata={
        "description": "The signing secret of the webhook endpoint you added in Stripe for webhook_url; "
                       "stored encrypted, never shown again", "example": "whsec_..."})


class StripeAccountSchema(BaseSchema):
    enabled = fields.Boolean(metadata={"description": "Whether this server takes online payments (PAYMENTS_ENABLED)"})
    connected = fields.Boolean(metadata={"description": "A secret key is stored"})
    accepting_payments = fields.Boolean(metadata={
        "description": "Public invoice pages offer Pay now: the key and the webhook secret are set"})
    webhook_secret_set = fields.Boolean()
    key_hint = fields.String(allow_none=True, metadata={"description": "The key's last 4 characters"})
    livemode = fields.Boolean(allow_none=True, metadata={"description": "A live key, not a test one"})
    webhook_url = fields.String(allow_none=True, metadata={
        "description": "The URL to add as a webhook endpoint in the Stripe Dashboard (after connecting a key)"})
    webhook_events = fields.List(fields.String(), metadata={"description": "The events to send to it"})
    connected_at = AwareDateTime(allow_none=True)
    updated_at = AwareDateTime(allow_none=True)


class WebhookOutcomeSchema(BaseSchema):
    event_id = fields.String()
    type = fields.String()
    outcome = fields.String(metadata={"enum": ["recorded", "refunded", "duplicate", "ignored", "rejected"]})
    reason = fields.String(allow_none=True)
    invoice_id = ObjectIdField(allow_none=True)
    payment_id = ObjectIdField(allow_none=True)

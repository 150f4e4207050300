"""Webhook endpoints, deliveries and the event catalogue as JSON."""

from marshmallow import ValidationError, fields, validate, validates

from ..common.fields import AwareDateTime, ObjectIdField, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from .catalogue import ALL, EVENT_TYPES
from .delivery import FAILED, PENDING, SUCCEEDED
from .targets import MAX_URL_LENGTH

EVENT_CHOICES = [*EVENT_TYPES, ALL]


class WebhookWriteSchema(DocumentSchema):
    url = Text(required=True, min_length=1, max_length=MAX_URL_LENGTH,
               metadata={"description": "http or https URL of a public host (see WEBHOOKS_ALLOW_PRIVATE)",
                         "example": "https://example.com/hooks/orbix"})
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_CHOICES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_CHOICES)),
        metadata={"description": "Event types from GET /api/webhooks/events, or [\"*\"] for all"},
    )
    description = Text(max_length=500, allow_none=True)
    active = fields.Boolean(load_default=True)

    @validates("events")
    def _events(self, value, **kwargs):
        if ALL in value and len(value) > 1:
            raise ValidationError('Give "*" alone (it means every event) or a list of event types.')
        if len(set(value)) != len(value):
            raise ValidationError("Must not repeat an event type.")


class WebhookUpdateSchema(WebhookWriteSchema):
    active = fields.Boolean()


class WebhookSchema(WebhookWriteSchema):
    pass


class WebhookWithSecretSchema(WebhookSchema):
    secret = fields.String(metadata={"description": "HMAC-SHA256 key of the Orbix-Signature header; shown on "
                                                    "create and rotation only"})


class WebhookListQuerySchema(ListQuerySchema):
    active = fields.Boolean()


class EventTypeSchema(BaseSchema):
    type = fields.String()
    description = fields.String()


class DeliverySchema(BaseSchema):
    _id = ObjectIdField()
    webhook_id = ObjectIdField()
    event_id = fields.String(metadata={"description": "The event's id: the same on every attempt and redelivery"})
    event = fields.String(metadata={"description": "The event type"})
    status = fields.String(metadata={"enum": [PENDING, SUCCEEDED, FAILED]})
    attempts = fields.Integer()
    response_code = fields.Integer(allow_none=True, metadata={"description": "The last attempt's HTTP status"})
    response_body = fields.String(allow_none=True, metadata={"description": "The last answer's first 1 KB"})
    duration_ms = fields.Integer(allow_none=True, metadata={"description": "The last attempt's duration"})
    error = fields.String(allow_none=True, metadata={"description": "Why the last attempt failed"})
    next_attempt_at = AwareDateTime(allow_none=True, metadata={"description": "When it is tried again (pending)"})
    last_attempt_at = AwareDateTime(allow_none=True)
    delivered_at = AwareDateTime(allow_none=True)
    failed_at = AwareDateTime(allow_none=True)
    redelivery_of = ObjectIdField(allow_none=True, metadata={"description": "The delivery this one repeats"})
    created_at = AwareDateTime()
    updated_at = AwareDateTime()


class DeliveryDetailSchema(DeliverySchema):
    payload = fields.Dict(metadata={"description": "The body sent: {id, type, created_at, data}"})


class DeliveryListQuerySchema(ListQuerySchema):
    status = fields.String(validate=validate.OneOf([PENDING, SUCCEEDED, FAILED]))
    event = fields.String(validate=validate.OneOf([*EVENT_TYPES, "ping"]))

"""Request and response bodies for /api/tokens."""

from datetime import timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from ..common.fields import AwareDateTime, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from ..common.timeutil import utcnow
from . import scopes
from .service import ACTIVE, DEFAULT_DAYS, EXPIRED, MAX_DAYS, REVOKED


class Scopes(fields.List):
    """A list of scopes, loaded in canonical form (``clients:*`` becomes ``clients:write``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("description", f"1-20 of: {scopes.described()}")
        scope = fields.String(validate=validate.Length(max=50), metadata={"enum": scopes.ACCEPTED})
        super().__init__(scope, validate=validate.Length(min=1, max=20), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return scopes.normalise(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class AccessTokenSchema(DocumentSchema):
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    hint = fields.String(required=True, metadata={"description": "The token's first characters, to recognise it"})
    status = fields.String(required=True, validate=validate.OneOf([ACTIVE, EXPIRED, REVOKED]))
    expires_at = AwareDateTime(required=True)
    last_used_at = AwareDateTime(allow_none=True, metadata={"description": "Recorded at most once a minute"})
    revoked_at = AwareDateTime(allow_none=True)


class CreatedAccessTokenSchema(AccessTokenSchema):
    token = fields.String(
        required=True,
        metadata={"description": "The token, shown this once: send it as `Authorization: Bearer <token>`"},
    )


class AccessTokenCreateSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=100)
    scopes = Scopes(required=True)
    expires_in_days = fields.Integer(
        validate=validate.Range(min=1, max=MAX_DAYS),
        metadata={"description": f"Default {DEFAULT_DAYS} (without expires_at)"},
    )
    expires_at = AwareDateTime(metadata={"description": f"An instant in the next {MAX_DAYS} days"})

    @validates_schema
    def _expiry(self, data, **kwargs):
        if "expires_in_days" in data and "expires_at" in data:
            raise ValidationError("Give expires_in_days or expires_at, not both.", "expires_at")
        expires_at = data.get("expires_at")
        if expires_at is not None:
            now = utcnow()
            if expires_at <= now:
                raise ValidationError("Must be in the future.", "expires_at")
            if expires_at > now + timedelta(days=MAX_DAYS):
                raise ValidationError(f"Must be at most {MAX_DAYS} days ahead.", "expires_at")


class AccessTokenUpdateSchema(BaseSchema):
    """Only the name changes: scopes and expiry are what the owner agreed to when creating it."""

    name = Text(required=True, min_length=1, max_length=100)

    @validates_schema(pass_original=True)
    def _name_only(self, data, original, **kwargs):
        others = sorted(set(original) - {"name"}) if isinstance(original, dict) else []
        if others:
            raise ValidationError("Only the name of a token can change: create a new token instead.", others[0])


class AccessTokenListQuerySchema(ListQuerySchema):
    status = fields.String(validate=validate.OneOf([ACTIVE, EXPIRED, REVOKED]))

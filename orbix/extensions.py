"""Extension instances, created unbound and initialised by the app factory."""

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_smorest import Api
from marshmallow import fields

from .common.schemas import BaseSchema
from .errors import handle_http_exception


class ErrorSchema(BaseSchema):
    """The one error shape (see conventions.md)."""

    code = fields.Integer(required=True, metadata={"example": 422})
    status = fields.String(required=True, metadata={"example": "Unprocessable Entity"})
    message = fields.String(required=True, metadata={"example": "Validation failed"})
    error = fields.String(required=True, metadata={"example": "Validation failed"})
    errors = fields.Dict(metadata={"description": "Per-location, per-field validation messages"})
    request_id = fields.String()


class OrbixApi(Api):
    """flask-smorest's Api with our error shape for every HTTP error."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)


jwt = JWTManager()
cors = CORS()

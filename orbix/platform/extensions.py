"""Extension instances, created unbound and initialised by the app factory."""

from apispec.ext.marshmallow import MarshmallowPlugin
from flask_cors import CORS
from flask_smorest import Api
from marshmallow import fields

from ..auth.verified_tokens import CachingJWTManager
from ..common.schemas import BaseSchema
from .errors import handle_http_exception


class ErrorSchema(BaseSchema):
    """The one error shape (see conventions.md)."""

    code = fields.Integer(required=True, metadata={"example": 422})
    status = fields.String(required=True, metadata={"example": "Unprocessable Entity"})
    message = fields.String(required=True, metadata={"example": "Validation failed"})
    error = fields.String(required=True, metadata={"example": "Validation failed"})
    errors = fields.Dict(metadata={"description": "Per-location, per-field validation messages"})
    request_id = fields.String()


_SCHEMA_OWNERS = {}


def schema_name(schema):
    """OpenAPI component names that tell variants apart (``ContractWithoutContentVariables``,
    ``ClientPatch``) instead of apispec's numbered duplicates and warnings."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema") or cls.__name__
    owner = _SCHEMA_OWNERS.setdefault(name, cls)
    if owner is not cls:  # two resources define e.g. a ProjectSchema: prefix the package
        package = cls.__module__.split(".")[-2] if cls.__module__.count(".") >= 2 else ""
        name = package.title().removesuffix("s").replace("_", "") + name
    if isinstance(schema, type):
        return name
    if schema.partial:
        name += "Patch"
    if schema.only:
        name += "Only" + "".join(part.title().replace("_", "") for part in sorted(schema.only))
    if schema.exclude:
        name += "Without" + "".join(part.title().replace("_", "") for part in sorted(schema.exclude))
    return name


class OrbixApi(Api):
    """flask-smorest's Api with our error shape for every HTTP error."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault("spec_kwargs", {}).setdefault(
            "marshmallow_plugin", MarshmallowPlugin(schema_name_resolver=schema_name)
        )
        super().__init__(app, **kwargs)

    def handle_http_exception(self, error):
        return handle_http_exception(error)


jwt = CachingJWTManager()
cors = CORS()

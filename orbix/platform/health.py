"""Liveness and readiness probes."""

from flask import Response
from marshmallow import fields
from pymongo.errors import PyMongoError

from ..common.schemas import BaseSchema
from ..db import get_db
from .blueprint import ResourceBlueprint
from .errors import database_unavailable

blp = ResourceBlueprint("health", __name__, description="Liveness and readiness")
HEALTHY = b'{"status":"ok"}\n'


class HealthSchema(BaseSchema):
    status = fields.String(required=True, metadata={"example": "ok"})
    database = fields.String()


@blp.route("/health", methods=["GET"])
@blp.public
@blp.answers(200, HealthSchema)
def health():
    """Liveness: the process answers (no database call)"""
    # A constant answer, encoded once: probes call this every few seconds (the body is what the
    # JSON provider makes of {"status": "ok"}).
    return Response(HEALTHY, mimetype="application/json")


@blp.route("/ready", methods=["GET"])
@blp.public
@blp.response(200, HealthSchema)
@blp.errors(503)
def ready():
    """Readiness: the database answers a ping"""
    try:
        get_db().command("ping")
    except PyMongoError:
        return database_unavailable("Database unavailable", database="down")
    return {"status": "ok", "database": "up"}

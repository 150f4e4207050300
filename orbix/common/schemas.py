"""Base schemas shared by every resource."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from . import dump_plan
from .fields import AwareDateTime, ObjectIdField, RangeBound, TimeZoneName


class BaseSchema(Schema):
    """Ignores unknown fields: the existing client sends extras (e.g. ``status`` on create).
    Dumps stored documents (plain dicts) by a plan made once per instance (``dump_plan``)."""

    class Meta:
        unknown = EXCLUDE

    def _serialize(self, obj, *, many=False):
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        if type(obj) is not dict or not dump_plan.applies_to(self):
            return super()._serialize(obj)
        plan = self.__dict__.get("_dump_plan")
        if plan is None:
            plan = self._dump_plan = dump_plan.build(self)
        return dump_plan.dump(self, plan, obj)


class DocumentSchema(BaseSchema):
    """Fields every stored document renders: id, owner and server timestamps (never loaded)."""

    _id = ObjectIdField(dump_only=True)
    user_id = ObjectIdField(dump_only=True)
    created_at = AwareDateTime(dump_only=True)
    updated_at = AwareDateTime(dump_only=True)


class MessageSchema(BaseSchema):
    message = fields.String(required=True)


class ListQuerySchema(BaseSchema):
    """Opt-in pagination and sorting; resources add their own filters."""

    page = fields.Integer(validate=validate.Range(min=1, max=100_000), metadata={"description": "Page number, from 1"})
    page_size = fields.Integer(
        validate=validate.Range(min=1, max=500), metadata={"description": "Items per page (default 100 when paging)"}
    )
    sort = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "`field` or `-field` from the resource's sort whitelist"},
    )
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Case-insensitive text search"})


class DateRangeQueryMixin(Schema):
    """`from`/`to` query filters, inclusive; a bare date covers that whole day."""

    from_ = RangeBound(data_key="from", metadata={"description": "Inclusive start: YYYY-MM-DD or an ISO timestamp"})
    to = RangeBound(metadata={"description": "Inclusive end: YYYY-MM-DD (the whole day) or an ISO timestamp"})
    tz = TimeZoneName(
        metadata={"description": "IANA zone for bare dates and day grouping (default: your settings.timezone, or UTC)"}
    )

    @validates_schema
    def _range_order(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start[1] and end[1] and start[0] > end[0]:
            raise ValidationError("Must not be before `from`.", "to")


def update_schema(schema_cls, **kwargs):
    """The PUT/PATCH variant of a write schema: every top-level field optional, but a nested
    object or list item that is sent must still be complete (``partial=True`` would make
    nested required fields optional too, letting half-written items in)."""
    return schema_cls(partial=tuple(schema_cls._declared_fields), **kwargs)

"""AI request and response bodies (the existing client's shapes, plus ``breakdown``)."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..common.fields import Text
from ..common.schemas import BaseSchema, DateRangeQueryMixin, DocumentSchema, ListQuerySchema
from .prompts import TASKS, TONES, TRANSFORMS

MAX_INPUT = 20_000


class GenerateContextSchema(BaseSchema):
    """Optional details for the templates (cover letter, proposal, bio)."""

    name = Text(max_length=200, allow_none=True)
    role = Text(max_length=200, allow_none=True)
    company = Text(max_length=200, allow_none=True)
    recipient = Text(max_length=200, allow_none=True)
    audience = Text(max_length=200, allow_none=True)
    skills = Text(max_length=2000, allow_none=True)
    details = Text(max_length=5000, allow_none=True)


class GenerateSchema(BaseSchema):
    task = fields.String(required=True, validate=validate.OneOf(TASKS))
    tone = fields.String(load_default="professional", validate=validate.OneOf(TONES))
    input = Text(max_length=MAX_INPUT, allow_none=True, load_default="")
    context = fields.Nested(GenerateContextSchema, allow_none=True)

    @validates_schema
    def _something_to_work_on(self, data, **kwargs):
        has_context = any((data.get("context") or {}).values())
        if not data.get("input") and (data.get("task") in TRANSFORMS or not has_context):
            raise ValidationError("Must not be empty." if data.get("task") in TRANSFORMS
                                  else "Give input text or context details.", "input")


class GenerateResponseSchema(BaseSchema):
    content = fields.String(required=True)
    model = fields.String(allow_none=True)


class OptimizeSchema(BaseSchema):
    resume = Text(required=True, min_length=1, max_length=MAX_INPUT)
    job_description = Text(max_length=MAX_INPUT, allow_none=True, load_default="")


class _CheckSchema(BaseSchema):
    name = fields.String()
    passed = fields.Boolean()
    points = fields.Integer()
    max_points = fields.Integer()
    detail = fields.String()


class _KeywordPartSchema(BaseSchema):
    score = fields.Integer(
        allow_none=True,
        metadata={"description": "Weighted share of the job's key terms found (null: no job description)"},
    )
    weight = fields.Float()
    matched = fields.Integer()
    total = fields.Integer()


class _AtsPartSchema(BaseSchema):
    score = fields.Integer()
    weight = fields.Float()
    checks = fields.List(fields.Nested(_CheckSchema))


class _BreakdownSchema(BaseSchema):
    keywords = fields.Nested(_KeywordPartSchema)
    ats = fields.Nested(_AtsPartSchema)


class _AiPartSchema(BaseSchema):
    status = fields.String(metadata={"description": "used, unavailable (provider failed) or not_configured"})
    message = fields.String()
    model = fields.String(allow_none=True)


class OptimizeResponseSchema(BaseSchema):
    score = fields.Integer(required=True, metadata={"description": "0-100"})
    suggestions = fields.List(fields.String())
    missing_keywords = fields.List(fields.String())
    matched_keywords = fields.List(fields.String())
    strengths = fields.List(fields.String())
    breakdown = fields.Nested(_BreakdownSchema)
    ai = fields.Nested(_AiPartSchema)


class UsageSchema(DocumentSchema):
    task = fields.String()
    model = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "ok or error"})
    error_code = fields.Integer(allow_none=True)
    chars_in = fields.Integer()
    chars_out = fields.Integer()
    prompt_tokens = fields.Integer(allow_none=True)
    completion_tokens = fields.Integer(allow_none=True)
    total_tokens = fields.Integer(allow_none=True)
    latency_ms = fields.Integer()


class UsageQuerySchema(ListQuerySchema, DateRangeQueryMixin):
    task = fields.String(validate=validate.OneOf((*TASKS, "optimize")))


class UsageSummarySchema(BaseSchema):
    calls = fields.Integer()
    errors = fields.Integer()
    chars_in = fields.Integer()
    chars_out = fields.Integer()
    total_tokens = fields.Integer()
    by_task = fields.Dict(keys=fields.String(), values=fields.Integer())

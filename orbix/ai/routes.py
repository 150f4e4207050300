"""/api/ai: writing assistant, resume optimizer and usage.

Endpoints that may call the provider carry ``ai_call_limit`` (the per-user rate-limit
hook, see ``limits.py``)."""

from ..common.lists import PAGINATION_HEADER
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_id
from . import service, usage
from .limits import ai_call_limit
from .schemas import (
    GenerateResponseSchema,
    GenerateSchema,
    OptimizeResponseSchema,
    OptimizeSchema,
    UsageQuerySchema,
    UsageSchema,
    UsageSummarySchema,
)

blp = ResourceBlueprint("ai", __name__, url_prefix="/api/ai", description="AI writing assistant and resume optimizer",
                        family="ai")


@blp.route("/generate", methods=["POST"])
@blp.auth()
@ai_call_limit
@blp.arguments(GenerateSchema)
@blp.response(200, GenerateResponseSchema)
@blp.errors(502, 503, 504)
def generate(data):
    """Write or rework text (write, improve, summarize, rewrite, grammar, cover_letter, proposal, bio)

    503 when no AI provider is configured; 502/504 when the provider fails or times out."""
    return service.generate(current_user_id(), data)


@blp.route("/optimize-resume", methods=["POST"])
@blp.auth()
@ai_call_limit
@blp.arguments(OptimizeSchema)
@blp.response(200, OptimizeResponseSchema)
def optimize_resume(data):
    """Score pasted resume text against a job description (deterministic; AI suggestions added when configured)"""
    return service.optimize(current_user_id(), data["resume"], data["job_description"])


@blp.route("/usage", methods=["GET"])
@blp.auth()
@blp.arguments(UsageQuerySchema, location="query")
@blp.response(200, UsageSchema(many=True), headers=PAGINATION_HEADER)
def list_usage(args):
    """The caller's AI usage records (oldest first; filter by task, from, to)"""
    docs, headers = usage.list_usage(current_user_id(), args)
    return docs, 200, headers


@blp.route("/usage/summary", methods=["GET"])
@blp.auth()
@blp.arguments(UsageQuerySchema, location="query")
@blp.response(200, UsageSummarySchema)
def usage_summary(args):
    """Totals of the caller's AI usage over the same filters"""
    return usage.summary(current_user_id(), args)

"""/api/resumes: CRUD, duplicate, PDF/HTML rendering, JSON Resume and optimizing."""

from flask import Response

from ..ai.limits import ai_call_limit
from ..ai.schemas import OptimizeResponseSchema
from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_id
from ..platform.downloads import pdf_response
from . import service
from .jsonresume import JsonResumeSchema
from .schemas import (
    JobDescriptionSchema,
    LegacyOptimizeSchema,
    RenderQuerySchema,
    ResumeListQuerySchema,
    ResumeSchema,
    ResumeSummarySchema,
    ResumeWriteSchema,
)

blp = ResourceBlueprint("resumes", __name__, url_prefix="/api/resumes", description="Resumes", family="resumes")


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(ResumeListQuerySchema, location="query")
@blp.response(200, ResumeSummarySchema(many=True), headers=PAGINATION_HEADER)
def list_resumes(args):
    """List resumes (title, template, personal_info.full_name, timestamps; oldest first)"""
    docs, headers = service.list_resumes(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(ResumeWriteSchema)
@blp.response(201, ResumeSchema)
def create_resume(data):
    """Create a resume"""
    return service.create_resume(current_user_id(), data)


@blp.route("/import", methods=["POST"])
@blp.auth()
@blp.arguments(JsonResumeSchema)
@blp.response(201, ResumeSchema)
def import_resume(document):
    """Create a resume from a JSON Resume (v1.0.0) document

    Every field of the schema is kept, so exporting gives the same document back; properties
    the schema does not define are ignored."""
    return service.import_json_resume(current_user_id(), document)


@blp.route("/optimize", methods=["POST"])
@blp.auth()
@ai_call_limit
@blp.arguments(LegacyOptimizeSchema)
@blp.response(200, OptimizeResponseSchema)
def optimize_legacy(data):
    """Optimize a stored resume given {resume_id, job_description} (the old service's call)"""
    return service.optimize(current_user_id(), data["resume_id"], data["job_description"], body_reference=True)


@blp.route("/<resume_id>", methods=["GET"])
@blp.auth()
@blp.response(200, ResumeSchema)
@blp.errors(404)
def get_resume(resume_id):
    """Read a whole resume"""
    return service.get_resume(current_user_id(), resume_id)


@blp.route("/<resume_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(ResumeWriteSchema))
@blp.response(200, ResumeSchema)
@blp.errors(404)
def update_resume(changes, resume_id):
    """Update some fields of a resume (a list or personal_info that is sent replaces the stored one)"""
    return service.update_resume(current_user_id(), resume_id, changes)


@blp.route("/<resume_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404)
def delete_resume(resume_id):
    """Delete a resume"""
    service.delete_resume(current_user_id(), resume_id)
    return {"message": "Resume deleted"}


@blp.route("/<resume_id>/duplicate", methods=["POST"])
@blp.auth()
@blp.response(201, ResumeSchema)
@blp.errors(404)
def duplicate_resume(resume_id):
    """Copy a resume (title gets " (copy)")"""
    return service.duplicate_resume(current_user_id(), resume_id)


@blp.route("/<resume_id>/pdf", methods=["GET"])
@blp.auth()
@blp.arguments(RenderQuerySchema, location="query")
@blp.response(200, description="The resume as a PDF", content_type="application/pdf")
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404)
def resume_pdf(args, resume_id):
    """Render the resume as PDF (template: modern, classic, creative, minimal, executive)"""
    resume, data = service.render(current_user_id(), resume_id, args.get("template"), "pdf")
    return pdf_response(data, f"{resume.get('title') or 'resume'}.pdf", inline=not args["download"])


@blp.route("/<resume_id>/html", methods=["GET"])
@blp.auth()
@blp.arguments(RenderQuerySchema, location="query")
@blp.response(200, description="The resume as a self-contained HTML page", content_type="text/html")
@blp.media(200, "text/html")
@blp.errors(404)
def resume_html(args, resume_id):
    """Render the resume as one self-contained, escaped HTML page"""
    _, page = service.render(current_user_id(), resume_id, args.get("template"), "html")
    return Response(page, mimetype="text/html", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


@blp.route("/<resume_id>/json-resume", methods=["GET"])
@blp.auth()
@blp.response(200, description="JSON Resume v1.0.0 document")
@blp.media(200, "application/json", {"type": "object", "description": "A JSON Resume v1.0.0 document"})
@blp.errors(404)
def export_json_resume(resume_id):
    """Export the resume as a JSON Resume (v1.0.0) document"""
    return service.export_json_resume(current_user_id(), resume_id)


@blp.route("/<resume_id>/optimize", methods=["POST"])
@blp.auth()
@ai_call_limit
@blp.arguments(JobDescriptionSchema)
@blp.response(200, OptimizeResponseSchema)
@blp.errors(404)
def optimize_resume(data, resume_id):
    """Score a stored resume against a job description (see POST /api/ai/optimize-resume)"""
    return service.optimize(current_user_id(), resume_id, data["job_description"])

"""Resume rules and queries: CRUD, duplicate, rendering, JSON Resume and optimizing."""

from marshmallow import ValidationError

from ..ai import service as ai_service
from ..common import lists
from ..common.documents import delete_owned, insert_owned, update_owned
from ..common.exceptions import Invalid
from ..common.ownership import get_owned_or_404, require_owned_reference
from ..common.pdf import refuse_long_text
from . import RESUMES, jsonresume
from .html import render_html
from .pdf import render_pdf
from .schemas import DEFAULT_TEMPLATE, ResumeWriteSchema
from .view import build_view, to_plain_text

COLLECTION = RESUMES
WHAT = "Resume"
SORTABLE = {"title", "template", "created_at", "updated_at"}
SEARCHABLE = ("title", "personal_info.full_name")
LIST_PROJECTION = {
    "title": 1,
    "template": 1,
    "personal_info.full_name": 1,
    "user_id": 1,
    "created_at": 1,
    "updated_at": 1,
}


def list_resumes(user_id, args):
    query = {"user_id": user_id}
    if args.get("template"):
        query["template"] = args["template"]
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    return lists.find_page(COLLECTION, query, args, SORTABLE, projection=LIST_PROJECTION)


def create_resume(user_id, data):
    return insert_owned(COLLECTION, user_id, data)


def get_resume(user_id, resume_id):
    return get_owned_or_404(COLLECTION, resume_id, user_id, WHAT)


def update_resume(user_id, resume_id, changes):
    resume = get_resume(user_id, resume_id)
    return update_owned(COLLECTION, resume["_id"], user_id, changes, WHAT)


def delete_resume(user_id, resume_id):
    resume = get_resume(user_id, resume_id)
    delete_owned(COLLECTION, resume["_id"], user_id, WHAT)


def duplicate_resume(user_id, resume_id):
    """A copy titled "<title> (copy)", with new id and timestamps."""
    resume = get_resume(user_id, resume_id)
    copy = dict(resume, title=f"{resume.get('title') or 'Untitled resume'} (copy)"[:200])
    return insert_owned(COLLECTION, user_id, copy)


def _template(resume, requested):
    return requested or resume.get("template") or DEFAULT_TEMPLATE


def render(user_id, resume_id, template, kind):
    """(resume, bytes or text) in the requested design (default: the resume's own)."""
    resume = get_resume(user_id, resume_id)
    view = build_view(resume)
    design = _template(resume, template)
    if kind == "pdf":
        refuse_long_text(len(to_plain_text(resume)), "This resume's text")
    output = render_pdf(view, design) if kind == "pdf" else render_html(view, design)
    return resume, output


def export_json_resume(user_id, resume_id):
    return jsonresume.to_json_resume(get_resume(user_id, resume_id))


def import_json_resume(user_id, document):
    """Create a resume from a validated JSON Resume document."""
    try:
        data = ResumeWriteSchema().load(jsonresume.from_json_resume(document))
    except ValidationError as exc:  # limits of our model that JSON Resume does not share
        raise Invalid("The JSON Resume does not fit the resume model", errors={"json": exc.messages}) from exc
    return insert_owned(COLLECTION, user_id, data)


def optimize(user_id, resume_id, job_description, body_reference=False):
    """Optimizer analysis of a stored resume (``resume_id`` from a body: 422 when not the caller's)."""
    if body_reference:
        resume = require_owned_reference(COLLECTION, resume_id, user_id, "resume_id", "resume")
    else:
        resume = get_resume(user_id, resume_id)
    return ai_service.optimize(user_id, to_plain_text(resume), job_description)

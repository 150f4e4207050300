"""/api/contracts"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.downloads import pdf_response
from ..platform.public_urls import public_base_url
from ..platform.requester import requester
from . import audit, service, signing
from .pdf import contract_pdf
from .schemas import (
    ContractEventSchema,
    ContractListQuerySchema,
    ContractSchema,
    ContractUpdateSchema,
    ContractWriteSchema,
    CountersignSchema,
    RenderedSchema,
    RenderSchema,
    SendSchema,
    SigningLinkSchema,
    TemplateSchema,
    TemplateWriteSchema,
)

blp = ResourceBlueprint("contracts", __name__, url_prefix="/api/contracts", description="Contracts",
                        family="contracts")


@blp.route("/templates", methods=["GET"])
@blp.auth()
@blp.response(200, TemplateSchema(many=True))
def list_templates():
    """List built-in templates and your own, with the variables each needs"""
    return service.list_templates(current_user_id())


@blp.route("/templates", methods=["POST"])
@blp.auth()
@blp.arguments(TemplateWriteSchema)
@blp.response(201, TemplateSchema)
def create_template(data):
    """Save your own template ({{ variable }} placeholders)"""
    return service.create_template(current_user_id(), data)


@blp.route("/templates/<template_id>", methods=["GET"])
@blp.auth()
@blp.response(200, TemplateSchema)
@blp.errors(404)
def get_template(template_id):
    """Read a template (a built-in key or the id of one of yours)"""
    return service.get_template(current_user_id(), template_id)


@blp.route("/templates/<template_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(TemplateWriteSchema))
@blp.response(200, TemplateSchema)
@blp.errors(404, 409)
def update_template(changes, template_id):
    """Update one of your templates (built-in ones are read-only: 409)"""
    return service.update_template(current_user_id(), template_id, changes)


@blp.route("/templates/<template_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_template(template_id):
    """Delete one of your templates (contracts made from it keep their text)"""
    service.delete_template(current_user_id(), template_id)
    return {"message": "Template deleted"}


@blp.route("/render", methods=["POST"])
@blp.auth()
@blp.arguments(RenderSchema)
@blp.response(200, RenderedSchema)
def render_contract(data):
    """Render a template with variables (defaults from your profile, the client, the project), without saving"""
    return service.render_preview(current_user_doc(), data)


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(ContractListQuerySchema, location="query")
@blp.response(200, ContractSchema(many=True, exclude=("content", "variables")), headers=PAGINATION_HEADER)
def list_contracts(args):
    """List contracts (oldest first; filters status, client_id, project_id, q on title)"""
    docs, headers = service.list_contracts(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(ContractWriteSchema)
@blp.response(201, ContractSchema)
def create_contract(data):
    """Create a draft from raw content, or from a template and variables"""
    return service.create_contract(current_user_doc(), data, requester())


@blp.route("/<contract_id>", methods=["GET"])
@blp.auth()
@blp.response(200, ContractSchema)
@blp.errors(404)
def get_contract(contract_id):
    """Read a contract"""
    return service.get_contract(current_user_id(), contract_id)


@blp.route("/<contract_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(ContractUpdateSchema))
@blp.response(200, ContractSchema)
@blp.errors(404, 409)
def update_contract(changes, contract_id):
    """Change the status (see the lifecycle) or, while draft, the terms and text"""
    return service.update_contract(current_user_doc(), contract_id, changes)


@blp.route("/<contract_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_contract(contract_id):
    """Delete a draft or cancelled contract (others: 409)"""
    service.delete_contract(current_user_id(), contract_id)
    return {"message": "Contract deleted"}


@blp.route("/<contract_id>/send", methods=["POST"])
@blp.auth()
@blp.arguments(SendSchema(), required=False)
@blp.response(200, SigningLinkSchema)
@blp.errors(404, 409, 422, 503)
def send_contract(data, contract_id):
    """Send for signature: freezes the text and returns a signing page link; with `to` or `message`
    another link is e-mailed too (by a job)"""
    return signing.send_contract(current_user_doc(), contract_id, data, public_base_url(), requester())


@blp.route("/<contract_id>/countersign", methods=["POST"])
@blp.auth()
@blp.arguments(CountersignSchema)
@blp.response(200, ContractSchema)
@blp.errors(404, 409, 422)
def countersign_contract(data, contract_id):
    """Sign as the freelancer: before sending, while sent, after the client, or on a signed contract"""
    return signing.countersign(current_user_doc(), contract_id, data, requester())


@blp.route("/<contract_id>/events", methods=["GET"])
@blp.auth()
@blp.response(200, ContractEventSchema(many=True))
@blp.errors(404)
def contract_events(contract_id):
    """The audit trail: every event (created, sent, viewed, signed, countersigned, declined, expired), oldest first"""
    return signing.events(current_user_id(), contract_id)


@blp.route("/<contract_id>/pdf", methods=["GET"])
@blp.auth()
@blp.response(200, description="The contract as a PDF", content_type="application/pdf")
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404, 422)
def contract_pdf_download(contract_id):
    """Download the contract as a PDF (signature blocks once signed, then the audit certificate)"""
    user = current_user_doc()
    contract, parties = service.pdf_parts(user, contract_id)
    return pdf_response(contract_pdf(contract, parties, audit.events_of(contract),
                        service.document_style(user, contract)),
                        f"{contract['title']}.pdf")

"""/api/projects"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema, update_schema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc, current_user_id
from ..platform.read_cache import cached
from . import service
from .schemas import ConsumptionSchema, ProjectListQuerySchema, ProjectSchema, ProjectUpdateSchema, ProjectWriteSchema

blp = ResourceBlueprint("projects", __name__, url_prefix="/api/projects", description="Projects", family="projects")


@blp.route("/", methods=["GET"])
@blp.auth()
@cached
@blp.arguments(ProjectListQuerySchema, location="query")
@blp.response(200, ProjectSchema(many=True), headers=PAGINATION_HEADER)
def list_projects(args):
    """List projects (active by default; oldest first)"""
    docs, headers = service.list_projects(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@blp.auth()
@blp.arguments(ProjectWriteSchema)
@blp.response(201, ProjectSchema)
def create_project(data):
    """Create a project (client_id must be one of your clients)"""
    return service.create_project(current_user_doc(), data)


@blp.route("/<project_id>", methods=["GET"])
@blp.auth()
@blp.response(200, ConsumptionSchema)
@blp.errors(404)
def get_project(project_id):
    """Read a project with what it has consumed (tracked seconds, billable amount, remaining budget)"""
    return service.project_with_consumption(current_user_doc(), project_id)


@blp.route("/<project_id>", methods=["PUT", "PATCH"])
@blp.auth()
@blp.arguments(update_schema(ProjectUpdateSchema))
@blp.response(200, ProjectSchema)
@blp.errors(404)
def update_project(changes, project_id):
    """Update some fields of a project (null clears an optional field)"""
    return service.update_project(current_user_doc(), project_id, changes)


@blp.route("/<project_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_project(project_id):
    """Delete a project nothing refers to (else 409: archive it instead)"""
    service.delete_project(current_user_id(), project_id)
    return {"message": "Project deleted"}

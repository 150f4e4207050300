"""/api/files"""

from ..common.lists import PAGINATION_HEADER
from ..common.schemas import MessageSchema
from ..platform.blueprint import BINARY, ResourceBlueprint
from ..platform.caller import current_user_id
from ..platform.downloads import file_response
from ..platform.input_guard import body_limit
from . import service
from .schemas import ContentQuerySchema, FileListQuerySchema, FileSchema, UploadSchema

blp = ResourceBlueprint(
    "files", __name__, url_prefix="/api/files", description="Stored files: receipts and logos", family="files"
)

# The multipart envelope around the file (boundaries, part headers, the purpose field).
ENVELOPE_BYTES = 64 * 1024


@blp.route("/", methods=["GET"])
@blp.auth()
@blp.arguments(FileListQuerySchema, location="query")
@blp.response(200, FileSchema(many=True), headers=PAGINATION_HEADER)
def list_files(args):
    """List your files (oldest first); sort over created_at, updated_at, filename, size"""
    docs, headers = service.list_files(current_user_id(), args)
    return docs, 200, headers


@blp.route("/", methods=["POST"])
@body_limit(service.MAX_BYTES + ENVELOPE_BYTES, service.TOO_LARGE)
@blp.auth()
@blp.arguments(UploadSchema, location="multipart")
@blp.response(201, FileSchema)
@blp.errors(413)
def upload_file(data):
    """Upload a receipt or logo (multipart/form-data: `file`, `purpose`); the type is sniffed from the bytes"""
    upload = data["file"]
    return service.upload(current_user_id(), upload.stream, upload.filename, data["purpose"])


@blp.route("/<file_id>", methods=["GET"])
@blp.auth()
@blp.response(200, FileSchema)
@blp.errors(404)
def get_file(file_id):
    """A file's metadata"""
    return service.get_file(current_user_id(), file_id)


@blp.route("/<file_id>/content", methods=["GET"])
@blp.auth()
@blp.arguments(ContentQuerySchema, location="query")
@blp.response(200, description="The bytes, as the type sniffed at upload (only for the owner)")
@blp.media(200, "image/jpeg", BINARY)
@blp.media(200, "image/png", BINARY)
@blp.media(200, "application/pdf", BINARY)
@blp.errors(404)
def file_content(args, file_id):
    """Download a file (inline unless download=true)"""
    doc, stream = service.open_content(current_user_id(), file_id)
    return file_response(stream, doc["length"], doc["contentType"], doc["filename"], inline=not args["download"])


@blp.route("/<file_id>", methods=["DELETE"])
@blp.auth()
@blp.response(200, MessageSchema)
@blp.errors(404, 409)
def delete_file(file_id):
    """Delete a file (409 while an expense refers to it)"""
    service.delete_file(current_user_id(), file_id)
    return {"message": "File deleted"}

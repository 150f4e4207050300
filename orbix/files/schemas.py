"""Upload form, file metadata and list filters."""

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from .service import MAX_BYTES, PURPOSES


class UploadedFile(Upload):
    """A file part of a multipart/form-data body (a plain text field of that name is refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("Not a file: send it as a file part of a multipart/form-data body.")
        return value


class UploadSchema(BaseSchema):
    file = UploadedFile(
        required=True,
        metadata={"description": f"JPEG, PNG or PDF (a logo: JPEG or PNG), at most {MAX_BYTES} bytes; the type is "
                  "read from the bytes, never from the name or the part's Content-Type"},
    )
    purpose = fields.String(load_default="receipt", validate=validate.OneOf(sorted(PURPOSES)))


class FileSchema(DocumentSchema):
    filename = fields.String(metadata={"description": "As uploaded, ending in an extension of its type"})
    content_type = fields.String(
        attribute="contentType", metadata={"enum": ["image/jpeg", "image/png", "application/pdf"]}
    )
    size = fields.Integer(attribute="length", metadata={"description": "Bytes"})
    purpose = fields.String(metadata={"enum": sorted(PURPOSES)})
    sha256 = fields.String(metadata={"description": "Hex SHA-256 of the bytes"})


class FileListQuerySchema(ListQuerySchema):
    purpose = fields.String(validate=validate.OneOf(sorted(PURPOSES)))


class ContentQuerySchema(BaseSchema):
    download = fields.Boolean(load_default=False, metadata={"description": "true: attachment instead of inline"})

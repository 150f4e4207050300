"""File rules: what may be uploaded (type from the bytes, size, purpose), who may read it
(the owner only; everyone else gets 404) and when it may be deleted (not while an expense
refers to it: 409, detach it first)."""

import hashlib

import gridfs

from ..common import lists
from ..common.exceptions import TooLarge, unprocessable
from ..common.ownership import find_owned, get_owned_or_404, require_owned_reference
from ..common.references import delete_unreferenced, still_referable
from ..expenses import EXPENSES
from . import FILES, sniffing, storage

MAX_BYTES = 10 * 1024 * 1024
TOO_LARGE = f"File too large: uploads are limited to 10 MB ({MAX_BYTES} bytes)"
# What each purpose accepts: a logo is shown in documents, so it is an image.
PURPOSES = {
    "receipt": (sniffing.JPEG, sniffing.PNG, sniffing.PDF),
    "logo": (sniffing.JPEG, sniffing.PNG),
}
DEFAULT_NAMES = {"receipt": "receipt", "logo": "logo"}
LOCATION = "multipart"  # where upload errors point, like the schema's own
SORTABLE = {"created_at", "updated_at", "filename", "length"}
REFERRERS = ((EXPENSES, "expense", "expenses"),)
PIECE = 1024 * 1024


def _size(stream):
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream):
    digest = hashlib.sha256()
    for piece in iter(lambda: stream.read(PIECE), b""):
        digest.update(piece)
    stream.seek(0)
    return digest.hexdigest()


def _kind(stream, purpose):
    kind = sniffing.sniff(stream.read(sniffing.HEAD_BYTES))
    stream.seek(0)
    if kind is None:
        unprocessable("file", "Only JPEG, PNG and PDF files are accepted; these bytes are none of them.", LOCATION)
    allowed = PURPOSES[purpose]
    if kind not in allowed:
        labels = " or ".join(k.label for k in allowed)
        unprocessable("file", f"A {purpose} must be {labels}; this file is {kind.label}.", LOCATION)
    return kind


def upload(user_id, stream, filename, purpose):
    """Store an upload (a seekable binary stream) after checking its size and its bytes."""
    if _size(stream) > MAX_BYTES:
        raise TooLarge(TOO_LARGE)
    kind = _kind(stream, purpose)
    try:
        name = sniffing.stored_name(filename, kind, DEFAULT_NAMES[purpose])
    except sniffing.NameMismatch as exc:
        unprocessable("file", str(exc), LOCATION)
    fields = {"filename": name, "content_type": kind.content_type, "purpose": purpose, "sha256": _sha256(stream)}
    return storage.put(user_id, stream, fields)


def list_files(user_id, args):
    query = {"user_id": user_id}
    if args.get("purpose"):
        query["purpose"] = args["purpose"]
    query.update(lists.text_search(args.get("q"), ("filename",)))
    args = dict(args)
    if args.get("sort", "").lstrip("-+") == "size":
        args["sort"] = args["sort"].replace("size", "length")
    return lists.find_page(FILES, query, args, SORTABLE)


def get_file(user_id, file_id):
    return get_owned_or_404(FILES, file_id, user_id, "File")


def open_content(user_id, file_id):
    """(files document, iterable GridOut of its bytes) of the caller's file, else 404."""
    doc = get_file(user_id, file_id)
    return doc, storage.open_bytes(doc["_id"])


def delete_file(user_id, file_id):
    doc = get_file(user_id, file_id)
    delete_unreferenced(
        FILES,
        doc["_id"],
        user_id,
        "receipt_file_id",
        REFERRERS,
        "File",
        hint="detach it first (PATCH the expense with receipt_file_id: null)",
        remove=lambda: storage.delete([doc["_id"]], user_id),
    )


def require_file(user_id, file_id, purpose, field):
    """The caller's file of ``purpose`` named by a body field; 422 naming the field otherwise
    (None stays None)."""
    doc = require_owned_reference(FILES, file_id, user_id, field, "file", {"purpose": 1})
    if doc is not None and doc.get("purpose") != purpose:
        unprocessable(field, f"This file was uploaded as a {doc.get('purpose')}, not a {purpose}.")
    return doc


def find_image(user_id, file_id, purpose="logo"):
    """The files document of the user's image of ``purpose`` (the logo documents print), or None
    when it is gone or is not one: a deleted logo just leaves documents without one."""
    doc = find_owned(FILES, file_id, user_id, {"purpose": 1, "contentType": 1})
    return doc if doc is not None and doc.get("purpose") == purpose else None


def image_bytes(user_id, file_id, purpose="logo"):
    """(content type, bytes) of that image, or None."""
    doc = find_image(user_id, file_id, purpose)
    if doc is None:
        return None
    try:
        data = storage.open_bytes(doc["_id"]).read()
    except gridfs.errors.NoFile:
        return None
    return doc.get("contentType"), data


def file_stands(file_id):
    """Whether a file just referenced still stands (not deleted or being deleted)."""
    return file_id is None or still_referable(FILES, file_id)


def delete_all(user_id):
    """Account deletion: every file of the user, bytes included."""
    storage.delete_all(user_id)


def purge_abandoned():
    return storage.purge_abandoned()

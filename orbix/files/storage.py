"""The bytes of stored files, in GridFS (bucket ``files``), through PyMongo's ``gridfs``.

Checked on the embedded FerretDB 1.24 (SQLite backend) as on MongoDB: files of 0 and 1 bytes,
one byte either side of the 255 KiB chunk boundary and 10 MiB go in and come back intact;
nothing GridFS needs is missing there (PyMongo 4 no longer asks the server for an MD5).

A GridFS write stores the chunks first and the files document last, so a file is listed only
once whole. A crash in between would leave chunks that nothing lists: every write (and every
deletion, which removes the document first) is therefore announced in ``file_writes`` and the
mark removed once done; ``purge_abandoned`` (daily job, ``flask --app wsgi purge-expired``)
deletes the chunks of marks older than ``ABANDONED_AFTER`` whose files document is gone.
Owner, purpose and SHA-256 are top-level fields of the files document (GridFS allows extra
fields), so the ownership helpers and indexes work on it like on any collection; the sniffed
type is GridFS's own ``contentType`` (PyMongo stores ``content_type`` under that name).
"""

import contextlib
from datetime import timedelta

import gridfs
from bson import ObjectId
from pymongo.errors import BulkWriteError

from ..common.timeutil import utcnow
from ..db import collection, get_db
from . import FILE_CHUNKS, FILE_WRITES, FILES, FILES_BUCKET

ABANDONED_AFTER = timedelta(hours=1)  # far longer than any request may run


def _bucket():
    return gridfs.GridFS(get_db(), collection=FILES_BUCKET)


def _mark(file_ids, user_id):
    now = utcnow()
    with contextlib.suppress(BulkWriteError):  # marked by an earlier attempt already: the mark stands
        collection(FILE_WRITES).insert_many(
            [{"_id": file_id, "user_id": user_id, "started_at": now} for file_id in file_ids], ordered=False
        )


def _unmark(file_ids):
    collection(FILE_WRITES).delete_many({"_id": {"$in": list(file_ids)}})


def _drop_chunks(file_ids):
    collection(FILE_CHUNKS).delete_many({"files_id": {"$in": list(file_ids)}})


def put(user_id, stream, fields):
    """Store the bytes of ``stream`` as a new file of ``user_id`` with ``fields`` (filename,
    content_type ...); returns the files document."""
    file_id = ObjectId()
    now = utcnow()
    _mark([file_id], user_id)
    try:
        _bucket().put(stream, _id=file_id, user_id=user_id, created_at=now, updated_at=now, **fields)
    except BaseException:
        _drop_chunks([file_id])
        raise
    _unmark([file_id])
    return collection(FILES).find_one({"_id": file_id})


def open_bytes(file_id):
    """A readable, iterable GridOut of a stored file (chunk by chunk)."""
    return _bucket().get(file_id)


def delete(file_ids, user_id):
    """Delete files of ``user_id``: the documents first (so none is listed half-deleted), then
    the chunks."""
    file_ids = list(file_ids)
    if not file_ids:
        return
    _mark(file_ids, user_id)
    collection(FILES).delete_many({"_id": {"$in": file_ids}, "user_id": user_id})
    _drop_chunks(file_ids)
    _unmark(file_ids)


def delete_all(user_id):
    """Every file of ``user_id``, with the leftovers of its unfinished writes."""
    ids = [doc["_id"] for doc in collection(FILES).find({"user_id": user_id}, {"_id": 1})]
    pending = [doc["_id"] for doc in collection(FILE_WRITES).find({"user_id": user_id}, {"_id": 1})]
    delete(ids, user_id)
    _drop_chunks(pending)
    _unmark(pending)


def purge_abandoned():
    """Delete the chunks of writes that never finished; returns how many writes were cleared."""
    marks = list(collection(FILE_WRITES).find({"started_at": {"$lt": utcnow() - ABANDONED_AFTER}}))
    for mark in marks:
        if collection(FILES).count_documents({"_id": mark["_id"]}, limit=1) == 0:
            _drop_chunks([mark["_id"]])
        collection(FILE_WRITES).delete_one({"_id": mark["_id"], "started_at": mark["started_at"]})
    return len(marks)

"""GridFS on the database the suite runs against (the embedded FerretDB unless MONGO_URI says
otherwise): the sizes an upload through HTTP cannot have (every accepted type has a signature
longer than one byte), stored and read back by ``files.storage`` itself."""

import io

import pytest
from bson import ObjectId

from orbix.files import storage


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xff" * 2])
def test_tiny_files_round_trip_through_gridfs(app, db, data):
    owner = ObjectId()
    with app.app_context():
        stored = storage.put(owner, io.BytesIO(data), {"filename": "tiny.bin", "purpose": "receipt"})
        assert (stored["length"], stored["user_id"], stored["filename"]) == (len(data), owner, "tiny.bin")
        assert storage.open_bytes(stored["_id"]).read() == data
        assert db["files.chunks"].count_documents({"files_id": stored["_id"]}) == (1 if data else 0)
        assert db.file_writes.count_documents({}) == 0
        storage.delete([stored["_id"]], owner)
    assert db["files.files"].count_documents({}) == 0 and db["files.chunks"].count_documents({}) == 0

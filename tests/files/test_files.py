"""Stored files: POST/GET/DELETE /api/files, the bytes at /api/files/{id}/content.

Uploads go through HTTP as multipart/form-data; the ``db`` fixture only reads stored state
(or, for the crash test, leaves the state a crashed upload would leave)."""

import hashlib
import io
from datetime import timedelta

import pytest
from bson import ObjectId

from orbix.common.timeutil import utcnow
from tests.factories import (
    JPEG_SIGNATURE,
    PASSWORD,
    PDF_SIGNATURE,
    PNG_SIGNATURE,
    assert_error_shape,
    expect,
    file_bytes,
    make_expense,
    upload,
    upload_file,
)

FILES = "/api/files"
MB = 1024 * 1024
LIMIT = 10 * MB
CHUNK = 255 * 1024  # GridFS's default chunk size
TOO_LARGE = "File too large: uploads are limited to 10 MB (10485760 bytes)"


def content(client, headers, file_id, **query):
    return client.get(f"{FILES}/{file_id}/content", query_string=query, headers=headers)


def upload_error(response):
    """The message of a refused upload, after checking it names the `file` part."""
    body = assert_error_shape(response, 422)
    assert list(body["errors"]["multipart"]) == ["file"]
    return body["errors"]["multipart"]["file"][0]


def test_upload_stores_the_bytes_with_the_sniffed_type_and_serves_them_to_the_owner(client, auth):
    data = file_bytes(PDF_SIGNATURE, 5000)
    stored = expect(upload(client, auth, data, filename="Reçu mars.pdf", content_type="image/png"))
    assert stored["content_type"] == "application/pdf"  # from the bytes, not the part's Content-Type
    assert (stored["filename"], stored["size"], stored["purpose"]) == ("Reçu mars.pdf", 5000, "receipt")
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert expect(client.get(f"{FILES}/{stored['_id']}", headers=auth), 200) == stored

    response = content(client, auth, stored["_id"])
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == "5000"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"Recu_mars.pdf\"; filename*=UTF-8''Re%C3%A7u_mars.pdf"
    )
    attachment = content(client, auth, stored["_id"], download="true")
    assert attachment.headers["Content-Disposition"].startswith('attachment; filename="Recu_mars.pdf"')


def test_names_end_in_an_extension_of_the_sniffed_type(client, auth):
    jpeg = file_bytes(JPEG_SIGNATURE)
    assert upload_file(client, auth, jpeg, filename="scan", content_type="application/octet-stream")[
        "filename"
    ] == "scan.jpg"
    assert upload_file(client, auth, jpeg, filename="PHOTO.JPEG")["filename"] == "PHOTO.JPEG"
    assert upload_file(client, auth, file_bytes(), filename="page.html")["filename"] == "page.html.png"
    assert upload_file(client, auth, file_bytes(), filename="../../home/ada/taxi.png")["filename"] == "taxi.png"
    assert upload_file(client, auth, file_bytes(), filename="")["filename"] == "receipt.png"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (file_bytes(PNG_SIGNATURE), "receipt.pdf", "The content is PNG but the name ends in .pdf (PDF)."),
        (file_bytes(PDF_SIGNATURE), "receipt.jpg", "The content is PDF but the name ends in .jpg (JPEG)."),
        (file_bytes(b"MZ\x90\x00\x03"), "setup.png", "Only JPEG, PNG and PDF files are accepted"),
        (b"GIF89a" + bytes(100), "anim.gif", "Only JPEG, PNG and PDF files are accepted"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "Only JPEG, PNG and PDF files are accepted"),
        (b"", "empty.png", "Only JPEG, PNG and PDF files are accepted"),
        (b"\x89", "one.png", "Only JPEG, PNG and PDF files are accepted"),
    ],
)
def test_the_type_comes_from_the_bytes_and_the_name_must_agree(client, auth, db, data, filename, message):
    assert upload_error(upload(client, auth, data, filename=filename)).startswith(message)
    assert db["files.files"].count_documents({}) == 0 and db["files.chunks"].count_documents({}) == 0


def test_a_logo_must_be_an_image_and_the_purpose_one_of_two(client, auth):
    logo = upload_file(client, auth, file_bytes(PNG_SIGNATURE), filename="logo.png", purpose="logo")
    assert logo["purpose"] == "logo"
    message = upload_error(upload(client, auth, file_bytes(PDF_SIGNATURE), filename="logo.pdf", purpose="logo"))
    assert message == "A logo must be JPEG or PNG; this file is PDF."
    body = assert_error_shape(upload(client, auth, file_bytes(), purpose="avatar"), 422)
    assert "purpose" in body["errors"]["multipart"]


def test_the_file_part_is_required_and_must_be_a_file(client, auth):
    missing = assert_error_shape(
        client.post(FILES, data={"purpose": "receipt"}, content_type="multipart/form-data", headers=auth), 422
    )
    assert missing["errors"]["multipart"]["file"] == ["Missing data for required field."]
    text = assert_error_shape(
        client.post(FILES, data={"file": "not a file"}, content_type="multipart/form-data", headers=auth), 422
    )
    assert text["errors"]["multipart"]["file"][0].startswith("Not a file")
    as_json = assert_error_shape(client.post(FILES, json={"file": "x"}, headers=auth), 422)
    assert "file" in as_json["errors"]["multipart"]


@pytest.mark.parametrize("size", [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, LIMIT])
def test_gridfs_keeps_every_byte_around_chunk_boundaries_up_to_the_limit(client, auth, db, size):
    data = file_bytes(PNG_SIGNATURE, size, fill=bytes(range(251)))  # a period that never lines up with a chunk
    stored = upload_file(client, auth, data)
    assert stored["size"] == size and stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert db["files.chunks"].count_documents({"files_id": ObjectId(stored["_id"])}) == -(-size // CHUNK)
    assert content(client, auth, stored["_id"]).data == data


def test_a_file_over_10_mb_is_413_naming_the_limit(client, auth, db):
    body = assert_error_shape(upload(client, auth, file_bytes(PNG_SIGNATURE, LIMIT + 1)), 413)
    assert body["message"] == TOO_LARGE
    assert db["files.files"].count_documents({}) == 0 and db["files.chunks"].count_documents({}) == 0


def test_a_body_over_the_upload_limit_is_refused_from_its_length_alone(client, auth):
    body = assert_error_shape(upload(client, auth, file_bytes(PNG_SIGNATURE, LIMIT + MB)), 413)
    assert body["message"] == TOO_LARGE


def test_a_streamed_upload_is_cut_off_at_the_upload_limit(client, auth):
    """A chunked body has no length to refuse up front: the form parser stops at the limit."""
    head = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
    for size, status in ((1000, 201), (LIMIT + MB, 413)):
        body = head + file_bytes(PNG_SIGNATURE, size) + b"\r\n--XyZ--\r\n"
        response = client.post(
            FILES,
            input_stream=io.BytesIO(body),
            headers={**auth, "Content-Type": "multipart/form-data; boundary=XyZ", "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},  # what gunicorn says of a dechunked body
        )
        assert response.status_code == status, response.get_json()
    assert response.get_json()["message"] == TOO_LARGE


def test_other_routes_keep_the_global_body_limit(client, auth):
    body = assert_error_shape(
        client.post("/api/clients", data=b"x" * (3 * MB), content_type="application/json", headers=auth), 413
    )
    assert body["message"] == "Request body too large: the limit is 2097152 bytes"


def test_a_retried_upload_with_an_idempotency_key_is_stored_once(client, auth, db):
    keyed = {**auth, "Idempotency-Key": "upload-1"}
    first = expect(upload(client, keyed, file_bytes(PNG_SIGNATURE, 3000)))
    again = upload(client, keyed, file_bytes(PNG_SIGNATURE, 3000))
    assert expect(again) == first and again.headers["Idempotent-Replayed"] == "true"
    assert db["files.files"].count_documents({}) == 1
    assert_error_shape(upload(client, keyed, file_bytes(PNG_SIGNATURE, 3001)), 422)  # another body, same key


def test_files_are_the_owners_only(client, auth, other_auth):
    mine = upload_file(client, auth)
    theirs = upload_file(client, other_auth, file_bytes(JPEG_SIGNATURE), filename="theirs.jpg")
    for path in (f"{FILES}/{theirs['_id']}", f"{FILES}/{theirs['_id']}/content", f"{FILES}/not-an-id/content"):
        assert_error_shape(client.get(path, headers=auth), 404)
    assert_error_shape(client.delete(f"{FILES}/{theirs['_id']}", headers=auth), 404)
    assert [f["_id"] for f in expect(client.get(FILES, headers=auth), 200)] == [mine["_id"]]
    assert assert_error_shape(client.get(f"{FILES}/{mine['_id']}/content"), 401)
    assert content(client, other_auth, theirs["_id"]).status_code == 200  # still there


def test_list_filters_by_purpose_and_sorts_by_size(client, auth):
    small = upload_file(client, auth, file_bytes(PNG_SIGNATURE, 100))
    logo = upload_file(client, auth, file_bytes(PNG_SIGNATURE, 50), filename="logo.png", purpose="logo")
    large = upload_file(client, auth, file_bytes(PDF_SIGNATURE, 300), filename="big.pdf")
    listed = expect(client.get(FILES, query_string={"purpose": "receipt", "sort": "-size"}, headers=auth), 200)
    assert [f["_id"] for f in listed] == [large["_id"], small["_id"]]
    assert [f["_id"] for f in expect(client.get(FILES, query_string={"q": "LOGO"}, headers=auth), 200)] == [
        logo["_id"]
    ]


def test_deleting_a_file_removes_its_bytes(client, auth, db):
    stored = upload_file(client, auth, file_bytes(PNG_SIGNATURE, CHUNK * 2))
    assert expect(client.delete(f"{FILES}/{stored['_id']}", headers=auth), 200) == {"message": "File deleted"}
    assert_error_shape(client.get(f"{FILES}/{stored['_id']}", headers=auth), 404)
    assert db["files.chunks"].count_documents({}) == 0 and db.file_writes.count_documents({}) == 0


def test_a_receipt_in_use_cannot_be_deleted_until_detached(client, auth):
    receipt = upload_file(client, auth)
    expense = make_expense(client, auth, receipt_file_id=receipt["_id"])
    refused = assert_error_shape(client.delete(f"{FILES}/{receipt['_id']}", headers=auth), 409)
    assert refused["message"] == (
        "File is referenced by 1 expense; detach it first (PATCH the expense with receipt_file_id: null)"
    )
    assert content(client, auth, receipt["_id"]).status_code == 200
    detach = client.patch(f"/api/expenses/{expense['_id']}", json={"receipt_file_id": None}, headers=auth)
    detached = expect(detach, 200)
    assert detached["receipt_file_id"] is None
    assert client.delete(f"{FILES}/{receipt['_id']}", headers=auth).status_code == 200


def test_a_receipt_must_be_the_callers_file_uploaded_as_a_receipt(client, auth, other_auth):
    theirs = upload_file(client, other_auth)
    logo = upload_file(client, auth, filename="logo.png", purpose="logo")
    for file_id, message in (
        (theirs["_id"], "No such file for this account."),
        (logo["_id"], "This file was uploaded as a logo, not a receipt."),
    ):
        body = assert_error_shape(
            client.post("/api/expenses", json={"date": "2025-01-01", "amount": 5, "receipt_file_id": file_id},
                        headers=auth),
            422,
        )
        assert body["errors"]["json"]["receipt_file_id"] == [message]


def test_an_upload_a_crash_left_half_written_is_never_listed_and_is_purged(app, client, auth, user, db):
    finished = upload_file(client, auth)
    # What a worker dying inside GridFS's write leaves: chunks, the write's mark, no files document.
    crashed = ObjectId()
    db["files.chunks"].insert_many([{"files_id": crashed, "n": n, "data": b"\x89PNG" * 10} for n in range(3)])
    long_ago = utcnow() - timedelta(hours=2)
    db.file_writes.insert_many([
        {"_id": crashed, "user_id": ObjectId(user["id"]), "started_at": long_ago},
        # a write that finished but lost its mark's removal: the file stays
        {"_id": ObjectId(finished["_id"]), "user_id": ObjectId(user["id"]), "started_at": long_ago},
        # a write still in progress: left alone
        {"_id": ObjectId(), "user_id": ObjectId(user["id"]), "started_at": utcnow()},
    ])
    assert [f["_id"] for f in expect(client.get(FILES, headers=auth), 200)] == [finished["_id"]]
    assert_error_shape(client.get(f"{FILES}/{crashed}/content", headers=auth), 404)

    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0 and "unfinished file writes: 2" in result.output
    assert db["files.chunks"].count_documents({"files_id": crashed}) == 0
    assert db.file_writes.count_documents({}) == 1
    assert content(client, auth, finished["_id"]).data == file_bytes()


def test_account_export_lists_file_metadata_and_deletion_removes_the_bytes(client, user, db, make_user):
    other = make_user()
    kept = upload_file(client, other["headers"])
    stored = upload_file(client, user["headers"], file_bytes(PNG_SIGNATURE, CHUNK + 10))
    exported = expect(client.get("/api/auth/me/export", headers=user["headers"]), 200)["data"]
    assert [(f["_id"], f["filename"], f["length"]) for f in exported["files.files"]] == [
        (stored["_id"], "receipt.png", CHUNK + 10)
    ]
    assert "files.chunks" not in exported and "file_writes" not in exported
    response = client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"])
    assert response.status_code == 200, response.get_json()
    assert db["files.files"].count_documents({}) == 1
    assert db["files.chunks"].distinct("files_id") == [ObjectId(kept["_id"])]

"""Resume CRUD: the model's validation, the client's shapes, ownership."""

import pytest

from tests.factories import assert_error_shape, make_resume
from tests.resume_samples import CLIENT_RESUME, full_resume


def test_create_returns_the_whole_resume_with_server_fields(client, auth):
    body = make_resume(client, auth, full_resume(user_id="6b0849783ef581af828dd253", _id="6b0849783ef581af828dd253"))
    assert len(body["_id"]) == 24 and body["user_id"] != "6b0849783ef581af828dd253"
    assert body["experience"][0]["achievements"] == [
        "Cut p99 latency by 45%",
        "Led migration of 40 services to Kubernetes",
    ]
    assert body["certifications"][0]["credential_id"] == "LF-123"
    assert body["created_at"].endswith("+00:00")
    assert client.get(f"/api/resumes/{body['_id']}", headers=auth).get_json() == body


def test_existing_client_body_with_nulls_empty_strings_and_free_text_dates_is_accepted(client, auth):
    body = make_resume(client, auth, CLIENT_RESUME)
    assert body["experience"][0]["start_date"] == "Jan 2020" and body["experience"][0]["end_date"] == "Present"
    assert body["personal_info"]["phone"] is None and body["personal_info"]["email"] == ""
    assert body["skills"] == ["Mathematics"]
    assert body["certifications"] == [] and body["projects"] == []


def test_template_defaults_to_modern_and_title_has_a_default(client, auth):
    body = make_resume(client, auth, {"personal_info": {"full_name": "Ada"}, "template": None, "skills": None})
    assert body["template"] == "modern" and body["title"] == "Untitled resume" and body["skills"] == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"personal_info": {"email": "a@b.c"}}, ["personal_info", "full_name"]),
        ({"personal_info": None}, ["personal_info"]),
        ({"template": "fancy"}, ["template"]),
        ({"skills": "Python"}, ["skills"]),
        ({"experience": [{"position": 5}]}, ["experience", "0", "position"]),
        ({"experience": [{"achievements": ["x" * 1001]}]}, ["experience", "0", "achievements", "0"]),
        ({"summary": "x" * 5001}, ["summary"]),
        ({"skills": ["s"] * 201}, ["skills"]),
        ({"education": "nope"}, ["education"]),
    ],
)
def test_invalid_fields_get_422_naming_the_path(client, auth, change, path):
    response = client.post("/api/resumes", json=full_resume(**change), headers=auth)
    errors = assert_error_shape(response, 422)["errors"]["json"]
    for key in path:
        errors = errors[key] if key in errors else errors[int(key)]
    assert errors


def test_a_five_megabyte_summary_is_refused_before_parsing(client, auth):
    response = client.post("/api/resumes", json=full_resume(summary="x" * 5 * 1024 * 1024), headers=auth)
    assert_error_shape(response, 413)


def test_body_that_is_not_an_object_is_422(client, auth):
    assert_error_shape(client.post("/api/resumes", json=["x"], headers=auth), 422)


def test_list_shows_the_client_fields_oldest_first(client, auth):
    first = make_resume(client, auth)
    second = make_resume(client, auth, CLIENT_RESUME)
    listed = client.get("/api/resumes", headers=auth)
    assert listed.status_code == 200
    items = listed.get_json()
    assert [i["_id"] for i in items] == [first["_id"], second["_id"]]
    assert items[1]["personal_info"] == {"full_name": "Ada Lovelace"}
    assert set(items[0]) >= {"_id", "title", "template", "updated_at"} and "experience" not in items[0]
    found = client.get("/api/resumes?q=lovel&template=classic", headers=auth).get_json()
    assert [i["_id"] for i in found] == [second["_id"]]
    assert_error_shape(client.get("/api/resumes?sort=summary", headers=auth), 422)


def test_patch_changes_only_the_fields_sent_and_null_template_resets(client, auth):
    resume = make_resume(client, auth)
    response = client.patch(
        f"/api/resumes/{resume['_id']}", json={"summary": "New", "template": "executive"}, headers=auth
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["summary"] == "New" and body["template"] == "executive" and body["skills"] == resume["skills"]
    assert body["updated_at"] >= resume["updated_at"]
    put = client.put(f"/api/resumes/{resume['_id']}", json={"template": None, "skills": ["Go"]}, headers=auth)
    assert put.get_json()["template"] == "modern" and put.get_json()["skills"] == ["Go"]


def test_patch_with_partial_personal_info_needs_the_full_name(client, auth):
    resume = make_resume(client, auth)
    response = client.patch(f"/api/resumes/{resume['_id']}", json={"personal_info": {"email": "x@y.z"}}, headers=auth)
    assert "full_name" in assert_error_shape(response, 422)["errors"]["json"]["personal_info"]


def test_duplicate_makes_an_independent_copy(client, auth):
    resume = make_resume(client, auth)
    response = client.post(f"/api/resumes/{resume['_id']}/duplicate", headers=auth)
    assert response.status_code == 201
    copy = response.get_json()
    assert copy["_id"] != resume["_id"] and copy["title"] == "Backend engineer resume (copy)"
    assert copy["experience"] == resume["experience"]
    client.delete(f"/api/resumes/{resume['_id']}", headers=auth)
    assert client.get(f"/api/resumes/{copy['_id']}", headers=auth).status_code == 200


def test_delete_returns_a_json_message_then_404(client, auth):
    resume = make_resume(client, auth)
    response = client.delete(f"/api/resumes/{resume['_id']}", headers=auth)
    assert response.status_code == 200 and response.get_json() == {"message": "Resume deleted"}
    assert_error_shape(client.get(f"/api/resumes/{resume['_id']}", headers=auth), 404)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"title": "mine now"}),
        ("put", "", {"title": "mine now"}),
        ("delete", "", None),
        ("post", "/duplicate", None),
        ("get", "/pdf", None),
        ("get", "/html", None),
        ("get", "/json-resume", None),
        ("post", "/optimize", {"job_description": "Python"}),
    ],
)
def test_another_users_resume_is_404_everywhere(client, auth, other_auth, method, suffix, body):
    resume = make_resume(client, auth)
    response = getattr(client, method)(f"/api/resumes/{resume['_id']}{suffix}", json=body, headers=other_auth)
    assert_error_shape(response, 404)
    assert client.get(f"/api/resumes/{resume['_id']}", headers=auth).get_json()["title"] == resume["title"]
    assert client.get("/api/resumes", headers=other_auth).get_json() == []


def test_malformed_id_is_404(client, auth):
    assert_error_shape(client.get("/api/resumes/not-an-id", headers=auth), 404)


def test_token_is_required(client):
    assert_error_shape(client.get("/api/resumes"), 401)
    assert_error_shape(client.post("/api/resumes", json=full_resume()), 401)

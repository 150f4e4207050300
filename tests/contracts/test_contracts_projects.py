"""Contracts and projects: defaults (scope, value, dates), ownership, the project filter."""

from tests.factories import assert_error_shape, make_client, make_contract, make_project

MARKETING_SITE = {"name": "Marketing site", "hourly_rate": 90, "budget": 7200, "start_date": "2026-05-04",
                  "end_date": "2026-07-31", "description": "Design and build the marketing site"}


def test_template_defaults_come_from_the_project(client, auth):
    client_id = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=client_id, **MARKETING_SITE)
    response = client.post(
        "/api/contracts",
        json={
            "client_id": client_id,
            "project_id": project["_id"],
            "template": "freelance_services",
            "currency": project.get("currency", "USD"),
        },
        headers=auth,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["project_id"] == project["_id"]
    assert body["value"] == 7200 and body["start_date"] == "2026-05-04" and body["end_date"] == "2026-07-31"
    assert "Design and build the marketing site" in body["content"]
    assert "4 May 2026" in body["content"] and "31 July 2026" in body["content"] and "7,200.00" in body["content"]


def test_given_terms_win_over_project_defaults(client, auth):
    client_id = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=client_id, **MARKETING_SITE)
    body = client.post(
        "/api/contracts/render",
        json={
            "template": "freelance_services",
            "client_id": client_id,
            "project_id": project["_id"],
            "value": 500,
            "start_date": "2026-06-01",
            "variables": {"scope": "Only the landing page"},
        },
        headers=auth,
    ).get_json()
    assert "Only the landing page" in body["content"] and "1 June 2026" in body["content"]
    assert body["variables"]["fee"] == "500.00"


def test_other_users_project_is_422(client, auth, other_auth):
    foreign = make_project(client, other_auth, client_id=make_client(client, other_auth)["_id"], **MARKETING_SITE)
    body = {"client_id": make_client(client, auth)["_id"], "project_id": foreign["_id"], "title": "T", "content": "C"}
    error = assert_error_shape(client.post("/api/contracts", json=body, headers=auth), 422)
    assert "project_id" in error["errors"]["json"]


def test_project_of_another_client_is_422(client, auth):
    project = make_project(client, auth, client_id=make_client(client, auth, name="First")["_id"], **MARKETING_SITE)
    body = {
        "client_id": make_client(client, auth, name="Second")["_id"],
        "project_id": project["_id"],
        "title": "T",
        "content": "C",
    }
    error = assert_error_shape(client.post("/api/contracts", json=body, headers=auth), 422)
    assert "project_id" in error["errors"]["json"]


def test_list_filters_by_project(client, auth):
    client_id = make_client(client, auth)["_id"]
    project = make_project(client, auth, client_id=client_id, **MARKETING_SITE)
    linked = make_contract(client, auth, client_id, project_id=project["_id"])
    make_contract(client, auth, client_id)
    listed = client.get(f"/api/contracts?project_id={project['_id']}", headers=auth).get_json()
    assert [c["_id"] for c in listed] == [linked["_id"]]

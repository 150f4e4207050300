"""Clients through HTTP against the real database."""

import json
from datetime import timedelta

from bson import ObjectId

from tests.factories import assert_error_shape, make_client, make_project

BASE = "/api/clients"


def test_crud_roundtrip_ignores_extras_and_server_fields(client, auth):
    body = make_client(
        client,
        auth,
        phone=None,
        status="x",
        default_hourly_rate=85.5,
        user_id="6b0849783ef581af828dd253",
        created_at="2000-01-01T00:00:00Z",
    )
    assert body["default_hourly_rate"] == 85.5 and body["user_id"] != "6b0849783ef581af828dd253"
    assert not body["created_at"].startswith("2000") and "status" not in body
    assert [c["_id"] for c in client.get(f"{BASE}/", headers=auth).get_json()] == [body["_id"]]
    patched = client.patch(
        f"{BASE}/{body['_id']}", json={"default_hourly_rate": None, "name": "Acme Holdings"}, headers=auth
    ).get_json()
    assert patched["default_hourly_rate"] is None and patched["name"] == "Acme Holdings"
    assert client.delete(f"{BASE}/{body['_id']}", headers=auth).get_json() == {"message": "Client deleted"}


def test_validation_names_the_field(client, auth):
    for body, field in (
        ({"email": "a@b.io"}, "name"),
        ({"name": "x", "email": "nope"}, "email"),
        ({"name": "x" * 201, "email": "a@b.io"}, "name"),
        ({"name": "x", "email": "a@b.io", "currency": "XXX1"}, "currency"),
    ):
        assert field in assert_error_shape(client.post(BASE, json=body, headers=auth), 422)["errors"]["json"]


def test_other_users_clients_are_invisible(client, auth, other_auth):
    mine = make_client(client, auth)
    for call in (client.get, client.put, client.delete):
        assert_error_shape(call(f"{BASE}/{mine['_id']}", json={}, headers=other_auth), 404)
    assert client.get(BASE, headers=other_auth).get_json() == []


def test_list_matches_text_and_archived_and_sorts_only_by_allowed_fields(client, auth):
    acme = make_client(client, auth)
    beta = make_client(client, auth, name="Beta", email="b@beta.io", company="Widgets")
    old = make_client(client, auth, name="Old", email="o@o.io", archived=True)
    ids = lambda query: [c["_id"] for c in client.get(f"{BASE}?{query}", headers=auth).get_json()]  # noqa: E731
    assert ids("") == [acme["_id"], beta["_id"]]
    assert ids("q=widg") == [beta["_id"]] and ids("q=a(") == []
    assert ids("archived=true") == [old["_id"]]
    assert ids("sort=-name") == [beta["_id"], acme["_id"]]
    assert_error_shape(client.get(f"{BASE}?sort=password", headers=auth), 422)


def test_pagination_header_is_exact_and_unpaged_list_is_whole(client, auth):
    for i in range(5):
        make_client(client, auth, name=f"C{i}")
    page = client.get(f"{BASE}?page=2&page_size=2", headers=auth)
    assert [c["name"] for c in page.get_json()] == ["C2", "C3"]
    assert page.headers["X-Pagination"] == (
        '{"page": 2, "first_page": 1, "total": 5, "total_pages": 3, "last_page": 3, "previous_page": 1, "next_page": 3}'
    )
    whole = client.get(BASE, headers=auth)
    assert len(whole.get_json()) == 5 and "X-Pagination" not in whole.headers


def test_pages_of_a_long_list_keep_order_and_bound_the_total(client, auth, db):
    """Past 1,000 matches the embedded database reports no exact total (total_exceeds);
    pages inside and beyond that window keep creation order either way."""
    first = make_client(client, auth, name="C0000")
    template = db.clients.find_one({"_id": ObjectId(first["_id"])})
    db.clients.insert_many(
        [
            {
                **template,
                "_id": ObjectId(),
                "name": f"C{i:04}",
                "created_at": template["created_at"] + timedelta(seconds=i),
            }
            for i in range(1, 1005)
        ]
    )

    def page(number):
        response = client.get(f"{BASE}?page={number}&page_size=100", headers=auth)
        return [c["name"] for c in response.get_json()], json.loads(response.headers["X-Pagination"])

    names, meta = page(1)
    assert names == [f"C{i:04}" for i in range(100)] and meta["next_page"] == 2
    assert meta.get("total", 1005) == 1005 and ("total" in meta or meta["total_exceeds"] == 1000)
    names, meta = page(10)
    assert names == [f"C{i:04}" for i in range(900, 1000)] and meta["next_page"] == 11
    names, meta = page(11)
    assert names == [f"C{i:04}" for i in range(1000, 1005)]
    assert meta["total"] == 1005 and "next_page" not in meta and meta["last_page"] == 11
    names, meta = page(12)
    assert names == [] and "next_page" not in meta


def test_a_client_with_projects_cannot_be_deleted_but_can_be_archived(client, auth):
    acme = make_client(client, auth)
    make_project(client, auth, client_id=acme["_id"])
    refused = assert_error_shape(client.delete(f"{BASE}/{acme['_id']}", headers=auth), 409)
    assert "1 project" in refused["message"] and "archive" in refused["message"]
    assert client.patch(f"{BASE}/{acme['_id']}", json={"archived": True}, headers=auth).get_json()["archived"] is True

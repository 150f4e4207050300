"""Both branches of ``common.ferretdb_compat`` run against the real server: as detected
(FerretDB here, MongoDB when MONGO_URI points at one) and with MongoDB's branch forced, so
the production path is exercised even where only the embedded database is available."""

import json
from datetime import timedelta

import pytest
from bson import ObjectId

from orbix.common import ferretdb_compat
from tests.factories import make_client

BASE = "/api/clients"


@pytest.fixture(params=["as-detected", "mongodb-branch"])
def engine_path(request):
    if request.param == "as-detected":
        yield request.param
        return
    with ferretdb_compat.assume_mongodb():
        yield request.param


def test_lists_come_oldest_first_with_exact_page_totals(engine_path, client, auth):
    for i in range(5):
        make_client(client, auth, name=f"C{i}")
    page = client.get(f"{BASE}?page=2&page_size=2", headers=auth)
    assert [c["name"] for c in page.get_json()] == ["C2", "C3"]
    assert json.loads(page.headers["X-Pagination"])["total"] == 5
    assert [c["name"] for c in client.get(BASE, headers=auth).get_json()] == [f"C{i}" for i in range(5)]
    assert [c["name"] for c in client.get(f"{BASE}?sort=-created_at", headers=auth).get_json()][0] == "C4"


def test_long_lists_keep_order_beyond_the_count_window(engine_path, client, auth, db):
    first = make_client(client, auth, name="C0000")
    template = db.clients.find_one({"_id": ObjectId(first["_id"])})
    db.clients.insert_many([
        {**template, "_id": ObjectId(), "name": f"C{i:04}", "created_at": template["created_at"] + timedelta(seconds=i)}
        for i in range(1, 1005)
    ])
    response = client.get(f"{BASE}?page=11&page_size=100", headers=auth)
    meta = json.loads(response.headers["X-Pagination"])
    assert [c["name"] for c in response.get_json()][:2] == ["C1000", "C1001"]
    if engine_path == "mongodb-branch":
        assert meta["total"] == 1005
    else:
        assert meta.get("total") == 1005 or meta.get("total_exceeds") == ferretdb_compat.COUNT_CAP


def test_another_users_document_is_not_found_by_id(engine_path, client, auth, other_auth):
    mine = make_client(client, auth, name="Mine")
    assert client.get(f"{BASE}/{mine['_id']}", headers=auth).status_code == 200
    assert client.get(f"{BASE}/{mine['_id']}", headers=other_auth).status_code == 404
    assert client.patch(f"{BASE}/{mine['_id']}", json={"name": "x"}, headers=other_auth).status_code == 404

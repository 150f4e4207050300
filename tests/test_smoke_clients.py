def test_client_crud_roundtrip(client, auth):
    created = client.post("/api/clients", json={"name": "Acme", "email": "a@acme.io", "phone": None, "status": "x", "default_hourly_rate": 85.5, "user_id": "6b0849783ef581af828dd253"}, headers=auth)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["default_hourly_rate"] == 85.5 and body["user_id"] != "6b0849783ef581af828dd253"
    listed = client.get("/api/clients/", headers=auth)
    assert [c["_id"] for c in listed.get_json()] == [body["_id"]]
    patched = client.patch(f"/api/clients/{body['_id']}", json={"default_hourly_rate": None}, headers=auth)
    assert patched.get_json()["default_hourly_rate"] is None
    assert client.delete(f"/api/clients/{body['_id']}", headers=auth).get_json() == {"message": "Client deleted"}

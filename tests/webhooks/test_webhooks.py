"""Webhook endpoints through HTTP: create, read, list, change, delete, rotate the secret; the
422s of bad URLs, unknown events and non-public targets; other users' endpoints are 404."""

import json

import pytest

from orbix.webhooks.catalogue import EVENT_TYPES
from tests.conftest import make_app
from tests.factories import PASSWORD, assert_error_shape, expect, make_client, make_webhook, webhook_deliveries

PUBLIC_URL = "https://93.184.215.14/hooks/orbix"  # a public address literal: no DNS needed


def test_create_answers_the_endpoint_with_its_secret_once(client, auth, receiver):
    hook = make_webhook(client, auth, receiver.url, events=["client.created", "invoice.paid"], description="CRM")
    assert hook["url"] == receiver.url and hook["events"] == ["client.created", "invoice.paid"]
    assert hook["active"] is True and hook["description"] == "CRM"
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    shown = expect(client.get(f"/api/webhooks/{hook['_id']}", headers=auth), 200)
    assert "secret" not in shown and shown["_id"] == hook["_id"]
    listed = expect(client.get("/api/webhooks", headers=auth), 200)
    assert [item["_id"] for item in listed] == [hook["_id"]] and "secret" not in listed[0]


def test_update_changes_url_events_description_and_active(client, auth, receiver):
    hook = make_webhook(client, auth, receiver.url)
    changed = expect(client.patch(f"/api/webhooks/{hook['_id']}", json={
        "events": ["payment.created"], "active": False, "description": None, "url": receiver.url + "/v2"},
        headers=auth), 200)
    assert changed["events"] == ["payment.created"] and changed["active"] is False
    assert changed["description"] is None and changed["url"].endswith("/hooks/orbix/v2") and "secret" not in changed
    assert expect(client.get("/api/webhooks?active=false", headers=auth), 200)[0]["_id"] == hook["_id"]
    assert expect(client.get("/api/webhooks?active=true", headers=auth), 200) == []


def test_rotate_secret_gives_a_new_secret(client, auth, receiver):
    hook = make_webhook(client, auth, receiver.url)
    rotated = expect(client.post(f"/api/webhooks/{hook['_id']}/rotate-secret", headers=auth), 200)
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]


def test_delete_removes_the_endpoint_and_its_deliveries(client, auth, receiver, db):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    assert db.webhook_deliveries.count_documents({}) == 1
    assert expect(client.delete(f"/api/webhooks/{hook['_id']}", headers=auth), 200) == {"message": "Webhook deleted"}
    assert_error_shape(client.get(f"/api/webhooks/{hook['_id']}", headers=auth), 404)
    assert db.webhook_deliveries.count_documents({}) == 0


def test_the_event_catalogue_is_listed(client, auth):
    listed = expect(client.get("/api/webhooks/events", headers=auth), 200)
    assert [item["type"] for item in listed] == list(EVENT_TYPES)
    assert {"invoice.viewed", "contract.viewed", "contract.declined", "time_entry.stopped"} <= set(EVENT_TYPES)
    assert all(item["description"] for item in listed)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": ["*"]}, "url"),
        ({"url": "", "events": ["*"]}, "url"),
        ({"url": "ftp://example.com/x", "events": ["*"]}, "url"),
        ({"url": "https://", "events": ["*"]}, "url"),
        ({"url": "example.com/hook", "events": ["*"]}, "url"),
        ({"url": "https://user:pw@93.184.215.14/hook", "events": ["*"]}, "url"),
        ({"url": "https://93.184.215.14/a b", "events": ["*"]}, "url"),
        ({"url": "https://93.184.215.14/hook#part", "events": ["*"]}, "url"),
        ({"url": "https://93.184.215.14/caf\u00e9", "events": ["*"]}, "url"),
        ({"url": "https://93.184.215.14:99999/hook", "events": ["*"]}, "url"),
        ({"url": "https://" + "a" * 2048 + ".com/", "events": ["*"]}, "url"),
        ({"url": "https://no-such-host.invalid/hook", "events": ["*"]}, "url"),
        ({"url": PUBLIC_URL}, "events"),
        ({"url": PUBLIC_URL, "events": []}, "events"),
        ({"url": PUBLIC_URL, "events": ["invoice.exploded"]}, "events"),
        ({"url": PUBLIC_URL, "events": ["ping"]}, "events"),
        ({"url": PUBLIC_URL, "events": ["*", "client.created"]}, "events"),
        ({"url": PUBLIC_URL, "events": ["client.created", "client.created"]}, "events"),
        ({"url": PUBLIC_URL, "events": "client.created"}, "events"),
        ({"url": PUBLIC_URL, "events": ["*"], "active": "maybe"}, "active"),
        ({"url": PUBLIC_URL, "events": ["*"], "description": "x" * 501}, "description"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, auth, body, field):
    error = assert_error_shape(client.post("/api/webhooks", json=body, headers=auth), 422)
    assert field in error["errors"]["json"], error


@pytest.fixture(scope="module")
def strict_client(mongo_uri, redis_uri):
    """A client of an app with the production default: only public webhook targets."""
    return make_app(mongo_uri, redis_uri, WEBHOOKS_ALLOW_PRIVATE=False).test_client()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://172.16.3.4/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://2130706433/hook",
        "http://0x7f.1/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::]/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[ff02::1]/hook",
    ],
)
def test_non_public_targets_are_422_without_the_setting(strict_client, auth, url):
    error = assert_error_shape(strict_client.post("/api/webhooks", json={"url": url, "events": ["*"]}, headers=auth),
                               422)
    assert "not a public address" in error["errors"]["json"]["url"][0]


def test_public_targets_pass_the_check_and_a_change_to_a_private_one_is_422(strict_client, auth):
    hook = make_webhook(strict_client, auth, PUBLIC_URL)
    response = strict_client.patch(f"/api/webhooks/{hook['_id']}", json={"url": "http://127.0.0.1/x"}, headers=auth)
    assert "url" in assert_error_shape(response, 422)["errors"]["json"]
    assert expect(strict_client.get(f"/api/webhooks/{hook['_id']}", headers=auth), 200)["url"] == PUBLIC_URL


def test_an_account_has_at_most_25_endpoints(client, auth):
    for _ in range(25):
        make_webhook(client, auth, PUBLIC_URL)
    assert_error_shape(client.post("/api/webhooks", json={"url": PUBLIC_URL, "events": ["*"]}, headers=auth), 409)


def test_other_users_endpoints_and_deliveries_are_404(client, auth, other_auth, receiver):
    hook = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    [delivery] = webhook_deliveries(client, auth, hook)
    base = f"/api/webhooks/{hook['_id']}"
    calls = [
        ("get", base, None), ("patch", base, {"active": False}), ("put", base, {"active": False}),
        ("delete", base, None), ("post", f"{base}/rotate-secret", None), ("post", f"{base}/ping", None),
        ("get", f"{base}/deliveries", None), ("get", f"{base}/deliveries/{delivery['_id']}", None),
        ("post", f"{base}/deliveries/{delivery['_id']}/redeliver", None),
    ]
    for method, path, body in calls:
        assert_error_shape(getattr(client, method)(path, json=body, headers=other_auth), 404)
    assert expect(client.get("/api/webhooks", headers=other_auth), 200) == []
    assert expect(client.get(base, headers=auth), 200)["active"] is True  # untouched


def test_unknown_or_malformed_ids_are_404(client, auth, receiver):
    hook = make_webhook(client, auth, receiver.url)
    other = make_webhook(client, auth, receiver.url)
    make_client(client, auth)
    [delivery] = webhook_deliveries(client, auth, hook)
    for path in ("/api/webhooks/nope", "/api/webhooks/0123456789abcdef01234567",
                 f"/api/webhooks/{hook['_id']}/deliveries/nope",
                 f"/api/webhooks/{other['_id']}/deliveries/{delivery['_id']}"):
        assert_error_shape(client.get(path, headers=auth), 404)


def test_account_export_has_the_webhooks_without_secrets_and_deletion_removes_them(client, user, receiver, db):
    hook = make_webhook(client, user["headers"], receiver.url)
    make_client(client, user["headers"])
    exported = expect(client.get("/api/auth/me/export", headers=user["headers"]), 200)
    [endpoint] = exported["data"]["webhook_endpoints"]
    assert endpoint["url"] == receiver.url and "secret" not in endpoint
    assert hook["secret"] not in json.dumps(exported)
    assert [d["event"] for d in exported["data"]["webhook_deliveries"]] == ["client.created"]
    expect(client.delete("/api/auth/me", json={"password": PASSWORD}, headers=user["headers"]), 200)
    assert db.webhook_endpoints.count_documents({}) == 0 and db.webhook_deliveries.count_documents({}) == 0

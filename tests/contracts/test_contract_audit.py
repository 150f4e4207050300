"""The signing audit trail (GET /api/contracts/{id}/events), countersigning, declining, expiry,
the signer's e-mail rule, and the states in lists, through HTTP against the real database."""

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from tests.concurrency import at_once
from tests.documents import pdf_text
from tests.factories import (
    CONTRACT_CONTENT,
    assert_error_shape,
    contract_events,
    countersign,
    expect,
    make_contract,
    send_contract,
    set_contract_status,
    signing_token,
)

SHA = hashlib.sha256(CONTRACT_CONTENT.encode()).hexdigest()
SIGNER = {"name": "Grace Hopper", "email": "billing@acme.io", "agree": True}
REFUSAL = {"name": "Grace Hopper", "email": "billing@acme.io", "reason": "The fee is too high."}
BROWSER = {"User-Agent": "pytest-browser"}


def api(link):
    return f"/api/public/contracts/{signing_token(link)}"


def sign(client, link, **body):
    return client.post(f"{api(link)}/sign", json={**SIGNER, **body}, headers=BROWSER)


def decline(client, link, **body):
    return client.post(f"{api(link)}/decline", json={**REFUSAL, **body}, headers=BROWSER)


def get(client, auth, contract):
    return expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)


def test_every_step_is_an_event_oldest_first_with_who_where_and_the_hash(client, auth, user):
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"])
    client.get(api(link), headers=BROWSER)
    expect(sign(client, link, timezone="Europe/Berlin"), 200)
    expect(countersign(client, auth, contract["_id"]), 200)
    events = contract_events(client, auth, contract["_id"])
    assert [event["type"] for event in events] == ["created", "sent", "viewed", "signed", "countersigned"]
    created, sent, viewed, signed, countersigned = events
    assert created["document_sha256"] is None and created["email"] == user["email"]
    assert all(event["document_sha256"] == SHA for event in events[1:])
    assert all(event["ip"] == "127.0.0.1" and event["contract_id"] == contract["_id"] for event in events)
    assert viewed["user_agent"] == "pytest-browser" and viewed["email"] is None
    assert signed["name"] == "Grace Hopper" and signed["email"] == "billing@acme.io"
    assert signed["signer_timezone"] == "Europe/Berlin" and signed["user_agent"] == "pytest-browser"
    assert countersigned["name"] == "Ada Lovelace" and countersigned["details"]["document_sha256"] == SHA
    assert sent["details"]["to"] == ["billing@acme.io"] and sent["details"]["emailed"] is False
    times = [datetime.fromisoformat(event["at"]) for event in events]
    assert times == sorted(times)


def test_events_of_another_users_contract_are_404(client, auth, other_auth):
    contract = make_contract(client, auth)
    assert_error_shape(client.get(f"/api/contracts/{contract['_id']}/events", headers=other_auth), 404)
    assert_error_shape(client.get("/api/contracts/not-an-id/events", headers=auth), 404)
    assert_error_shape(countersign(client, other_auth, contract["_id"]), 404)


def test_deleting_a_contract_deletes_its_events(client, auth, db):
    contract = make_contract(client, auth)
    expect(client.delete(f"/api/contracts/{contract['_id']}", headers=auth), 200)
    assert db.contract_events.count_documents({}) == 0


def test_the_signer_must_use_an_address_the_link_was_sent_to(client, auth):
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"])
    error = assert_error_shape(sign(client, link, email="mallory@evil.example"), 422)
    assert "email" in error["errors"]["json"]
    assert get(client, auth, contract)["status"] == "sent"
    assert expect(sign(client, link, email="BILLING@acme.io"), 200)["status"] == "signed"


def test_allow_any_signer_accepts_any_address(client, auth):
    contract = make_contract(client, auth, allow_any_signer=True)
    link = send_contract(client, auth, contract["_id"])
    assert expect(sign(client, link, email="grace@navy.example"), 200)["signed_by"]["email"] == "grace@navy.example"


def test_a_bad_time_zone_is_422(client, auth):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    assert "timezone" in assert_error_shape(sign(client, link, timezone="Mars/Olympus"), 422)["errors"]["json"]


def test_declining_records_the_reason_and_ends_the_round(client, auth):
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"])
    assert expect(decline(client, link), 200)["status"] == "declined"
    stored = get(client, auth, contract)
    assert stored["status"] == "declined" and stored["declined_by"]["reason"] == "The fee is too high."
    assert_error_shape(sign(client, link), 404)
    assert_error_shape(decline(client, link), 404)
    events = contract_events(client, auth, contract["_id"])
    assert events[-1]["type"] == "declined" and events[-1]["details"] == {"reason": "The fee is too high."}
    assert [c["_id"] for c in expect(client.get("/api/contracts?status=declined", headers=auth), 200)] == [
        contract["_id"]]
    again = send_contract(client, auth, contract["_id"])  # a declined contract can be sent again
    assert again["contract"]["status"] == "sent" and again["contract"].get("declined_by") is None
    assert expect(sign(client, again), 200)["status"] == "signed"


@pytest.mark.parametrize("body, field", [({"reason": ""}, "reason"), ({"email": "x"}, "email"),
                                         ({"reason": "r" * 2001}, "reason"), ({"name": None}, "name")])
def test_bad_refusals_are_422(client, auth, body, field):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    assert field in assert_error_shape(decline(client, link, **body), 422)["errors"]["json"]


def test_with_countersign_required_the_client_alone_makes_it_partially_signed(client, auth, user, db):
    contract = make_contract(client, auth, countersign_required=True)
    link = send_contract(client, auth, contract["_id"])
    assert expect(sign(client, link), 200)["status"] == "partially_signed"
    assert_error_shape(set_contract_status(client, auth, contract["_id"], "signed"), 409)
    done = expect(countersign(client, auth, contract["_id"], timezone="Europe/London"), 200)
    assert done["status"] == "signed" and done["countersigned_by"]["email"] == user["email"]
    assert done["countersigned_by"]["timezone"] == "Europe/London"
    assert_error_shape(countersign(client, auth, contract["_id"]), 409)


def test_countersigning_first_then_the_client_completes_it(client, auth):
    contract = make_contract(client, auth, countersign_required=True)
    assert expect(countersign(client, auth, contract["_id"]), 200)["status"] == "draft"
    link = send_contract(client, auth, contract["_id"])
    assert expect(sign(client, link), 200)["status"] == "signed"


def test_editing_a_countersigned_draft_drops_the_countersignature(client, auth):
    contract = make_contract(client, auth)
    expect(countersign(client, auth, contract["_id"]), 200)
    edited = expect(client.patch(f"/api/contracts/{contract['_id']}", json={"content": "New terms"}, headers=auth), 200)
    assert edited.get("countersigned_at") is None and edited.get("countersigned_by") is None


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "A", "timezone": "Nowhere/Else"}])
def test_bad_countersign_input_is_422(client, auth, body):
    contract = make_contract(client, auth)
    response = client.post(f"/api/contracts/{contract['_id']}/countersign", json=body, headers=auth)
    assert_error_shape(response, 422)


def test_a_cancelled_contract_cannot_be_countersigned(client, auth):
    contract = make_contract(client, auth)
    set_contract_status(client, auth, contract["_id"], "cancelled")
    assert_error_shape(countersign(client, auth, contract["_id"]), 409)


def test_an_expired_link_makes_the_contract_expired_once(client, auth, db, app):
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"])
    db.contracts.update_one({}, {"$set": {"signing.expires_at": datetime.now(timezone.utc) - timedelta(seconds=1)}})
    with app.app_context():
        from orbix.contracts import signing

        assert signing.expire_due() == 1 and signing.expire_due() == 0
    assert get(client, auth, contract)["status"] == "expired"
    assert_error_shape(sign(client, link), 404)
    assert [e["type"] for e in contract_events(client, auth, contract["_id"])][-1] == "expired"
    assert expect(client.get("/api/dashboard", headers=auth), 200)["contracts"]["by_status"]["expired"] == 1
    for status in ("expired", "declined", "partially_signed"):  # only their own steps make these
        assert_error_shape(set_contract_status(client, auth, make_contract(client, auth)["_id"], status), 409)
    fresh = send_contract(client, auth, contract["_id"])
    assert expect(sign(client, fresh), 200)["status"] == "signed"


def test_concurrent_sign_and_decline_exactly_one_wins(client, auth, app):
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"])
    responses = at_once(app, *[lambda http: sign(http, link)] * 3, *[lambda http: decline(http, link)] * 3)
    assert sorted(r.status_code for r in responses) == [200] + [404] * 5
    final = get(client, auth, contract)["status"]
    assert final in ("signed", "declined")
    assert [e["type"] for e in contract_events(client, auth, contract["_id"])].count(final) == 1


def test_the_pdf_fills_both_signature_blocks_and_ends_with_the_audit_certificate(client, auth):
    contract = make_contract(client, auth, countersign_required=True)
    link = send_contract(client, auth, contract["_id"])
    expect(sign(client, link, timezone="America/New_York"), 200)
    expect(countersign(client, auth, contract["_id"]), 200)
    text = pdf_text(client.get(f"/api/contracts/{contract['_id']}/pdf", headers=auth)).replace("\n", " ")
    record = text[text.index("Electronic signature record"):]
    assert "Party A" in record and "Party B" in record and "not signed" not in record
    certificate = text[text.index("Audit certificate"):]
    for label in ("Created", "Sent for signature", "Signed", "Countersigned"):
        assert label in certificate
    assert "pytest-browser" in certificate and "127.0.0.1" in certificate and "billing@acme.io" in certificate
    assert "UTC" in certificate and "America/New_York" in certificate and SHA in certificate.replace(" ", "")


def test_links_issued_before_the_migration_keep_working(client, auth, db):
    """Migration 0018 moves live ``contract_tokens`` onto ``public_links`` (same SHA-256 key)."""
    import importlib.util
    import secrets
    from pathlib import Path

    contract = make_contract(client, auth)
    send_contract(client, auth, contract["_id"])
    db.public_links.delete_many({})
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(token.encode()).hexdigest()
    stored = db.contracts.find_one({})
    expires = stored["signing"]["expires_at"]
    db.contracts.update_one({}, {"$set": {"signing": {"token_hash": digest, "expires_at": expires}}})
    db.contract_tokens.insert_many([
        {"_id": digest, "contract_id": stored["_id"], "user_id": stored["user_id"], "expires_at": expires,
         "created_at": stored["sent_at"]},
        {"_id": "0" * 64, "contract_id": stored["_id"], "user_id": stored["user_id"], "expires_at": expires,
         "created_at": stored["sent_at"]},  # replaced by a resend: not carried over
    ])
    path = Path(__file__).resolve().parents[2] / "migrations" / "0018_contract_signing.py"
    spec = importlib.util.spec_from_file_location("migration_0018", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.up(db)
    migration.up(db)  # idempotent
    assert db.public_links.count_documents({}) == 1
    legacy = {"signing_url": f"http://localhost/api/public/contracts/{token}"}
    assert expect(client.get(api(legacy)), 200)["title"] == "Website build"
    assert expect(sign(client, legacy), 200)["status"] == "signed"
    db.contract_tokens.delete_many({})

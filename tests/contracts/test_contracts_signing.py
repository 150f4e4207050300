"""Signing links: send, public view, sign, reuse, expiry, withdrawal, concurrency, PDF record."""

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from tests.concurrency import at_once
from tests.documents import pdf_text
from tests.factories import CONTRACT_CONTENT, assert_error_shape, make_contract, send_contract, set_contract_status

SIGNER = {"name": "Grace Hopper", "email": "billing@acme.io", "agree": True}


def token_of(link):
    return link["signing_url"].rsplit("/", 1)[1]


def public_path(link):
    return f"/api/public/contracts/{token_of(link)}"


def sign(client, link, **body):
    return client.post(f"{public_path(link)}/sign", json={**SIGNER, **body}, headers={"User-Agent": "pytest-browser"})


def test_send_returns_single_use_link_and_freezes_text(client, auth, app):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    assert link["signing_url"].startswith("http://localhost/c/") and link["message"] is None
    token = token_of(link)
    assert len(token) >= 22 and all(ch.isalnum() or ch in "-_" for ch in token)
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(days=13, hours=23) < expires - datetime.now(timezone.utc) <= timedelta(days=14)
    contract = client.get(f"/api/contracts/{created['_id']}", headers=auth).get_json()
    assert (
        contract["status"] == "sent"
        and contract["content_sha256"] == hashlib.sha256(CONTRACT_CONTENT.encode()).hexdigest()
    )
    assert_error_shape(client.patch(f"/api/contracts/{created['_id']}", json={"content": "Sneaky"}, headers=auth), 409)


def test_only_the_token_hash_is_stored(client, auth, db):
    created = make_contract(client, auth)
    token = token_of(send_contract(client, auth, created["_id"]))
    digest = hashlib.sha256(token.encode()).hexdigest()
    stored = db.contracts.find_one({})
    assert token not in repr(stored) and token not in repr(list(db.public_links.find()))
    link = db.public_links.find_one({"_id": digest})
    assert link["kind"] == "contract" and link["target_id"] == stored["_id"] and link["revoked_at"] is None
    assert "round" not in repr(client.get(f"/api/contracts/{created['_id']}", headers=auth).get_json())


def test_signing_url_uses_public_base_url(client, auth, app):
    created = make_contract(client, auth)
    app.config["PUBLIC_BASE_URL"] = "https://sign.orbix.example"
    try:
        link = send_contract(client, auth, created["_id"], expires_in_days=3)
    finally:
        app.config["PUBLIC_BASE_URL"] = None
    assert link["signing_url"].startswith("https://sign.orbix.example/c/")


def test_public_view_shows_title_parties_text_and_hash_without_auth(client, auth):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    response = client.get(public_path(link))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "Website build" and body["content"] == CONTRACT_CONTENT and body["status"] == "sent"
    assert body["parties"]["party_a"]["name"] == "Ada Lovelace" and body["parties"]["party_b"]["name"] == "Acme Ltd"
    assert body["content_sha256"] == hashlib.sha256(CONTRACT_CONTENT.encode()).hexdigest()
    assert body["value"] == 4800.5 and body["currency"] == "EUR"
    assert "user_id" not in body and "signing" not in body


def test_signing_records_the_signer_and_locks_the_text(client, auth):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    response = sign(client, link)
    assert response.status_code == 200, response.get_json()
    signed = response.get_json()
    assert signed["signed_by"] == {"name": "Grace Hopper", "email": "billing@acme.io"}
    contract = client.get(f"/api/contracts/{created['_id']}", headers=auth).get_json()
    assert contract["status"] == "signed" and contract["signed_at"] == signed["signed_at"]
    assert contract["signed_by"]["ip"] == "127.0.0.1" and contract["signed_by"]["user_agent"] == "pytest-browser"
    assert (
        contract["content_sha256"] == signed["content_sha256"] == hashlib.sha256(CONTRACT_CONTENT.encode()).hexdigest()
    )
    assert contract.get("signing_expires_at") is None
    assert_error_shape(client.patch(f"/api/contracts/{created['_id']}", json={"content": "Changed"}, headers=auth), 409)
    assert_error_shape(client.delete(f"/api/contracts/{created['_id']}", headers=auth), 409)
    assert set_contract_status(client, auth, created["_id"], "active").get_json()["status"] == "active"


def test_used_token_is_404(client, auth):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    assert sign(client, link).status_code == 200
    assert_error_shape(sign(client, link), 404)
    assert_error_shape(client.get(public_path(link)), 404)


def test_expired_token_is_404(client, auth, db):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.contracts.update_one({}, {"$set": {"signing.expires_at": past}})
    assert_error_shape(client.get(public_path(link)), 404)
    assert_error_shape(sign(client, link), 404)
    assert client.get(f"/api/contracts/{created['_id']}", headers=auth).get_json()["status"] == "expired"


def test_expired_on_contract_only_is_still_404(client, auth, db):
    """The contract's own expiry is checked too, not just the lookup document's."""
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    db.contracts.update_one({}, {"$set": {"signing.expires_at": datetime.now(timezone.utc) - timedelta(seconds=1)}})
    assert_error_shape(sign(client, link), 404)


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 500, "..%2F..%2Fetc", "%00" * 20])
def test_wrong_tokens_are_404(client, auth, token):
    send_contract(client, auth, make_contract(client, auth)["_id"])
    assert_error_shape(client.get(f"/api/public/contracts/{token}"), 404)
    assert_error_shape(client.post(f"/api/public/contracts/{token}/sign", json=SIGNER), 404)


def test_resend_replaces_the_link(client, auth):
    created = make_contract(client, auth)
    first = send_contract(client, auth, created["_id"])
    second = send_contract(client, auth, created["_id"])
    assert token_of(first) != token_of(second)
    assert_error_shape(sign(client, first), 404)
    assert sign(client, second).status_code == 200


def test_withdrawing_to_draft_kills_the_link_and_allows_edits(client, auth):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    assert set_contract_status(client, auth, created["_id"], "draft").status_code == 200
    assert_error_shape(client.get(public_path(link)), 404)
    edited = client.patch(f"/api/contracts/{created['_id']}", json={"content": "Revised"}, headers=auth).get_json()
    assert edited["content"] == "Revised" and edited["content_sha256"] is None


def test_cancelling_a_sent_contract_kills_the_link(client, auth):
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    assert set_contract_status(client, auth, created["_id"], "cancelled").status_code == 200
    assert_error_shape(sign(client, link), 404)


@pytest.mark.parametrize("path", [["active"], ["cancelled"]])
def test_only_drafts_can_be_sent(client, auth, path):
    created = make_contract(client, auth)
    for status in path:
        set_contract_status(client, auth, created["_id"], status)
    assert_error_shape(client.post(f"/api/contracts/{created['_id']}/send", json={}, headers=auth), 409)


def test_signed_contract_cannot_be_sent_again(client, auth):
    created = make_contract(client, auth)
    sign(client, send_contract(client, auth, created["_id"]))
    assert_error_shape(client.post(f"/api/contracts/{created['_id']}/send", json={}, headers=auth), 409)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"agree": False}, "agree"),
        ({"agree": None}, "agree"),
        ({"agree": "yes please"}, "agree"),
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_signature_input_is_422_and_keeps_link(client, auth, body, field):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    error = assert_error_shape(sign(client, link, **body), 422)
    assert field in error["errors"]["json"]
    assert sign(client, link).status_code == 200


def test_missing_agree_is_422(client, auth):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    response = client.post(f"{public_path(link)}/sign", json={"name": "G", "email": "g@x.io"})
    assert "agree" in assert_error_shape(response, 422)["errors"]["json"]


@pytest.mark.parametrize("days", [0, 91, "soon"])
def test_bad_expiry_is_422(client, auth, days):
    created = make_contract(client, auth)
    response = client.post(f"/api/contracts/{created['_id']}/send", json={"expires_in_days": days}, headers=auth)
    assert "expires_in_days" in assert_error_shape(response, 422)["errors"]["json"]


def test_concurrent_signs_exactly_one_wins(client, auth, app):
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    responses = at_once(app, *[lambda http: sign(http, link)] * 6)
    assert sorted(r.status_code for r in responses) == [200] + [404] * 5


def _race_sign_and_cancel(client, auth, app):
    """Three signs and three cancellations of one sent contract at once; returns the codes and
    the final status."""
    created = make_contract(client, auth)
    link = send_contract(client, auth, created["_id"])
    codes = [
        r.status_code
        for r in at_once(
            app,
            *[lambda http: sign(http, link)] * 3,
            *[lambda http: set_contract_status(http, auth, created["_id"], "cancelled")] * 3,
        )
    ]
    return codes[:3], codes[3:], client.get(f"/api/contracts/{created['_id']}", headers=auth).get_json()["status"]


def test_signing_and_cancelling_at_once_never_both_succeed(client, auth, app):
    """Whichever lands first wins; the loser is refused, so every answer matches the end state."""
    for _ in range(8):  # a race: several rounds make a regression show up nearly every run
        signs, cancels, final = _race_sign_and_cancel(client, auth, app)
        if final == "signed":
            assert sorted(signs) == [200, 404, 404] and cancels == [409] * 3
        else:
            assert final == "cancelled" and signs == [404] * 3 and 200 in cancels and set(cancels) <= {200, 409}


def test_pdf_of_signed_contract_has_signature_record(client, auth):
    created = make_contract(client, auth)
    signed = sign(client, send_contract(client, auth, created["_id"])).get_json()
    text = pdf_text(client.get(f"/api/contracts/{created['_id']}/pdf", headers=auth))
    assert "Website build" in text and "Electronic signature record" in text
    assert "Grace Hopper" in text and "billing@acme.io" in text and "127.0.0.1" in text
    assert signed["content_sha256"] in text.replace("\n", "")


def test_sign_that_raced_past_the_check_still_fails(client, auth, monkeypatch):
    """Two requests can both pass the token check; the conditional write lets only one sign."""
    from orbix.contracts import signing

    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    real, seen = signing._live, {}

    def checked_before_the_other_signed(token, **kwargs):
        if token not in seen:
            seen[token] = real(token, **kwargs)
        return seen[token]

    monkeypatch.setattr(signing, "_live", checked_before_the_other_signed)
    assert sign(client, link).status_code == 200
    assert_error_shape(sign(client, link, name="Second Signer"), 404)
    assert client.get("/api/contracts", headers=auth).get_json()[0]["signed_by"]["name"] == "Grace Hopper"

"""Connecting Stripe: the secrets are checked with Stripe (stripe-mock), stored encrypted, never
shown again; the webhook URL and events to configure are shown."""

from cryptography.fernet import Fernet

from orbix.common import encryption
from tests.factories import (
    STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET,
    assert_error_shape,
    connect_stripe,
    expect,
    make_access_token,
)

EVENTS = ["checkout.session.completed", "payment_intent.succeeded", "charge.refunded"]


def test_nothing_is_connected_at_first(client, auth):
    status = expect(client.get("/api/payments/stripe", headers=auth), 200)
    assert status == {"enabled": True, "connected": False, "accepting_payments": False, "webhook_secret_set": False,
                      "key_hint": None, "livemode": None, "webhook_url": None, "webhook_events": EVENTS,
                      "connected_at": None, "updated_at": None}


def test_connecting_stores_the_secrets_encrypted_and_never_shows_them(app, client, auth, user, db, stripe_api):
    status = connect_stripe(client, auth)
    assert status["connected"] and status["accepting_payments"] and status["webhook_secret_set"]
    assert status["key_hint"] == STRIPE_KEY[-4:] and status["livemode"] is False
    assert status["webhook_url"].startswith("http://localhost/api/payments/stripe/webhook/")
    assert status["webhook_events"] == EVENTS
    [stored] = list(db.stripe_accounts.find())
    assert str(stored["_id"]) == user["id"] and str(stored["user_id"]) == user["id"]
    raw = str(stored)
    assert STRIPE_KEY not in raw and STRIPE_WEBHOOK_SECRET not in raw and STRIPE_KEY[8:] not in raw
    keys = app.config["ENCRYPTION_KEYS"]
    assert encryption.decrypt(stored["secret_key"], keys) == STRIPE_KEY
    assert encryption.decrypt(stored["webhook_secret"], keys) == STRIPE_WEBHOOK_SECRET
    for response in (client.get("/api/payments/stripe", headers=auth), client.get("/api/auth/me/export", headers=auth)):
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and STRIPE_KEY not in text and STRIPE_WEBHOOK_SECRET not in text
        assert stored["secret_key"] not in text and stored["webhook_secret"] not in text


def test_the_secrets_can_come_one_after_the_other_and_the_webhook_url_stays(client, auth, stripe_api):
    assert_error_shape(client.put("/api/payments/stripe", json={"webhook_secret": STRIPE_WEBHOOK_SECRET},
                                  headers=auth), 422)
    first = connect_stripe(client, auth, webhook_secret=None)
    assert first["connected"] and not first["webhook_secret_set"] and not first["accepting_payments"]
    second = expect(client.patch("/api/payments/stripe", json={"webhook_secret": STRIPE_WEBHOOK_SECRET},
                                 headers=auth), 200)
    assert second["accepting_payments"] and second["webhook_url"] == first["webhook_url"]
    rotated = connect_stripe(client, auth, secret_key="sk_test_" + "a" * 24, webhook_secret=None)
    assert rotated["key_hint"] == "aaaa" and rotated["webhook_url"] == first["webhook_url"]


def test_a_key_stripe_refuses_is_422_and_changes_nothing(client, auth, db, stripe_api):
    connect_stripe(client, auth)
    before = db.stripe_accounts.find_one()
    # stripe-mock, like Stripe, answers 401 to a key it does not take (here: any live key)
    error = assert_error_shape(client.put("/api/payments/stripe", json={"secret_key": "sk_live_" + "a" * 24},
                                          headers=auth), 422)
    assert error["errors"]["json"]["secret_key"] == ["Stripe does not accept this key (Stripe Dashboard: "
                                                     "Developers > API keys)."]
    assert db.stripe_accounts.find_one() == before


def test_keys_that_are_not_stripe_keys_are_refused_before_asking_stripe(client, auth, db):
    for body in ({"secret_key": "pk_test_abcdefghijklmnop"}, {"secret_key": "sk_test_short"},
                 {"secret_key": STRIPE_KEY, "webhook_secret": "secret"}, {"secret_key": 42}):
        error = assert_error_shape(client.put("/api/payments/stripe", json=body, headers=auth), 422)
        assert set(error["errors"]["json"]) <= {"secret_key", "webhook_secret"}
    assert db.stripe_accounts.count_documents({}) == 0


def test_stripe_unreachable_is_503_and_nothing_is_stored(client, auth, db):
    error = assert_error_shape(client.put("/api/payments/stripe", json={"secret_key": STRIPE_KEY}, headers=auth), 503)
    assert "Stripe cannot be reached" in error["message"]
    assert db.stripe_accounts.count_documents({}) == 0


def test_disconnecting_forgets_the_secrets(client, auth, other_auth, db, stripe_api):
    connect_stripe(client, auth)
    assert_error_shape(client.delete("/api/payments/stripe", headers=other_auth), 404)
    assert expect(client.delete("/api/payments/stripe", headers=auth), 200) == {"message": "Stripe disconnected"}
    assert db.stripe_accounts.count_documents({}) == 0
    assert not expect(client.get("/api/payments/stripe", headers=auth), 200)["connected"]
    assert_error_shape(client.delete("/api/payments/stripe", headers=auth), 404)


def test_personal_access_tokens_need_the_payments_scope(client, auth, stripe_api):
    reader = make_access_token(client, auth, scopes=["payments:read"])
    expect(client.get("/api/payments/stripe", headers=reader["headers"]), 200)
    error = assert_error_shape(client.put("/api/payments/stripe", json={"secret_key": STRIPE_KEY},
                                          headers=reader["headers"]), 403)
    assert error["required_scope"] == "payments:write"
    other = make_access_token(client, auth, scopes=["invoices:write"])
    assert_error_shape(client.get("/api/payments/stripe", headers=other["headers"]), 403)


def test_a_server_with_payments_off_takes_no_connection(app, client, auth, stripe_api):
    app.config["PAYMENTS_ENABLED"] = False
    try:
        assert expect(client.get("/api/payments/stripe", headers=auth), 200)["enabled"] is False
        error = assert_error_shape(client.put("/api/payments/stripe", json={"secret_key": STRIPE_KEY},
                                              headers=auth), 503)
        assert "PAYMENTS_ENABLED" in error["message"]
    finally:
        app.config["PAYMENTS_ENABLED"] = True


def test_deleting_the_account_deletes_the_connection(client, auth, db, stripe_api):
    connect_stripe(client, auth)
    expect(client.delete("/api/auth/me", json={"password": "correct horse battery"}, headers=auth), 200)
    assert db.stripe_accounts.count_documents({}) == 0


def test_rotating_the_server_key_keeps_old_secrets_readable(app):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = encryption.encrypt("sk_test_x", encryption.parse_keys(old))
    assert encryption.decrypt(token, encryption.parse_keys(f"{new},{old}")) == "sk_test_x"
    assert encryption.parse_keys("f" * 64) == encryption.parse_keys("f" * 64)  # a platform's generated secret

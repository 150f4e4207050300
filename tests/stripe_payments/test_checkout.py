"""Pay now on the public invoice page: GET /i/<token>/pay creates a Stripe Checkout Session for
the balance due (stripe-mock behind a recorder: what we asked Stripe for is read from the
request) and answers 303 to it."""

from urllib.parse import urlsplit

import pytest

from orbix.platform.security_headers import PAGE_CSP
from tests.factories import (
    STRIPE_KEY,
    connect_stripe,
    expect,
    make_credit_note,
    make_invoice,
    make_payment,
    page_path,
    set_invoice_status,
    share_invoice,
)

SESSIONS = "/v1/checkout/sessions"


def _page(client, auth, invoice):
    """(page path, page HTML) of a new link to ``invoice``."""
    path = page_path(share_invoice(client, auth, invoice)["url"])
    response = client.get(path)
    assert response.status_code == 200
    return path, response.get_data(as_text=True)


def _pay_now(text):
    return 'id="pay-now"' in text


def test_pay_now_is_offered_only_when_stripe_is_connected_and_something_is_due(client, auth, stripe_api):
    invoice = make_invoice(client, auth, status="sent")
    path, text = _page(client, auth, invoice)
    assert not _pay_now(text)
    connect_stripe(client, auth, webhook_secret=None)
    assert not _pay_now(client.get(path).get_data(as_text=True))  # payments would never be recorded
    connect_stripe(client, auth)
    text = client.get(path).get_data(as_text=True)
    assert _pay_now(text) and f'href="{path}/pay"' in text
    make_payment(client, auth, invoice, 100)
    assert not _pay_now(client.get(path).get_data(as_text=True))
    void = make_invoice(client, auth, status="sent")
    _path, text = _page(client, auth, void)
    assert _pay_now(text)
    expect(set_invoice_status(client, auth, void, "void"), 200)
    assert not _pay_now(client.get(_path).get_data(as_text=True))


def test_pay_redirects_to_a_checkout_session_for_the_balance_due(client, auth, user, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent", tax_rate=10)  # 110.00 USD
    make_payment(client, auth, invoice, 30.5)
    path, _text = _page(client, auth, invoice)
    response = client.get(path + "/pay")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.scheme == "https" and location.netloc == "checkout.stripe.com"  # stripe-mock's session URL
    assert response.headers["Content-Security-Policy"] == PAGE_CSP and response.headers["Cache-Control"] == "no-store"
    [sent] = stripe_api.form(SESSIONS)
    assert sent["mode"] == "payment" and sent["client_reference_id"] == invoice["_id"]
    assert sent["line_items[0][quantity]"] == "1"
    assert sent["line_items[0][price_data][currency]"] == "usd"
    assert sent["line_items[0][price_data][unit_amount]"] == "7950"  # 110.00 - 30.50, in cents
    assert sent["line_items[0][price_data][product_data][name]"] == f"Invoice {invoice['invoice_number']}"
    for prefix in ("metadata", "payment_intent_data[metadata]"):
        assert sent[f"{prefix}[invoice_id]"] == invoice["_id"] and sent[f"{prefix}[user_id]"] == user["id"]
    assert sent["success_url"] == f"http://localhost{path}?payment=done"
    assert sent["cancel_url"] == f"http://localhost{path}"
    assert sent["customer_email"] == "billing@acme.io"
    [(_method, _path, headers, _body)] = stripe_api.requests[-1:]
    assert headers["Authorization"] == f"Bearer {STRIPE_KEY}" and headers["Idempotency-Key"].startswith("orbix-")


def test_a_credit_note_reduces_what_the_card_pays(client, auth, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent", tax_rate=10)  # 110.00 USD
    make_credit_note(client, auth, invoice, items=[{"description": "Dropped", "quantity": 1, "rate": 40}],
                     reason="Scope cut")  # 40 + 4 tax
    make_payment(client, auth, invoice, 16)
    path, _text = _page(client, auth, invoice)
    assert client.get(path + "/pay").status_code == 303
    [sent] = stripe_api.form(SESSIONS)
    assert sent["line_items[0][price_data][unit_amount]"] == "5000"  # 110 - 44 credited - 16 paid


@pytest.mark.parametrize(("currency", "rate", "expected"), [
    ("JPY", 5000, "10000"),  # zero-decimal: whole yen
    ("KWD", 1.25, "2500"),   # three decimals ending in 0
    ("ISK", 700, "140000"),  # ISO has no decimals, Stripe two that must be 00
])
def test_amounts_are_in_stripes_units_of_the_currency(client, auth, stripe_api, currency, rate, expected):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent", currency=currency,
                           items=[{"description": "Work", "quantity": 2, "rate": rate}])
    path, text = _page(client, auth, invoice)
    assert _pay_now(text)
    assert client.get(path + "/pay").status_code == 303
    [sent] = stripe_api.form(SESSIONS)
    assert sent["line_items[0][price_data][currency]"] == currency.lower()
    assert sent["line_items[0][price_data][unit_amount]"] == expected


def test_an_amount_stripe_cannot_charge_exactly_offers_no_card_payment(client, auth, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent", currency="KWD",
                           items=[{"description": "Work", "quantity": 1, "rate": 1.005}])  # last digit not 0
    path, text = _page(client, auth, invoice)
    assert not _pay_now(text)
    response = client.get(path + "/pay")
    assert response.status_code == 303 and response.headers["Location"] == f"http://localhost{path}"
    assert stripe_api.form(SESSIONS) == []


def test_pay_on_a_settled_invoice_or_a_bad_link_creates_nothing(client, auth, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent")
    path, _text = _page(client, auth, invoice)
    make_payment(client, auth, invoice, 100)
    response = client.get(path + "/pay")
    assert response.status_code == 303 and response.headers["Location"] == f"http://localhost{path}"
    assert client.head(path + "/pay").status_code == 303  # a link preview
    missing = client.get("/i/not-a-token/pay")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    assert stripe_api.form(SESSIONS) == []


def test_stripe_unreachable_is_a_page_saying_so(app, client, auth, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent")
    path, _text = _page(client, auth, invoice)
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    response = client.get(path + "/pay")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "Card payment is not available right now" in text and f'href="http://localhost{path}"' in text
    assert response.headers["Content-Security-Policy"] == PAGE_CSP


def test_back_from_checkout_the_page_says_the_payment_is_being_confirmed(client, auth, stripe_api):
    connect_stripe(client, auth)
    invoice = make_invoice(client, auth, status="sent")
    path, text = _page(client, auth, invoice)
    assert 'id="payment-returned"' not in text
    assert 'id="payment-returned"' in client.get(path + "?payment=done").get_data(as_text=True)

"""The public invoice page /i/<token> and its links (POST/DELETE /api/invoices/{id}/public-link),
through HTTP against the real database; e-mails through the real worker and SMTP sink."""

import hashlib
import html
import re
import uuid
from io import BytesIO

import bson
import pytest
from pypdf import PdfReader

from orbix.invoices import epc
from orbix.platform.security_headers import PAGE_CSP
from tests.conftest import make_app
from tests.factories import (
    assert_error_shape,
    expect,
    long_date,
    make_invoice,
    make_payment,
    page_path,
    send_invoice,
    set_invoice_status,
    share_invoice,
    update_settings,
)

IBAN = "DE89370400440532013000"


def _sent_invoice(client, auth, **fields):
    """A sent EUR invoice: 2 x 50 of design work, 19% tax (subtotal 100, total 119)."""
    fields = {"currency": "EUR", "tax_rate": 19, "notes": "Thank you for your business.", **fields}
    return make_invoice(client, auth, status="sent", **fields)


def _page(client, invoice=None, url=None, auth=None):
    """(response, text) of the public page of ``url``, or of a new link to ``invoice``."""
    url = url or share_invoice(client, auth, invoice)["url"]
    response = client.get(page_path(url))
    return response, response.get_data(as_text=True)


def _invoice(client, auth, invoice):
    return expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)


def _assert_page_headers(response):
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Referrer-Policy"] == "no-referrer"


def _assert_not_found_page(response):
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)
    _assert_page_headers(response)


# ---- links ------------------------------------------------------------------------------------


def test_a_link_carries_256_random_bits_and_only_their_hash_is_stored(client, auth, user, db):
    invoice = _sent_invoice(client, auth)
    first, second = share_invoice(client, auth, invoice), share_invoice(client, auth, invoice)
    tokens = [link["url"].rsplit("/", 1)[1] for link in (first, second)]
    assert first["url"] == f"http://localhost/i/{tokens[0]}" and first["created_at"]
    assert tokens[0] != tokens[1]
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # token_urlsafe(32): 256 bits
        stored = db.public_links.find_one({"_id": hashlib.sha256(token.encode()).hexdigest()})
        assert stored["kind"] == "invoice" and str(stored["target_id"]) == invoice["_id"]
        assert str(stored["user_id"]) == user["id"] and stored["revoked_at"] is None
    for name in db.list_collection_names():
        for document in db[name].find():
            raw = bson.encode(document)
            assert not any(token.encode() in raw for token in tokens), f"a plain token is stored in {name}"


def test_links_use_public_base_url(client, auth, app):
    invoice = _sent_invoice(client, auth)
    app.config["PUBLIC_BASE_URL"] = "https://pay.orbix.example"
    try:
        link = share_invoice(client, auth, invoice)
    finally:
        app.config["PUBLIC_BASE_URL"] = None
    assert link["url"].startswith("https://pay.orbix.example/i/")
    assert client.get(page_path(link["url"])).status_code == 200


def test_a_draft_has_no_public_page_until_it_is_sent(client, auth):
    invoice = make_invoice(client, auth)
    body = assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/public-link", headers=auth), 409)
    assert "send it first" in body["message"]
    expect(set_invoice_status(client, auth, invoice, "sent"), 200)
    assert share_invoice(client, auth, invoice)["url"]


def test_other_users_cannot_create_or_revoke_links_of_an_invoice(client, auth, other_auth):
    invoice = _sent_invoice(client, auth)
    link = share_invoice(client, auth, invoice)
    for method in (client.post, client.delete):
        assert_error_shape(method(f"/api/invoices/{invoice['_id']}/public-link", headers=other_auth), 404)
        assert_error_shape(method("/api/invoices/not-an-id/public-link", headers=auth), 404)
        assert_error_shape(method(f"/api/invoices/{invoice['_id']}/public-link"), 401)
    assert client.get(page_path(link["url"])).status_code == 200


def test_revoking_kills_every_link_with_an_html_404_and_a_new_link_works(client, auth, db):
    invoice = _sent_invoice(client, auth)
    links = [share_invoice(client, auth, invoice) for _ in range(2)]
    revoked = expect(client.delete(f"/api/invoices/{invoice['_id']}/public-link", headers=auth), 200)
    assert revoked == {"message": "Public links revoked: 2"}
    for link in links:
        _assert_not_found_page(client.get(page_path(link["url"])))
        _assert_not_found_page(client.get(page_path(link["url"]) + "/pdf"))
    assert db.public_links.count_documents({"revoked_at": {"$ne": None}}) == 2
    fresh = share_invoice(client, auth, invoice)
    assert client.get(page_path(fresh["url"])).status_code == 200


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 44, "%00" * 20, "a" * 2000])
def test_unknown_or_malformed_tokens_are_an_html_404(client, token):
    _assert_not_found_page(client.get(f"/i/{token}"))


def test_an_idempotency_key_never_replays_a_link(client, auth, db):
    invoice = _sent_invoice(client, auth)
    headers = {**auth, "Idempotency-Key": "share-once"}
    urls = [expect(client.post(f"/api/invoices/{invoice['_id']}/public-link", headers=headers))["url"] for _ in "ab"]
    assert urls[0] != urls[1]
    assert db.idempotency_keys.count_documents({}) == 0


def test_deleting_a_draft_or_the_account_deletes_its_links(app, client, make_user, db):
    from orbix.invoices.service import LINK_KIND
    from orbix.public_links import links

    owner = make_user()
    draft = make_invoice(client, owner["headers"])
    with app.test_request_context():  # a link to a draft cannot be made through the API
        links.issue(bson.ObjectId(owner["id"]), LINK_KIND, bson.ObjectId(draft["_id"]))
    expect(client.delete(f"/api/invoices/{draft['_id']}", headers=owner["headers"]), 200)
    assert db.public_links.count_documents({}) == 0
    share_invoice(client, owner["headers"], _sent_invoice(client, owner["headers"]))
    exported = expect(client.get("/api/auth/me/export", headers=owner["headers"]), 200)
    assert "public_links" not in exported["data"]  # hashes of secrets are not the user's data
    expect(client.delete("/api/auth/me", json={"password": "correct horse battery"}, headers=owner["headers"]), 200)
    assert db.public_links.count_documents({}) == 0


# ---- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_invoice_as_issued_with_balance_and_payment_details(client, auth):
    update_settings(client, auth, business_name="Lovelace Analytics", address="1 Engine Row\nLondon", tax_id="GB123",
                 payment_details="Bank: Babbage & Co\nAccount 12345678")
    invoice = _sent_invoice(client, auth)
    update_settings(client, auth, business_name="Renamed Later Ltd")  # the invoice keeps what was sent
    make_payment(client, auth, invoice, 19)
    link = share_invoice(client, auth, invoice)
    response, text = _page(client, url=link["url"])
    assert response.status_code == 200 and response.mimetype == "text/html"
    _assert_page_headers(response)
    page = html.unescape(text)
    for expected in (
        f"Invoice {invoice['invoice_number']}", "Lovelace Analytics", "1 Engine Row\nLondon", "Tax ID: GB123",
        "Acme Ltd", "billing@acme.io", long_date(invoice["date"]), long_date(invoice["due_date"]),
        "Design work", "€50.00",
        "Subtotal", "€100.00", "Tax (19%)", "€19.00", "Total (EUR)", "€119.00", "Paid", "-€19.00",
        "Balance due", "Partly paid", "Bank: Babbage & Co\nAccount 12345678", "Thank you for your business.",
        "Download PDF",
    ):
        assert expected in page, expected
    assert "Renamed Later Ltd" not in page
    assert "<script" not in text.lower() and 'style="' not in text  # nothing the CSP would have to allow
    assert 'href="/public/page.css"' in text and f'href="{page_path(link["url"])}/pdf" download>' in text


def test_user_text_is_escaped_on_the_page(client, auth):
    update_settings(client, auth, business_name="<script>alert(1)</script>")
    invoice = _sent_invoice(client, auth, notes='<img src=x onerror="alert(2)">')
    _response, text = _page(client, invoice, auth=auth)
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_past_due_invoice_shows_its_due_date_and_balance_never_overdue(client, auth):
    invoice = make_invoice(client, auth, status="sent", date="2024-01-01", due_date="2024-01-31")
    assert _invoice(client, auth, invoice)["status"] == "overdue"
    response, text = _page(client, invoice, auth=auth)
    assert response.status_code == 200
    assert "overdue" not in text.lower()
    assert "January 31, 2024" in text and "Balance due" in text and "Awaiting payment" in text


def test_a_paid_invoice_says_paid_and_offers_no_payment(client, auth):
    update_settings(client, auth, payment_link="https://buy.stripe.com/test_123", iban=IBAN)
    invoice = _sent_invoice(client, auth)
    link = share_invoice(client, auth, invoice)
    assert "https://buy.stripe.com/test_123" in _page(client, url=link["url"])[1]
    expect(set_invoice_status(client, auth, invoice, "paid"), 200)
    _response, text = _page(client, url=link["url"])
    assert "Paid. Thank you!" in text
    for offer in ("Pay online", "buy.stripe.com", "epc-qr", "How to pay"):
        assert offer not in text


def test_a_void_invoice_says_cancelled_and_offers_no_payment(client, auth):
    update_settings(client, auth, payment_link="https://buy.stripe.com/test_123", iban=IBAN)
    invoice = _sent_invoice(client, auth)
    expect(set_invoice_status(client, auth, invoice, "void"), 200)
    _response, text = _page(client, invoice, auth=auth)
    assert "This invoice was cancelled" in text
    assert "Pay online" not in text and "epc-qr" not in text and "Balance due" not in text


def test_pay_online_links_to_the_users_payment_link(client, auth):
    invoice = _sent_invoice(client, auth)
    assert "Pay online" not in _page(client, invoice, auth=auth)[1]
    update_settings(client, auth, payment_link="https://paypal.me/adalovelace")
    text = _page(client, invoice, auth=auth)[1]
    assert '<a class="button primary" id="pay-online" href="https://paypal.me/adalovelace" rel="noopener noreferrer">' \
        in text


def test_a_euro_invoice_with_an_iban_has_an_epc_qr_code_for_the_balance(client, auth):
    update_settings(client, auth, business_name="Lovelace Analytics", iban="de89 3704 0044 0532 0130 00",
                 bic="cobadeffxxx")
    invoice = _sent_invoice(client, auth)
    make_payment(client, auth, invoice, 19.5)
    text = _page(client, invoice, auth=auth)[1]
    payload = epc.payload("Lovelace Analytics", IBAN, "99.50", invoice["invoice_number"], "COBADEFFXXX")
    assert payload.split("\n")[7] == "EUR99.5"
    assert f'src="{html.escape(epc.qr_data_uri(payload))}"' in text  # the QR code of exactly this payload
    assert "IBAN: DE89 3704 0044 0532 0130 00" in text and "BIC: COBADEFFXXX" in text


@pytest.mark.parametrize(("currency", "iban"), [("USD", IBAN), ("EUR", None)])
def test_no_epc_qr_code_without_euros_or_an_iban(client, auth, currency, iban):
    if iban:
        update_settings(client, auth, iban=iban)
    text = _page(client, _sent_invoice(client, auth, currency=currency), auth=auth)[1]
    assert "epc-qr" not in text and "data:image" not in text


def test_each_page_view_counts_and_the_first_is_kept(client, auth):
    invoice = _sent_invoice(client, auth)
    assert _invoice(client, auth, invoice)["view_count"] == 0 and _invoice(client, auth, invoice)["viewed_at"] is None
    url = share_invoice(client, auth, invoice)["url"]
    assert client.get(page_path(url)).status_code == 200
    first = _invoice(client, auth, invoice)
    assert first["view_count"] == 1 and first["viewed_at"]
    client.get(page_path(url))
    assert client.head(page_path(url)).status_code == 200  # link previews (HEAD) and downloads do not count
    assert client.get(page_path(url) + "/pdf").status_code == 200
    second = _invoice(client, auth, invoice)
    assert second["view_count"] == 2 and second["viewed_at"] == first["viewed_at"]
    [listed] = expect(client.get("/api/invoices", headers=auth), 200)
    assert listed["view_count"] == 2 and listed["viewed_at"] == first["viewed_at"]


def test_the_pdf_downloads_as_an_attachment(client, auth):
    invoice = _sent_invoice(client, auth)
    url = share_invoice(client, auth, invoice)["url"]
    response = client.get(page_path(url) + "/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{invoice["invoice_number"]}.pdf"'
    assert response.data.startswith(b"%PDF")
    assert invoice["invoice_number"] in PdfReader(BytesIO(response.data)).pages[0].extract_text()


def test_the_stylesheet_is_served_by_us(client):
    response = client.get("/public/page.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "@media print" in css and "@media (max-width" in css


def test_the_page_is_rate_limited_per_ip(mongo_uri, redis_uri, client, auth):
    url = share_invoice(client, auth, _sent_invoice(client, auth))["url"]
    limited = make_app(mongo_uri, redis_uri, RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex}", RATELIMIT_DEFAULT="2/minute")
    browser = limited.test_client()
    statuses = [browser.get(page_path(url), environ_base={"REMOTE_ADDR": "10.1.0.1"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert browser.get(page_path(url), environ_base={"REMOTE_ADDR": "10.1.0.2"}).status_code == 200


# ---- e-mail -----------------------------------------------------------------------------------


def test_the_invoice_email_links_to_a_working_public_page(client, auth, jobs, mail_sink, db):
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    assert "/i/" not in repr(list(db.messages.find()))  # the link is made when the e-mail goes out
    jobs.run()
    [(_sender, _recipients, email)] = mail_sink.received
    text = email.get_body(("plain",)).get_content()
    [url] = re.findall(r"http://localhost/i/[A-Za-z0-9_-]{43}", text)
    assert f'href="{url}"' in email.get_body(("html",)).get_content()
    response = client.get(page_path(url))
    assert response.status_code == 200 and invoice["invoice_number"] in response.get_data(as_text=True)
    token = url.rsplit("/", 1)[1].encode()
    assert not any(token in bson.encode(doc) for name in db.list_collection_names() for doc in db[name].find())


def test_each_invoice_email_carries_a_new_link(client, auth, jobs, mail_sink):
    invoice = make_invoice(client, auth)
    send_invoice(client, auth, invoice)
    send_invoice(client, auth, invoice)
    jobs.run()
    urls = [re.search(r"/i/[A-Za-z0-9_-]{43}", email.get_body(("plain",)).get_content())[0]
            for _s, _r, email in mail_sink.received]
    assert len(set(urls)) == 2 and all(client.get(url).status_code == 200 for url in urls)

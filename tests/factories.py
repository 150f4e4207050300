"""Test data made through the HTTP API, the way a client of Orbix makes it.

Each factory sends one request, asserts the status that request must answer (201 for a
creation) with the response text in the message, and returns the JSON body. Tests that
check the request itself (its validation, its refusals) send it themselves.
"""

import hashlib
import hmac
import itertools
import json
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from babel.dates import format_date

from tests.resume_samples import full_resume

PASSWORD = "correct horse battery"
_emails = itertools.count(1)


def expect(response, status=201):
    """The JSON body of ``response`` after asserting its status."""
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def assert_error_shape(response, status):
    """Every error has the one shape: code, status, message and error (twins)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert body["error"] == body["message"]
    return body


# ---- accounts -------------------------------------------------------------------------------

def register_user(client, name="Ada Lovelace", email=None, password=PASSWORD):
    """A new account: {id, email, token, refresh_token, headers}."""
    email = email or f"user{next(_emails)}@example.com"
    body = expect(client.post("/api/auth/register", json={"name": name, "email": email, "password": password}))
    return {
        "id": body["user"]["id"],
        "email": email,
        "token": body["token"],
        "refresh_token": body["refresh_token"],
        "headers": {"Authorization": f"Bearer {body['token']}"},
    }


def bearer(token):
    """Authorization headers for a token (a login's JWT or a personal access token)."""
    return {"Authorization": f"Bearer {token}"}


def make_access_token(client, headers, scopes=("*:write",), name="Script", **fields):
    """A personal access token made with a login session: the creation body, whose ``token``
    is the secret and ``headers`` its Authorization headers."""
    body = expect(client.post("/api/tokens", json={"name": name, "scopes": list(scopes), **fields}, headers=headers))
    return {**body, "headers": bearer(body["token"])}


def update_settings(client, headers, **settings):
    """Changes the caller's settings; returns the stored settings."""
    return expect(client.put("/api/auth/me", json={"settings": settings}, headers=headers), 200)["settings"]


# ---- clients, projects, time entries --------------------------------------------------------

def make_client(client, headers, **fields):
    return expect(
        client.post("/api/clients", json={"name": "Acme Ltd", "email": "billing@acme.io", **fields}, headers=headers)
    )


def make_project(client, headers, **fields):
    return expect(client.post("/api/projects", json={"name": "Site", **fields}, headers=headers))


def _iso(moment):
    return moment.isoformat() if isinstance(moment, datetime) else moment


def make_time_entry(client, headers, hours=None, **fields):
    """A stopped entry (09:00-10:30 on 2025-03-01 unless told); ``hours`` sets the end from
    the start, ``end_time=None`` makes a running timer."""
    body = {"description": "Work", "start_time": "2025-03-01T09:00:00Z", "end_time": "2025-03-01T10:30:00Z", **fields}
    if hours is not None:
        body["end_time"] = datetime.fromisoformat(_iso(body["start_time"])) + timedelta(seconds=round(hours * 3600))
    body = {key: _iso(value) for key, value in body.items()}
    return expect(client.post("/api/time-tracking", json=body, headers=headers))


# ---- invoices ---------------------------------------------------------------------------------

INVOICE_ITEM = {"description": "Design work", "quantity": 2, "rate": 50, "amount": 999999}


def set_invoice_status(client, headers, invoice, status):
    """The response to moving ``invoice`` to ``status`` (the test judges it)."""
    return client.put(f"/api/invoices/{invoice['_id']}", json={"status": status}, headers=headers)


def make_invoice(client, headers, client_id=None, status="draft", **fields):
    """An invoice of INVOICE_ITEM due in 30 days (for a new client unless told), moved on
    to ``status``."""
    body = {
        "client_id": client_id or make_client(client, headers)["_id"],
        "items": [INVOICE_ITEM],
        "due_date": (date.today() + timedelta(days=30)).isoformat(),
        **fields,
    }
    invoice = expect(client.post("/api/invoices", json=body, headers=headers))
    if status != "draft":
        invoice = expect(set_invoice_status(client, headers, invoice, status), 200)
    return invoice


def make_payment(client, headers, invoice, amount, **fields):
    """A payment on ``invoice``; returns the invoice as it stands after it."""
    return expect(
        client.post(f"/api/invoices/{invoice['_id']}/payments", json={"amount": amount, **fields}, headers=headers)
    )


def make_tax_rate(client, headers, **fields):
    """A tax rate (VAT 20 % unless told)."""
    return expect(client.post("/api/tax-rates", json={"name": "VAT", "percent": 20, **fields}, headers=headers))


def make_credit_note(client, headers, invoice, **body):
    """A credit note against ``invoice`` (the whole invoice unless told)."""
    body = body or {"full": True, "reason": "Cancelled order"}
    return expect(client.post(f"/api/invoices/{invoice['_id']}/credit-notes", json=body, headers=headers))


# ---- recurring invoices -----------------------------------------------------------------------

RECURRING_ITEM = {"description": "Monthly retainer", "quantity": 1, "rate": 1000}


def make_recurring(client, headers, client_id=None, **fields):
    """A monthly recurring invoice of RECURRING_ITEM, Net 30, starting 2031-01-15 (for a new
    client unless told)."""
    body = {
        "client_id": client_id or make_client(client, headers)["_id"],
        "items": [RECURRING_ITEM],
        "frequency": "monthly",
        "start_date": "2031-01-15",
        "payment_terms": "Net 30",
        **fields,
    }
    return expect(client.post("/api/recurring-invoices", json=body, headers=headers))


def preview_runs(client, headers, schedule, count=None):
    """The run dates (ISO strings) ``GET .../preview`` lists."""
    query = "" if count is None else f"?count={count}"
    runs = expect(client.get(f"/api/recurring-invoices/{schedule['_id']}/preview{query}", headers=headers), 200)
    return [run["run_date"] for run in runs]


def recurring_invoice(client, headers, schedule):
    """``schedule`` as it stands now."""
    return expect(client.get(f"/api/recurring-invoices/{schedule['_id']}", headers=headers), 200)


def recurring_invoices_made(client, headers, schedule):
    """The invoices ``schedule`` made (the list's summaries, oldest first)."""
    return expect(client.get(f"/api/recurring-invoices/{schedule['_id']}/invoices", headers=headers), 200)


def recurring_runs(client, headers, schedule):
    return expect(client.get(f"/api/recurring-invoices/{schedule['_id']}/runs", headers=headers), 200)


# ---- contracts --------------------------------------------------------------------------------

CONTRACT_CONTENT = "SERVICES AGREEMENT\n\n1. Scope\n\nBuild the thing."

CONTRACT_TEMPLATE = {
    "title": "Retainer",
    "description": "Monthly retainer",
    "body": "RETAINER\n\n1. {{ party_a_name }} helps {{ party_b_name }} with {{ topic }} for {{ monthly_fee }}.",
    "variables": [
        {"name": "party_a_name", "label": "You"},
        {"name": "party_b_name", "label": "Client"},
        {"name": "topic", "label": "Topic", "required": False, "default": "general matters"},
        {"name": "monthly_fee", "label": "Monthly fee", "type": "money"},
    ],
}


def make_contract(client, headers, client_id=None, **fields):
    """A draft contract of CONTRACT_CONTENT (for a new client unless told)."""
    body = {
        "client_id": client_id or make_client(client, headers)["_id"],
        "title": "Website build",
        "content": CONTRACT_CONTENT,
        "start_date": "2026-03-01T00:00:00.000Z",
        "end_date": None,
        "value": 4800.5,
        "currency": "EUR",
        **fields,
    }
    return expect(client.post("/api/contracts", json=body, headers=headers))


def set_contract_status(client, headers, contract_id, status):
    """The response to moving a contract to ``status`` (the test judges it)."""
    return client.put(f"/api/contracts/{contract_id}", json={"status": status}, headers=headers)


def send_contract(client, headers, contract_id, **body):
    """Sends a contract for signature; returns the signing link."""
    return expect(client.post(f"/api/contracts/{contract_id}/send", json=body, headers=headers), 200)


def signing_token(link):
    """The token of a signing link (``/c/<token>``) that ``send_contract`` returned."""
    return link["signing_url"].rsplit("/", 1)[1]


def contract_events(client, headers, contract_id):
    """The contract's audit trail, oldest first."""
    return expect(client.get(f"/api/contracts/{contract_id}/events", headers=headers), 200)


def countersign(client, headers, contract_id, **body):
    """The response to the freelancer countersigning (the test judges it)."""
    return client.post(f"/api/contracts/{contract_id}/countersign", json={"name": "Ada Lovelace", **body},
                       headers=headers)


def make_contract_template(client, headers, **fields):
    """A user template (the retainer of CONTRACT_TEMPLATE unless told)."""
    return expect(client.post("/api/contracts/templates", json={**CONTRACT_TEMPLATE, **fields}, headers=headers))


# ---- resumes ----------------------------------------------------------------------------------


def make_resume(client, headers, body=None):
    """A resume of ``body`` (the full sample resume unless told)."""
    return expect(client.post("/api/resumes", json=body or full_resume(), headers=headers))


def import_json_resume(client, headers, document):
    """A resume imported from a JSON Resume document."""
    return expect(client.post("/api/resumes/import", json=document, headers=headers))


def export_json_resume(client, headers, resume_id):
    """A resume exported as a JSON Resume document."""
    return expect(client.get(f"/api/resumes/{resume_id}/json-resume", headers=headers), 200)


def send_invoice(client, headers, invoice, **body):
    """E-mail ``invoice``; returns the queued message record."""
    return expect(client.post(f"/api/invoices/{invoice['_id']}/send", json=body, headers=headers))


def invoice_messages(client, headers, invoice):
    return expect(client.get(f"/api/invoices/{invoice['_id']}/messages", headers=headers), 200)


def get_invoice(client, headers, invoice):
    """The invoice as it stands now."""
    return expect(client.get(f"/api/invoices/{invoice['_id']}", headers=headers), 200)


def share_invoice(client, headers, invoice):
    """A new link to the invoice's public page: {url, created_at}."""
    return expect(client.post(f"/api/invoices/{invoice['_id']}/public-link", headers=headers))


def page_path(url):
    """The path of a public page's absolute URL (``/i/<token>``), to open with the test client."""
    return urlsplit(url).path


# ---- webhooks ---------------------------------------------------------------------------------

def make_webhook(client, headers, url, events=("*",), **fields):
    """A webhook endpoint (every event unless told); the answer carries its secret."""
    return expect(client.post("/api/webhooks", json={"url": url, "events": list(events), **fields}, headers=headers))


def webhook_deliveries(client, headers, webhook, **query):
    """The endpoint's delivery log, newest first."""
    return expect(client.get(f"/api/webhooks/{webhook['_id']}/deliveries", query_string=query, headers=headers), 200)


# ---- files and expenses -------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff\xe0"
PDF_SIGNATURE = b"%PDF-1.7\n"


def file_bytes(signature=PNG_SIGNATURE, size=64, fill=b"\x01\x02\x03\x04\x05\x06\x07"):
    """``size`` bytes starting with ``signature`` (a file type's magic number), a pattern after it
    (no real image: only the signature is sniffed)."""
    body = signature + fill * (size // len(fill) + 1)
    return body[:size]


def upload(client, headers, data, filename="receipt.png", purpose="receipt", content_type="image/png"):
    """The response to uploading ``data`` (the test judges it)."""
    import io

    form = {"file": (io.BytesIO(data), filename, content_type)}
    if purpose is not None:
        form["purpose"] = purpose
    return client.post("/api/files", data=form, content_type="multipart/form-data", headers=headers)


def upload_file(client, headers, data=None, **fields):
    """A stored file (a small PNG receipt unless told)."""
    return expect(upload(client, headers, file_bytes() if data is None else data, **fields))


def make_expense(client, headers, **fields):
    """An expense of 42.50 (in your default currency) on 2025-05-06 unless told."""
    body = {"date": "2025-05-06", "amount": 42.5, "vendor": "Acme Air", **fields}
    return expect(client.post("/api/expenses", json=body, headers=headers))


# ---- card payments (Stripe) -------------------------------------------------------------------

STRIPE_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_WEBHOOK_SECRET = "whsec_orbixTestSigningSecret0123456789"


def connect_stripe(client, headers, secret_key=STRIPE_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET):
    """Connect Stripe (the key is checked with stripe-mock: use the ``stripe_api`` fixture); the
    connection as ``GET /api/payments/stripe`` shows it, with ``webhook_path`` to post events to."""
    body = {"secret_key": secret_key, "webhook_secret": webhook_secret}
    status = expect(client.put("/api/payments/stripe", json={k: v for k, v in body.items() if v}, headers=headers), 200)
    return {**status, "webhook_path": page_path(status["webhook_url"])}


def stripe_signature(payload, secret=STRIPE_WEBHOOK_SECRET, timestamp=None):
    """A ``Stripe-Signature`` header as Stripe makes it: ``t=<unix time>,v1=<hex HMAC-SHA256 of
    "<t>.<payload>" keyed with the endpoint's signing secret>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


_stripe_ids = itertools.count(1)


def stripe_event(event_type, obj, event_id=None):
    """A Stripe event (the body Stripe posts), as bytes."""
    event = {"id": event_id or f"evt_test_{next(_stripe_ids):06d}", "object": "event", "type": event_type,
             "api_version": "2024-06-20", "created": 1700000000, "livemode": False, "data": {"object": obj}}
    return json.dumps(event).encode()


def checkout_completed(invoice, user_id, amount, currency=None, intent=None, **fields):
    """The ``checkout.session.completed`` event of a paid Checkout Session for ``invoice``."""
    return stripe_event("checkout.session.completed", {
        "id": f"cs_test_{next(_stripe_ids):06d}", "object": "checkout.session", "mode": "payment",
        "payment_status": "paid", "status": "complete", "amount_total": amount,
        "currency": (currency or invoice["currency"]).lower(), "client_reference_id": invoice["_id"],
        "payment_intent": intent or f"pi_test_{next(_stripe_ids):06d}",
        "metadata": {"invoice_id": invoice["_id"], "user_id": user_id}, **fields})


def intent_succeeded(invoice, user_id, amount, intent, currency=None):
    """The ``payment_intent.succeeded`` event of the payment intent ``intent`` for ``invoice``."""
    return stripe_event("payment_intent.succeeded", {
        "id": intent, "object": "payment_intent", "status": "succeeded", "amount": amount, "amount_received": amount,
        "currency": (currency or invoice["currency"]).lower(),
        "metadata": {"invoice_id": invoice["_id"], "user_id": user_id}})


def charge_refunded(intent, captured, refunded, currency):
    """The ``charge.refunded`` event of the charge of ``intent`` (``refunded``: the total so far)."""
    return stripe_event("charge.refunded", {
        "id": f"ch_test_{next(_stripe_ids):06d}", "object": "charge", "payment_intent": intent,
        "amount": captured, "amount_captured": captured, "amount_refunded": refunded,
        "refunded": refunded >= captured, "currency": currency.lower()})


def post_stripe_event(client, path, payload, secret=STRIPE_WEBHOOK_SECRET, timestamp=None, signature=None):
    """Deliver ``payload`` to the webhook ``path``, signed with ``secret`` (or the given header)."""
    header = signature if signature is not None else stripe_signature(payload, secret, timestamp)
    return client.post(path, data=payload, content_type="application/json", headers={"Stripe-Signature": header})


# ---- estimates --------------------------------------------------------------------------------

ESTIMATE_ITEM = {"description": "Website redesign", "quantity": 3, "rate": 33.33}


def make_estimate(client, headers, client_id=None, status="draft", **fields):
    """An estimate of ESTIMATE_ITEM (3 x 33.33 = 99.99, for a new client unless told), moved on
    to ``status`` (sent, accepted or declined) by status changes."""
    body = {"client_id": client_id or make_client(client, headers)["_id"], "items": [ESTIMATE_ITEM], **fields}
    estimate = expect(client.post("/api/estimates", json=body, headers=headers))
    for step in {"draft": [], "sent": ["sent"], "accepted": ["sent", "accepted"],
                 "declined": ["sent", "declined"]}[status]:
        estimate = expect(
            client.put(f"/api/estimates/{estimate['_id']}", json={"status": step}, headers=headers), 200
        )
    return estimate


def send_estimate(client, headers, estimate, **body):
    """E-mail ``estimate``; returns the queued message record."""
    return expect(client.post(f"/api/estimates/{estimate['_id']}/send", json=body, headers=headers))


def get_estimate(client, headers, estimate):
    return expect(client.get(f"/api/estimates/{estimate['_id']}", headers=headers), 200)


# ---- e-invoices -------------------------------------------------------------------------------

SELLER = {
    "business_name": "Lovelace Analytics", "legal_name": "Lovelace Analytics GmbH", "address_line1": "Hauptstr. 1",
    "city": "Berlin", "postal_code": "10115", "country_code": "DE", "vat_id": "DE123456789", "phone": "+49 30 123456",
    "iban": "DE89370400440532013000", "bic": "COBADEFFXXX",
}
BUYER = {
    "name": "Babbage", "company": "Difference Engines SARL", "address_line1": "1 rue de la Paix", "city": "Paris",
    "postal_code": "75002", "country_code": "FR", "vat_id": "FR12345678901",
}


def set_seller(client, headers, **overrides):
    """Settings with everything EN 16931, Peppol and XRechnung ask of the seller (overrides win)."""
    return update_settings(client, headers, **{**SELLER, **overrides})


def make_buyer(client, headers, **overrides):
    """A client with a full e-invoice address (a French company unless told)."""
    return make_client(client, headers, **{**BUYER, **overrides})


def einvoice(client, headers, invoice, path="ubl", status=200, **query):
    """The raw response to an e-invoice download (``ubl`` or ``pdf``), its status asserted."""
    response = client.get(f"/api/invoices/{invoice['_id']}/{path}", query_string=query, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def long_date(iso, locale="en_US"):
    """A ``YYYY-MM-DD`` date as documents and e-mails print it in ``locale`` (what Babel writes)."""
    return format_date(date.fromisoformat(iso[:10]), "long", locale=locale)


def png_image(width=120, height=40, color=(11, 87, 208)):
    """The bytes of a real PNG (a logo must decode to be printed)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def upload_logo(client, headers, data=None):
    """A logo file (a small real PNG unless told) set as the account's logo; returns the file."""
    logo = upload_file(client, headers, png_image() if data is None else data, filename="logo.png", purpose="logo")
    update_settings(client, headers, logo_file_id=logo["_id"])
    return logo

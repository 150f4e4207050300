"""Invoices through HTTP: money, numbering, lifecycle, payments, lists, PDF and CSV."""

from datetime import date, timedelta

import pytest
from bson import ObjectId

from orbix.common import numbering
from tests.concurrency import at_once
from tests.documents import csv_rows, pdf_reader, pdf_text
from tests.factories import INVOICE_ITEM as ITEM
from tests.factories import assert_error_shape, make_client, make_invoice

TODAY = date.today()


def put(client, auth, invoice, **body):
    return client.put(f"/api/invoices/{invoice['_id']}", json=body, headers=auth)


def pay(client, auth, invoice, amount, **fields):
    return client.post(f"/api/invoices/{invoice['_id']}/payments", json={"amount": amount, **fields}, headers=auth)


# --- money and totals ---------------------------------------------------------

def test_create_computes_amounts_and_ignores_sent_amounts(client, auth):
    body = make_invoice(client, auth, tax=10, discount=5, subtotal=1, total=1)
    assert body["items"][0] == {"description": "Design work", "quantity": 2, "rate": 50, "amount": 100}
    assert (body["subtotal"], body["discount"], body["tax"], body["total"]) == (100, 5, 10, 105)
    assert body["status"] == "draft" and body["amount_paid"] == 0 and body["balance_due"] == 105
    assert body["date"] == TODAY.isoformat()


def test_tenths_sum_exactly(client, auth):
    items = [{"description": f"Item {i}", "quantity": 1, "rate": 0.1} for i in range(3)]
    body = make_invoice(client, auth, items=items)
    assert body["subtotal"] == 0.3 and body["total"] == 0.3


def test_line_amount_rounds_half_up_to_the_minor_unit(client, auth):
    body = make_invoice(client, auth, items=[{"description": "x", "quantity": 0.5, "rate": 0.05}])
    assert body["items"][0]["amount"] == 0.03


def test_jpy_has_no_minor_unit(client, auth):
    body = make_invoice(client, auth, currency="jpy", items=[{"description": "x", "quantity": 1.5, "rate": 333}])
    assert body["currency"] == "JPY" and body["items"][0]["amount"] == 500 and body["total"] == 500


def test_tax_rate_is_a_percentage_of_the_subtotal(client, auth):
    body = make_invoice(
        client, auth, currency="KES", items=[{"description": "Ushauri", "quantity": 3, "rate": 1250.5}], tax_rate=16
    )
    assert body["subtotal"] == 3751.5 and body["tax"] == 600.24 and body["tax_rate"] == 16 and body["total"] == 4351.74


def test_discount_rate_then_tax_rate_on_discounted_subtotal(client, auth):
    body = make_invoice(
        client, auth, items=[{"description": "x", "quantity": 1, "rate": 200}], discount_rate=10, tax_rate=5
    )
    assert (body["discount"], body["discount_rate"], body["tax"], body["total"]) == (20, 10, 9, 189)


def test_currency_defaults_to_the_clients_then_the_users(client, auth):
    eur_client = make_client(client, auth, currency="EUR")["_id"]
    assert make_invoice(client, auth, client_id=eur_client)["currency"] == "EUR"
    assert make_invoice(client, auth)["currency"] == "USD"
    client.patch("/api/auth/me", json={"default_currency": "GBP"}, headers=auth)
    assert make_invoice(client, auth)["currency"] == "GBP"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"description": "x", "quantity": 0, "rate": 1}]}, "quantity"),
        ({"items": [{"description": "x", "quantity": 1.00001, "rate": 1}]}, "quantity"),
        ({"items": [{"description": "x", "quantity": 1, "rate": -1}]}, "rate"),
        ({"items": [{"description": "", "quantity": 1, "rate": 1}]}, "description"),
        ({"items": [{"description": "x", "quantity": "lots", "rate": 1}]}, "quantity"),
        ({"items": [ITEM] * 501}, "items"),
        ({"currency": "XYZ"}, "currency"),
        ({"tax": -1}, "tax"),
        ({"tax_rate": 101}, "tax_rate"),
        ({"tax": 1, "tax_rate": 1}, "tax_rate"),
        ({"discount": 100.01}, "discount"),
        ({"due_date": "2020-13-01"}, "due_date"),
        ({"date": TODAY.isoformat(), "due_date": (TODAY - timedelta(days=1)).isoformat()}, "due_date"),
        ({"due_date": None, "payment_terms": "whenever"}, "due_date"),
        ({"client_id": "nope"}, "client_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, auth, change, field):
    body = {"client_id": make_client(client, auth)["_id"], "items": [ITEM], "due_date": TODAY.isoformat(), **change}
    response = client.post("/api/invoices", json=body, headers=auth)
    error = assert_error_shape(response, 422)
    assert field in str(error.get("errors")) or field in error["message"]


def test_malformed_json_is_400(client, auth):
    response = client.post("/api/invoices", data="{", content_type="application/json", headers=auth)
    assert_error_shape(response, 400)


def test_due_date_from_payment_terms_and_backdated_issue_date(client, auth):
    body = make_invoice(client, auth, date="2024-01-10", due_date=None, payment_terms="Net 15")
    assert (body["date"], body["due_date"], body["payment_terms"]) == ("2024-01-10", "2024-01-25", "Net 15")
    receipt = make_invoice(client, auth, date="2024-01-10", due_date=None, payment_terms="Due on receipt")
    assert receipt["due_date"] == "2024-01-10"


def test_another_users_client_in_body_is_422(client, auth, other_auth):
    theirs = make_client(client, other_auth)["_id"]
    response = client.post(
        "/api/invoices", json={"client_id": theirs, "items": [ITEM], "due_date": TODAY.isoformat()}, headers=auth
    )
    assert_error_shape(response, 422)


def test_another_users_invoice_is_404_everywhere(client, auth, other_auth):
    invoice = make_invoice(client, other_auth, status="sent")
    path = f"/api/invoices/{invoice['_id']}"
    for response in (
        client.get(path, headers=auth),
        client.put(path, json={"status": "paid"}, headers=auth),
        client.delete(path, headers=auth),
        client.get(f"{path}/pdf", headers=auth),
        client.post(f"{path}/payments", json={"amount": 1}, headers=auth),
        client.get("/api/invoices/not-an-id", headers=auth),
    ):
        assert_error_shape(response, 404)
    assert client.get("/api/invoices", headers=auth).get_json() == []
    assert client.get(path, headers=other_auth).get_json()["status"] == "sent"


def test_requires_a_token(client):
    assert_error_shape(client.get("/api/invoices"), 401)


# --- numbering -----------------------------------------------------------------


def test_numbers_are_sequential_per_user_with_the_users_prefix(client, auth, other_auth):
    assert make_invoice(client, auth)["invoice_number"] == "INV-00001"
    assert make_invoice(client, auth)["invoice_number"] == "INV-00002"
    assert make_invoice(client, other_auth)["invoice_number"] == "INV-00001"
    client.patch("/api/auth/me", json={"invoice_prefix": "ACME-"}, headers=auth)
    assert make_invoice(client, auth)["invoice_number"] == "ACME-00003"


def test_deleting_a_draft_does_not_reuse_its_number(client, auth):
    first = make_invoice(client, auth)
    assert client.delete(f"/api/invoices/{first['_id']}", headers=auth).get_json() == {"message": "Invoice deleted"}
    assert make_invoice(client, auth)["invoice_number"] == "INV-00002"


def test_a_failed_insert_hands_its_number_back(client, auth, monkeypatch):
    client_id = make_client(client, auth)["_id"]
    make_invoice(client, auth, client_id=client_id)
    real = numbering.collection

    class Failing:
        def __init__(self, coll):
            self.coll = coll

        def __getattr__(self, name):
            return getattr(self.coll, name)

        def insert_one(self, doc):
            raise RuntimeError("disk full")

    monkeypatch.setattr(numbering, "collection", lambda name: Failing(real(name)) if name == "invoices" else real(name))
    response = client.post(
        "/api/invoices", json={"client_id": client_id, "items": [ITEM], "due_date": TODAY.isoformat()}, headers=auth
    )
    assert_error_shape(response, 500)
    monkeypatch.setattr(numbering, "collection", real)
    assert make_invoice(client, auth, client_id=client_id)["invoice_number"] == "INV-00002"


def test_fifty_concurrent_creates_get_fifty_gapless_numbers(app, client, auth):
    body = {"client_id": make_client(client, auth)["_id"], "items": [ITEM], "due_date": TODAY.isoformat()}
    responses = at_once(app, *[lambda http: http.post("/api/invoices", json=body, headers=auth)] * 50)
    assert [r.get_json() for r in responses if r.status_code != 201] == []
    numbers = [r.get_json()["invoice_number"] for r in responses]
    assert sorted(numbers) == [f"INV-{n:05d}" for n in range(1, 51)]


# --- lifecycle -----------------------------------------------------------------


def test_marking_a_sent_invoice_paid_records_a_payment_of_the_balance(client, auth):
    invoice = make_invoice(client, auth, status="sent")
    assert invoice["status"] == "sent" and invoice["sent_at"]
    paid = put(client, auth, invoice, status="paid").get_json()
    assert paid["status"] == "paid" and paid["amount_paid"] == 100 and paid["balance_due"] == 0
    assert len(paid["payments"]) == 1


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "paid"),
        ([], "overdue"),
        (["sent", "paid"], "void"),
        (["sent", "paid"], "sent"),
        (["void"], "sent"),
        (["sent"], "partial"),
        (["sent"], "draft"),
    ],
)
def test_illegal_moves_are_409_naming_both_states(client, auth, path, target):
    invoice = make_invoice(client, auth)
    for status in path:
        assert put(client, auth, invoice, status=status).status_code == 200
    current = path[-1] if path else "draft"
    error = assert_error_shape(put(client, auth, invoice, status=target), 409)
    assert current in error["message"] and target in error["message"]


def test_unknown_status_is_422(client, auth):
    assert_error_shape(put(client, auth, make_invoice(client, auth), status="archived"), 422)


def test_editing_a_draft_recomputes_and_sent_invoices_are_locked(client, auth):
    invoice = make_invoice(client, auth, tax_rate=10)
    edited = put(
        client, auth, invoice, items=[{"description": "More", "quantity": 3, "rate": 100}], notes="Thanks"
    ).get_json()
    assert (edited["subtotal"], edited["tax"], edited["total"], edited["notes"]) == (300, 30, 330, "Thanks")
    edited = client.patch(f"/api/invoices/{invoice['_id']}", json={"tax": 5}, headers=auth).get_json()
    assert (edited["tax"], edited["tax_rate"], edited["total"]) == (5, None, 305)
    put(client, auth, invoice, status="sent")
    error = assert_error_shape(put(client, auth, invoice, notes="late change"), 409)
    assert "draft" in error["message"]


def test_editing_client_to_another_users_client_is_422(client, auth, other_auth):
    invoice = make_invoice(client, auth)
    assert_error_shape(put(client, auth, invoice, client_id=make_client(client, other_auth)["_id"]), 422)


def test_only_drafts_can_be_deleted(client, auth):
    invoice = make_invoice(client, auth, status="sent")
    error = assert_error_shape(client.delete(f"/api/invoices/{invoice['_id']}", headers=auth), 409)
    assert "void" in error["message"]
    assert put(client, auth, invoice, status="void").get_json()["status"] == "void"


def test_sent_invoice_keeps_the_client_snapshot(client, auth):
    client_id = make_client(client, auth, name="Old Name")["_id"]
    draft = make_invoice(client, auth, client_id=client_id)
    assert draft["client"]["name"] == "Old Name"
    invoice = make_invoice(client, auth, status="sent", client_id=client_id)
    client.patch(f"/api/clients/{client_id}", json={"name": "New Name"}, headers=auth)
    assert client.get(f"/api/invoices/{invoice['_id']}", headers=auth).get_json()["client"]["name"] == "Old Name"
    assert client.get(f"/api/invoices/{draft['_id']}", headers=auth).get_json()["client"]["name"] == "New Name"


def test_past_due_sent_invoice_reads_overdue_in_responses_and_filters(client, auth):
    late = make_invoice(client, auth, status="sent", date="2024-01-01", due_date="2024-01-31")
    current = make_invoice(client, auth, status="sent")
    make_invoice(client, auth, date="2024-01-01", due_date="2024-01-31")  # a draft is never overdue
    assert client.get(f"/api/invoices/{late['_id']}", headers=auth).get_json()["status"] == "overdue"
    overdue = client.get("/api/invoices?status=overdue", headers=auth).get_json()
    assert [i["_id"] for i in overdue] == [late["_id"]] and overdue[0]["status"] == "overdue"
    assert [i["_id"] for i in client.get("/api/invoices?status=sent", headers=auth).get_json()] == [current["_id"]]
    assert [i["_id"] for i in client.get("/api/invoices?overdue=true", headers=auth).get_json()] == [late["_id"]]
    assert len(client.get("/api/invoices?overdue=false", headers=auth).get_json()) == 2
    assert put(client, auth, late, status="void").get_json()["status"] == "void"


def test_mark_overdue_cli_persists_the_status(app, client, auth, db):
    late = make_invoice(client, auth, status="sent", date="2024-01-01", due_date="2024-01-31")
    make_invoice(client, auth, status="sent")
    result = app.test_cli_runner().invoke(args=["invoices", "mark-overdue"])
    assert result.exit_code == 0 and "marked 1 invoice overdue" in result.output
    assert db.invoices.find_one({"invoice_number": late["invoice_number"]})["status"] == "overdue"


# --- payments ------------------------------------------------------------------


def test_payments_make_an_invoice_partial_then_paid_and_a_reversal_undoes_one(client, auth, db):
    invoice = make_invoice(client, auth, status="sent")
    partial = pay(client, auth, invoice, 30.5, date="2025-03-01", method="bank_transfer", note="first")
    assert partial.status_code == 201, partial.get_json()
    body = partial.get_json()
    assert (body["status"], body["amount_paid"], body["balance_due"]) == ("partial", 30.5, 69.5)
    assert body["payments"][0]["amount"] == 30.5 and body["payments"][0]["date"] == "2025-03-01"
    stored = db.payments.find_one({"invoice_id": ObjectId(invoice["_id"])})
    assert stored["amount"] == 3050 and stored["currency"] == "USD"
    full = pay(client, auth, invoice, 69.5).get_json()
    assert (full["status"], full["balance_due"]) == ("paid", 0)
    reversed_ = client.delete(f"/api/invoices/{invoice['_id']}/payments/{full['payments'][1]['_id']}", headers=auth)
    assert reversed_.status_code == 200
    assert (reversed_.get_json()["status"], reversed_.get_json()["amount_paid"]) == ("partial", 30.5)
    again = client.delete(f"/api/invoices/{invoice['_id']}/payments/{full['payments'][1]['_id']}", headers=auth)
    assert_error_shape(again, 404)


def test_overpayment_is_422(client, auth):
    invoice = make_invoice(client, auth, status="sent")
    error = assert_error_shape(pay(client, auth, invoice, 100.01), 422)
    assert "amount" in error["errors"]["json"]


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 0},
        {"amount": -5},
        {"amount": "x"},
        {},
        {"amount": 1, "method": "barter"},
        {"amount": 1, "date": "yesterday"},
    ],
)
def test_bad_payments_are_422(client, auth, body):
    invoice = make_invoice(client, auth, status="sent")
    assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/payments", json=body, headers=auth), 422)


def test_payments_need_a_sent_invoice_and_then_forbid_voiding(client, auth):
    assert_error_shape(pay(client, auth, make_invoice(client, auth), 10), 409)
    invoice = make_invoice(client, auth, status="sent")
    pay(client, auth, invoice, 10)
    assert_error_shape(put(client, auth, invoice, status="void"), 409)


def test_concurrent_payments_never_overpay(app, client, auth):
    invoice = make_invoice(client, auth, status="sent")
    responses = at_once(app, *[lambda http: pay(http, auth, invoice, 60)] * 6)
    assert sorted(r.status_code for r in responses) == [201, 422, 422, 422, 422, 422]
    assert client.get(f"/api/invoices/{invoice['_id']}", headers=auth).get_json()["amount_paid"] == 60


# --- lists, CSV and PDF --------------------------------------------------------


def test_list_is_a_summary_oldest_first_filtered_by_client_dates_and_text(client, auth):
    a = make_client(client, auth)["_id"]
    b = make_client(client, auth, name="Beta")["_id"]
    first = make_invoice(client, auth, client_id=a, date="2025-01-05", due_date="2025-02-05", notes="Website redesign")
    second = make_invoice(client, auth, client_id=b, date="2025-03-05", due_date="2025-04-05")
    listed = client.get("/api/invoices/", headers=auth).get_json()
    assert [i["_id"] for i in listed] == [first["_id"], second["_id"]]
    assert {"_id", "invoice_number", "total", "currency", "due_date", "status"} <= set(listed[0])
    assert "items" not in listed[0]
    assert [i["_id"] for i in client.get(f"/api/invoices?client_id={b}", headers=auth).get_json()] == [second["_id"]]
    assert [i["_id"] for i in client.get("/api/invoices?from=2025-02-01&to=2025-03-05", headers=auth).get_json()] == [
        second["_id"]
    ]
    assert [i["_id"] for i in client.get("/api/invoices?q=REDESIGN", headers=auth).get_json()] == [first["_id"]]
    assert [i["_id"] for i in client.get("/api/invoices?q=.*", headers=auth).get_json()] == []
    assert [i["_id"] for i in client.get("/api/invoices?sort=-invoice_number", headers=auth).get_json()] == [
        second["_id"],
        first["_id"],
    ]
    paged = client.get("/api/invoices?page=1&page_size=1", headers=auth)
    assert len(paged.get_json()) == 1 and '"total": 2' in paged.headers["X-Pagination"]
    assert_error_shape(client.get("/api/invoices?status=lost", headers=auth), 422)
    assert_error_shape(client.get("/api/invoices?sort=secret", headers=auth), 422)


def test_csv_export_filters_and_escapes(client, auth):
    client_id = make_client(client, auth, name='=HYPERLINK("evil"), "Quoted"')["_id"]
    make_invoice(client, auth, client_id=client_id, notes="line one\nline two, with comma")
    make_invoice(client, auth, status="sent", client_id=client_id, date="2024-01-01", due_date="2024-01-31")
    rows = csv_rows(client.get("/api/invoices/export.csv", headers=auth))
    assert rows[0][:3] == ["invoice_number", "status", "client"]
    assert rows[1][2] == '\'=HYPERLINK("evil"), "Quoted"' and rows[1][-1] == "line one\nline two, with comma"
    assert rows[1][9] == "100.00" and rows[2][1] == "overdue"
    assert len(csv_rows(client.get("/api/invoices/export.csv?overdue=true", headers=auth))) == 2


def test_pdf_shows_the_invoice_in_unicode_with_a_draft_or_void_mark(client, auth):
    client.patch(
        "/api/auth/me",
        json={"business_name": "Zoë Café Ltd", "payment_details": "IBAN DE89 3704 0044 0532 0130 00"},
        headers=auth,
    )
    client_id = make_client(client, auth, name="Wanjiru Njoroge — Ushirika", currency="EUR")["_id"]
    invoice = make_invoice(
        client,
        auth,
        client_id=client_id,
        items=[{"description": "Crème brûlée consulting", "quantity": 2, "rate": 617.25}],
        payment_terms="Net 30",
    )
    text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    for expected in (
        "INV-00001",
        "€1,234.50",
        "Zoë Café Ltd",
        "Wanjiru Njoroge — Ushirika",
        "Crème brûlée",
        "DRAFT",
        "Net 30",
        "IBAN DE89",
    ):
        assert expected in text, expected
    put(client, auth, invoice, status="sent")
    assert "DRAFT" not in pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    put(client, auth, invoice, status="void")
    assert "VOID" in pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))


def test_pdf_with_many_lines_spans_pages(client, auth):
    items = [
        {"description": f"Task {n} " + "with a long description " * 4, "quantity": 1, "rate": 1} for n in range(60)
    ]
    invoice = make_invoice(client, auth, items=items)
    response = client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth)
    assert len(pdf_reader(response).pages) > 1
    assert "$60.00" in pdf_text(response)


def test_an_invoice_stored_without_items_still_reads(client, auth, db):
    """A document edited by hand (no ``items`` key) renders without items, not as a 500 (marshmallow
    read a missing key through getattr and dumped the dict's own ``items`` method)."""
    invoice = make_invoice(client, auth)
    db.invoices.update_one({"_id": ObjectId(invoice["_id"])}, {"$unset": {"items": ""}})
    response = client.get(f"/api/invoices/{invoice['_id']}", headers=auth)  # not read (cached) before
    assert response.status_code == 200, response.get_json()
    assert "items" not in response.get_json() and response.get_json()["_id"] == invoice["_id"]

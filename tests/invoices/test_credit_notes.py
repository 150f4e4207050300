"""Credit notes: full and partial, the invoice's balance and status, limits, numbering under
concurrency, lists, and the PDF."""

from datetime import date

from tests.concurrency import at_once
from tests.documents import pdf_text
from tests.factories import (
    assert_error_shape,
    expect,
    get_invoice,
    make_client,
    make_credit_note,
    make_invoice,
    make_payment,
)

TODAY = date.today().isoformat()


def _credit(client, auth, invoice, **body):
    return client.post(f"/api/invoices/{invoice['_id']}/credit-notes", json=body, headers=auth)


def _taxed_invoice(client, auth):
    """Two lines, one with VAT 20 %: 100 + 20 tax, and 50 untaxed: total 170."""
    items = [
        {"description": "Design", "quantity": 1, "rate": 100, "taxes": [{"name": "VAT", "percent": 20}]},
        {"description": "Hosting", "quantity": 1, "rate": 50},
    ]
    return make_invoice(client, auth, items=items, status="sent")


def test_a_full_credit_note_copies_the_invoice_and_settles_it(client, auth):
    invoice = _taxed_invoice(client, auth)
    note = make_credit_note(client, auth, invoice, full=True, reason="Order cancelled")
    assert note["credit_note_number"] == "CN-00001" and note["invoice_number"] == invoice["invoice_number"]
    assert (note["subtotal"], note["tax"], note["total"], note["full"]) == (150, 20, 170, True)
    assert note["items"] == invoice["items"] and note["tax_breakdown"] == invoice["tax_breakdown"]
    after = get_invoice(client, auth, invoice)
    figures = (after["status"], after["amount_paid"], after["amount_credited"], after["balance_due"])
    assert figures == ("paid", 0, 170, 0)
    assert after["paid_at"] is not None
    assert [(n["credit_note_number"], n["total"]) for n in after["credit_notes"]] == [("CN-00001", 170)]


def test_a_partial_credit_note_prices_its_lines_and_reduces_the_balance(client, auth):
    invoice = _taxed_invoice(client, auth)
    make_payment(client, auth, invoice, 100)
    item = {"description": "Design (half)", "quantity": 0.5, "rate": 100, "taxes": [{"name": "VAT", "percent": 20}]}
    note = make_credit_note(client, auth, invoice, items=[item], reason="Half the design was dropped", date=TODAY)
    assert (note["subtotal"], note["tax"], note["total"], note["full"]) == (50, 10, 60, False)
    after = get_invoice(client, auth, invoice)
    assert (after["status"], after["amount_paid"], after["amount_credited"], after["balance_due"]) == (
        "partial", 100, 60, 10)
    # what is left can still be paid, not more
    assert_error_shape(client.post(f"/api/invoices/{invoice['_id']}/payments", json={"amount": 10.01}, headers=auth),
                       422)
    assert make_payment(client, auth, invoice, 10)["status"] == "paid"


def test_a_partial_credit_of_an_invoice_taxed_as_a_whole_uses_its_tax_rate(client, auth):
    invoice = make_invoice(client, auth, tax_rate=10, status="sent")  # 100 + 10
    note = make_credit_note(client, auth, invoice, items=[{"description": "One", "quantity": 1, "rate": 50}],
                            reason="Returned")
    assert (note["subtotal"], note["tax_rate"], note["tax"], note["total"]) == (50, 10, 5, 55)
    assert get_invoice(client, auth, invoice)["balance_due"] == 55


def test_credit_beyond_what_is_left_is_422(client, auth):
    invoice = make_invoice(client, auth, status="sent")  # 100
    make_payment(client, auth, invoice, 30)
    body = assert_error_shape(_credit(client, auth, invoice, full=True, reason="x"), 422)
    assert "70" in body["message"]
    over = [{"description": "Too much", "quantity": 1, "rate": 70.01}]
    assert_error_shape(_credit(client, auth, invoice, items=over, reason="x"), 422)
    make_credit_note(client, auth, invoice, items=[{"description": "Rest", "quantity": 1, "rate": 70}], reason="x")
    assert_error_shape(_credit(client, auth, invoice, items=[{"description": "More", "quantity": 1, "rate": 1}],
                               reason="x"), 422)
    assert get_invoice(client, auth, invoice)["status"] == "paid"


def test_bad_credit_note_bodies_and_states(client, auth, other_auth):
    sent = make_invoice(client, auth, status="sent")
    line = [{"description": "A", "quantity": 1, "rate": 1}]
    for body in ({"reason": "x"}, {"full": True, "items": line, "reason": "x"}, {"full": True},
                 {"full": True, "reason": "x", "date": "2000-01-01"},
                 {"items": [{"description": "A", "quantity": 1, "rate": 1, "bogus": 1}], "reason": "x"},
                 {"items": [{"description": "Free", "quantity": 1, "rate": 0}], "reason": "x"}):
        assert_error_shape(_credit(client, auth, sent, **body), 422)
    assert_error_shape(_credit(client, auth, make_invoice(client, auth), full=True, reason="x"), 409)  # draft
    void = make_invoice(client, auth, status="void")
    assert_error_shape(_credit(client, auth, void, full=True, reason="x"), 409)
    assert_error_shape(_credit(client, other_auth, sent, full=True, reason="x"), 404)


def test_an_invoice_with_credit_notes_cannot_be_voided(client, auth):
    invoice = make_invoice(client, auth, status="sent", date="2025-01-01", due_date="2025-01-31")  # overdue
    make_credit_note(client, auth, invoice, items=[{"description": "A", "quantity": 1, "rate": 10}], reason="x")
    response = client.put(f"/api/invoices/{invoice['_id']}", json={"status": "void"}, headers=auth)
    assert "credit notes" in assert_error_shape(response, 409)["message"]


def test_fifty_concurrent_credit_notes_get_fifty_gapless_numbers(app, client, auth):
    client_id = make_client(client, auth)["_id"]
    invoice = make_invoice(client, auth, client_id=client_id, items=[{"description": "Big", "quantity": 1,
                                                                      "rate": 5000}], status="sent")
    other = make_invoice(client, auth, client_id=client_id, items=[{"description": "Big", "quantity": 1,
                                                                    "rate": 5000}], status="sent")
    body = {"items": [{"description": "Refund", "quantity": 1, "rate": 10}], "reason": "x"}
    requests = [lambda http, target=target: http.post(f"/api/invoices/{target['_id']}/credit-notes", json=body,
                                                        headers=auth)
                for target in [invoice, other] * 25]
    responses = at_once(app, *requests)
    assert [r.get_json() for r in responses if r.status_code != 201] == []
    numbers = sorted(r.get_json()["credit_note_number"] for r in responses)
    assert numbers == [f"CN-{n:05d}" for n in range(1, 51)]
    assert get_invoice(client, auth, invoice)["amount_credited"] == 250
    assert get_invoice(client, auth, other)["balance_due"] == 4750


def test_credit_notes_are_listed_read_and_private(client, auth, other_auth):
    first = make_invoice(client, auth, status="sent")
    second = make_invoice(client, auth, status="sent")
    a = make_credit_note(client, auth, first, items=[{"description": "A", "quantity": 1, "rate": 10}], reason="one")
    b = make_credit_note(client, auth, second, full=True, reason="two")
    assert [n["_id"] for n in expect(client.get("/api/credit-notes", headers=auth), 200)] == [a["_id"], b["_id"]]
    only = expect(client.get(f"/api/credit-notes?invoice_id={second['_id']}", headers=auth), 200)
    assert [n["credit_note_number"] for n in only] == ["CN-00002"]
    assert expect(client.get(f"/api/credit-notes/{a['_id']}", headers=auth), 200) == a
    assert expect(client.get("/api/credit-notes", headers=other_auth), 200) == []
    assert_error_shape(client.get(f"/api/credit-notes/{a['_id']}", headers=other_auth), 404)
    assert_error_shape(client.get(f"/api/credit-notes/{a['_id']}/pdf", headers=other_auth), 404)


def test_the_credit_note_pdf_names_itself_and_its_invoice(client, auth):
    invoice = _taxed_invoice(client, auth)
    note = make_credit_note(client, auth, invoice, full=True, reason="Order cancelled")
    text = pdf_text(client.get(f"/api/credit-notes/{note['_id']}/pdf", headers=auth))
    for expected in ("CREDIT NOTE", "Credit note", "CN-00001", invoice["invoice_number"], "Order cancelled",
                     "VAT 20% of $100.00", "$20.00", "$170.00"):
        assert expected in text, (expected, text)
    invoice_text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    assert "Credited" in invoice_text and "-$170.00" in invoice_text

"""Estimates through HTTP against the real database: money, numbering, validation, ownership,
lifecycle and expiry, lists, CSV, PDF, and converting into an invoice (once, under a race)."""

from datetime import date, timedelta

from tests.concurrency import at_once
from tests.documents import csv_rows, pdf_text
from tests.factories import (
    ESTIMATE_ITEM,
    assert_error_shape,
    expect,
    get_estimate,
    make_client,
    make_estimate,
    make_project,
    make_tax_rate,
    update_settings,
)

TODAY = date.today()
BASE = "/api/estimates"


def put(client, auth, estimate, **body):
    return client.put(f"{BASE}/{estimate['_id']}", json=body, headers=auth)


def convert(client, auth, estimate, **body):
    return client.post(f"{BASE}/{estimate['_id']}/convert", json=body, headers=auth)


# ---- money and content ------------------------------------------------------------------------


def test_create_prices_lines_exactly_with_tax_and_discount_rates(client, auth):
    estimate = make_estimate(
        client, auth, currency="EUR", discount_rate=10, tax_rate=19, notes="Thanks", terms="50% upfront",
        items=[ESTIMATE_ITEM, {"description": "Hosting", "quantity": 0.1, "rate": 0.2, "amount": 1000}],
    )
    assert estimate["estimate_number"] == "EST-00001" and estimate["status"] == "draft"
    assert [item["amount"] for item in estimate["items"]] == [99.99, 0.02]
    assert (estimate["subtotal"], estimate["discount"], estimate["tax"], estimate["total"]) == (
        100.01, 10.0, 17.1, 107.11)  # tax: 19% of 90.01 = 17.1019 -> 17.10
    assert estimate["currency"] == "EUR" and estimate["terms"] == "50% upfront" and estimate["notes"] == "Thanks"
    assert estimate["valid_until"] == (TODAY + timedelta(days=30)).isoformat() and estimate["date"] == TODAY.isoformat()
    assert estimate["client"]["name"] == "Acme Ltd" and estimate["converted_invoice_id"] is None
    assert estimate["view_count"] == 0 and estimate["viewed_at"] is None


def test_amounts_in_a_zero_decimal_currency_round_half_up(client, auth):
    estimate = make_estimate(client, auth, currency="JPY",
                             items=[{"description": "Work", "quantity": 1.5, "rate": 333}])
    assert estimate["items"][0]["amount"] == 500 and estimate["total"] == 500  # 499.5 -> 500


def test_valid_until_defaults_to_the_users_setting(client, auth):
    update_settings(client, auth, estimate_valid_days=14)
    estimate = make_estimate(client, auth, date="2030-01-10")
    assert estimate["valid_until"] == "2030-01-24"
    assert make_estimate(client, auth, date="2030-01-10", valid_until="2030-03-01")["valid_until"] == "2030-03-01"


def test_bad_input_is_422_naming_the_field(client, auth):
    client_id = make_client(client, auth)["_id"]
    cases = [
        ({"items": [ESTIMATE_ITEM]}, "client_id"),
        ({"client_id": client_id, "items": []}, "items"),
        ({"client_id": client_id, "items": [{"description": "x", "quantity": -1, "rate": 1}]}, "items"),
        ({"client_id": client_id, "items": [ESTIMATE_ITEM], "currency": "XXY"}, "currency"),
        ({"client_id": client_id, "items": [ESTIMATE_ITEM], "tax": 1, "tax_rate": 2}, "tax_rate"),
        ({"client_id": client_id, "items": [ESTIMATE_ITEM], "date": "2030-02-01", "valid_until": "2030-01-01"},
         "valid_until"),
        ({"client_id": client_id, "items": [ESTIMATE_ITEM], "discount": 500}, "discount"),
        ({"client_id": "nope", "items": [ESTIMATE_ITEM]}, "client_id"),
    ]
    for body, field in cases:
        error = assert_error_shape(client.post(BASE, json=body, headers=auth), 422)
        assert field in error["errors"]["json"], (body, error)


def test_other_users_estimates_are_404_and_their_clients_and_projects_422(client, auth, other_auth):
    estimate = make_estimate(client, auth)
    for method in ("get", "put", "delete"):
        assert_error_shape(getattr(client, method)(f"{BASE}/{estimate['_id']}", json={}, headers=other_auth), 404)
    for path in ("pdf", "messages"):
        assert_error_shape(client.get(f"{BASE}/{estimate['_id']}/{path}", headers=other_auth), 404)
    assert_error_shape(convert(client, other_auth, estimate), 404)
    assert_error_shape(client.get(f"{BASE}/not-an-id", headers=auth), 404)
    theirs = make_client(client, other_auth)["_id"]
    their_project = make_project(client, other_auth)["_id"]
    error = assert_error_shape(client.post(BASE, json={"client_id": theirs, "items": [ESTIMATE_ITEM]}, headers=auth),
                               422)
    assert "client_id" in error["errors"]["json"]
    body = {"client_id": make_client(client, auth)["_id"], "items": [ESTIMATE_ITEM], "project_id": their_project}
    assert "project_id" in assert_error_shape(client.post(BASE, json=body, headers=auth), 422)["errors"]["json"]
    assert expect(client.get(BASE, headers=other_auth), 200) == []


def test_a_draft_edit_recomputes_everything(client, auth):
    estimate = make_estimate(client, auth, tax_rate=10)
    edited = expect(put(client, auth, estimate, items=[{"description": "More", "quantity": 2, "rate": 0.125}],
                        currency="EUR", valid_until="2099-12-31"), 200)
    assert edited["items"][0]["amount"] == 0.25 and edited["tax"] == 0.03 and edited["total"] == 0.28
    assert edited["currency"] == "EUR" and edited["valid_until"] == "2099-12-31"
    assert edited["estimate_number"] == estimate["estimate_number"]


# ---- numbering --------------------------------------------------------------------------------


def test_numbers_are_per_user_and_apart_from_invoice_numbers(client, auth, other_auth):
    from tests.factories import make_invoice

    assert make_estimate(client, auth)["estimate_number"] == "EST-00001"
    assert make_invoice(client, auth)["invoice_number"] == "INV-00001"
    assert make_estimate(client, auth)["estimate_number"] == "EST-00002"
    assert make_estimate(client, other_auth)["estimate_number"] == "EST-00001"


def test_thirty_concurrent_creates_get_thirty_gapless_numbers(app, client, auth):
    body = {"client_id": make_client(client, auth)["_id"], "items": [ESTIMATE_ITEM]}
    responses = at_once(app, *[lambda http: http.post(BASE, json=body, headers=auth)] * 30)
    assert [r.get_json() for r in responses if r.status_code != 201] == []
    numbers = [r.get_json()["estimate_number"] for r in responses]
    assert sorted(numbers) == [f"EST-{n:05d}" for n in range(1, 31)]


def test_deleting_a_draft_does_not_reuse_its_number(client, auth):
    first = make_estimate(client, auth)
    assert expect(client.delete(f"{BASE}/{first['_id']}", headers=auth), 200) == {"message": "Estimate deleted"}
    assert_error_shape(client.get(f"{BASE}/{first['_id']}", headers=auth), 404)
    assert make_estimate(client, auth)["estimate_number"] == "EST-00002"


# ---- lifecycle --------------------------------------------------------------------------------


def test_sending_freezes_the_parties_and_blocks_edits_and_deletion(client, auth):
    client_id = make_client(client, auth)["_id"]
    estimate = make_estimate(client, auth, client_id=client_id, status="sent")
    assert estimate["status"] == "sent" and estimate["sent_at"]
    client.put(f"/api/clients/{client_id}", json={"name": "Renamed Ltd"}, headers=auth)
    assert get_estimate(client, auth, estimate)["client"]["name"] == "Acme Ltd"
    error = assert_error_shape(put(client, auth, estimate, notes="changed"), 409)
    assert error["message"] == "Only draft estimates can be edited; this one is sent"
    error = assert_error_shape(client.delete(f"{BASE}/{estimate['_id']}", headers=auth), 409)
    assert error["message"] == "Only draft estimates can be deleted; this one is sent"


def test_illegal_moves_are_409_naming_both_states(client, auth):
    draft = make_estimate(client, auth)
    error = assert_error_shape(put(client, auth, draft, status="accepted"), 409)
    assert error["message"] == "Cannot change estimate status from draft to accepted (allowed from draft: sent)"
    declined = make_estimate(client, auth, status="declined")
    assert declined["declined_at"] and declined["status"] == "declined"
    error = assert_error_shape(put(client, auth, declined, status="accepted"), 409)
    assert error["message"].endswith("(allowed from declined: none (final))")
    assert_error_shape(put(client, auth, draft, status="expired"), 422)


def test_a_sent_estimate_past_valid_until_reads_expired_and_cannot_be_accepted(client, auth):
    past = (TODAY - timedelta(days=10)).isoformat()
    expired = make_estimate(client, auth, date=past, valid_until=(TODAY - timedelta(days=1)).isoformat(),
                            status="sent")
    valid = make_estimate(client, auth, valid_until=TODAY.isoformat(), status="sent")
    assert expired["status"] == "expired" and valid["status"] == "sent"  # valid through its last day
    error = assert_error_shape(put(client, auth, expired, status="accepted"), 409)
    assert "expired on" in error["message"]
    assert [e["_id"] for e in expect(client.get(f"{BASE}?status=expired", headers=auth), 200)] == [expired["_id"]]
    assert [e["_id"] for e in expect(client.get(f"{BASE}?status=sent", headers=auth), 200)] == [valid["_id"]]


# ---- lists, CSV, PDF ---------------------------------------------------------------------------


def test_list_filters_search_and_sort(client, auth):
    acme = make_client(client, auth)["_id"]
    other = make_client(client, auth, name="Globex")["_id"]
    first = make_estimate(client, auth, client_id=acme, notes="Garden shed", date="2030-01-05")
    second = make_estimate(client, auth, client_id=other, date="2030-02-05",
                           items=[{"description": "Big", "quantity": 1, "rate": 500}])
    third = make_estimate(client, auth, client_id=acme, status="accepted", date="2030-03-05")

    def ids(query):
        return [e["_id"] for e in expect(client.get(f"{BASE}{query}", headers=auth), 200)]

    assert ids("") == [first["_id"], second["_id"], third["_id"]]
    assert ids(f"?client_id={acme}") == [first["_id"], third["_id"]]
    assert ids("?status=accepted") == [third["_id"]]
    assert ids("?q=garden") == [first["_id"]] and ids("?q=EST-00002") == [second["_id"]]
    assert ids("?from=2030-02-01&to=2030-02-28") == [second["_id"]]
    assert ids("?sort=-total")[0] == second["_id"] and ids("?sort=-estimate_number")[0] == third["_id"]
    assert_error_shape(client.get(f"{BASE}?sort=user_id", headers=auth), 422)
    assert_error_shape(client.get(f"{BASE}?status=bogus", headers=auth), 422)


def test_csv_export_has_one_row_per_estimate(client, auth):
    make_estimate(client, auth, notes="=cmd()")
    rows = csv_rows(client.get(f"{BASE}/export.csv", headers=auth))
    assert rows[0][:4] == ["estimate_number", "status", "client", "date"]
    assert rows[1][0] == "EST-00001" and rows[1][1] == "draft" and rows[1][2] == "Acme Ltd"
    assert rows[1][9] == "99.99" and rows[1][10] == "'=cmd()"


def test_the_pdf_says_estimate_with_valid_until_and_no_payment_details(client, auth):
    update_settings(client, auth, business_name="Lovelace Analytics", payment_details="IBAN DE00 1234")
    estimate = make_estimate(client, auth, currency="EUR", tax_rate=19, valid_until="2099-06-30",
                             terms="Half upfront")
    text = pdf_text(client.get(f"{BASE}/{estimate['_id']}/pdf", headers=auth))
    assert "ESTIMATE" in text and "INVOICE" not in text and "DRAFT" in text
    for expected in ("EST-00001", "Valid until", "June 30, 2099", "Website redesign", "€99.99", "Tax (19%)", "€19.00",
                     "Total (EUR)", "€118.99", "Half upfront", "Lovelace Analytics", "Acme Ltd"):
        assert expected in text, expected
    assert "Payment details" not in text and "IBAN" not in text and "Due date" not in text


# ---- conversion -------------------------------------------------------------------------------


def test_an_accepted_estimate_converts_into_an_equal_draft_invoice(client, auth):
    estimate = make_estimate(client, auth, status="accepted", currency="EUR", discount=5.5, tax_rate=19,
                             notes="As agreed", payment_terms="Net 15")
    invoice = expect(convert(client, auth, estimate))
    assert invoice["status"] == "draft" and invoice["invoice_number"] == "INV-00001"
    assert invoice["client_id"] == estimate["client_id"] and invoice["currency"] == "EUR"
    assert [(i["description"], i["quantity"], i["rate"], i["amount"]) for i in invoice["items"]] == [
        ("Website redesign", 3, 33.33, 99.99)]
    for name in ("subtotal", "discount", "tax", "total", "tax_rate"):
        assert invoice[name] == estimate[name], name
    assert invoice["total"] == 112.44  # 99.99 - 5.50 = 94.49; + 19% = 17.9531 -> 17.95
    assert invoice["notes"] == "As agreed" and invoice["payment_terms"] == "Net 15"
    assert get_estimate(client, auth, estimate)["converted_invoice_id"] == invoice["_id"]
    error = assert_error_shape(convert(client, auth, estimate), 409)
    assert error["message"] == "This estimate was converted already, into invoice INV-00001"


def test_line_taxes_from_the_users_rates_price_the_estimate_and_its_invoice(client, auth):
    vat = make_tax_rate(client, auth, name="VAT", percent=20)
    lines = [{"description": "Design", "quantity": 2, "rate": 50, "taxes": [{"tax_rate_id": vat["_id"]}]},
             {"description": "Hosting", "quantity": 1, "rate": 10, "discount_percent": 10}]
    estimate = make_estimate(client, auth, status="accepted", currency="EUR", items=lines, payment_terms="Net 15")
    assert (estimate["subtotal"], estimate["tax"], estimate["total"]) == (109, 20, 129)
    assert estimate["items"][0]["taxes"][0]["name"] == "VAT"
    invoice = expect(convert(client, auth, estimate))
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (109, 20, 129)
    assert [t["name"] for t in invoice["items"][0]["taxes"]] == ["VAT"]
    bad = [{"description": "X", "quantity": 1, "rate": 1, "taxes": [{"tax_rate_id": "0" * 24}]}]
    assert_error_shape(put(client, auth, make_estimate(client, auth), items=bad), 422)


def test_only_accepted_estimates_convert(client, auth):
    for status in ("draft", "sent", "declined"):
        error = assert_error_shape(convert(client, auth, make_estimate(client, auth, status=status)), 409)
        assert error["message"] == f"Only accepted estimates can be converted; this one is {status}"
    assert expect(client.get("/api/invoices", headers=auth), 200) == []


def test_converting_can_create_a_project_with_the_total_as_budget(client, auth):
    estimate = make_estimate(client, auth, status="accepted", tax_rate=10)
    error = assert_error_shape(convert(client, auth, estimate, create_project=True), 422)  # no terms, no due date
    assert "due_date" in error["errors"]["json"] and expect(client.get("/api/projects", headers=auth), 200) == []
    invoice = expect(convert(client, auth, estimate, create_project=True, project_name="Redesign",
                             due_date="2099-01-31"))
    assert invoice["due_date"] == "2099-01-31"
    project = expect(client.get(f"/api/projects/{invoice['project_id']}", headers=auth), 200)
    assert project["name"] == "Redesign" and project["budget"] == 109.99
    assert project["client_id"] == estimate["client_id"]
    other = make_estimate(client, auth, status="accepted", currency="EUR")
    error = assert_error_shape(convert(client, auth, other, create_project=True), 422)
    assert "create_project" in error["errors"]["json"]
    assert get_estimate(client, auth, other)["converted_invoice_id"] is None


def test_concurrent_conversions_make_exactly_one_invoice(app, client, auth):
    estimate = make_estimate(client, auth, status="accepted")
    path = f"{BASE}/{estimate['_id']}/convert"
    body = {"create_project": True, "due_date": "2099-01-31"}
    responses = at_once(app, *[lambda http: http.post(path, json=body, headers=auth)] * 8)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.get_json() for r in responses]
    assert len(expect(client.get("/api/invoices", headers=auth), 200)) == 1
    assert len(expect(client.get("/api/projects", headers=auth), 200)) == 1


def test_a_client_with_estimates_cannot_be_deleted(client, auth):
    estimate = make_estimate(client, auth)
    error = assert_error_shape(client.delete(f"/api/clients/{estimate['client_id']}", headers=auth), 409)
    assert "1 estimate" in error["message"]

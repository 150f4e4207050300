"""/api/tax-rates: CRUD, the category rules, and invoices keeping their copies."""

import pytest

from tests.factories import assert_error_shape, expect, make_client, make_invoice, make_tax_rate


def test_a_rate_is_created_with_defaults_and_read_back(client, auth):
    rate = make_tax_rate(client, auth, name="VAT", percent=20.5)
    assert {k: rate[k] for k in ("name", "percent", "compound", "category", "exemption_reason", "archived")} == {
        "name": "VAT", "percent": 20.5, "compound": False, "category": "S", "exemption_reason": None,
        "archived": False,
    }
    assert expect(client.get(f"/api/tax-rates/{rate['_id']}", headers=auth), 200) == rate
    assert [r["_id"] for r in expect(client.get("/api/tax-rates", headers=auth), 200)] == [rate["_id"]]


def test_rates_list_filters_archived_and_edits_keep_the_rules(client, auth):
    vat = make_tax_rate(client, auth)
    old = make_tax_rate(client, auth, name="Old VAT", percent=19.6)
    archived = expect(client.patch(f"/api/tax-rates/{old['_id']}", json={"archived": True}, headers=auth), 200)
    assert archived["archived"] is True and archived["percent"] == 19.6
    active = expect(client.get("/api/tax-rates?archived=false", headers=auth), 200)
    assert [r["_id"] for r in active] == [vat["_id"]]
    assert len(expect(client.get("/api/tax-rates", headers=auth), 200)) == 2
    # a zero percent on a standard rate breaks the rules of the merged document
    body = assert_error_shape(client.patch(f"/api/tax-rates/{vat['_id']}", json={"percent": 0}, headers=auth), 422)
    assert "percent" in body["errors"]["json"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent": 0}, "percent"),  # S is above 0
        ({"percent": 100.00001}, "percent"),
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"category": "Z", "percent": 5}, "percent"),  # Z is 0
        ({"category": "E", "percent": 0}, "exemption_reason"),  # E needs a reason
        ({"category": "S", "exemption_reason": "Because"}, "exemption_reason"),  # S has none
        ({"category": "XX"}, "category"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_rates_are_422_naming_the_field(client, auth, fields, field):
    body = {"name": "VAT", "percent": 20, **fields}
    response = client.post("/api/tax-rates", json=body, headers=auth)
    assert field in assert_error_shape(response, 422)["errors"]["json"]


def test_exempting_categories_take_a_reason_and_zero(client, auth):
    for category in ("E", "AE", "K", "G", "O"):
        rate = make_tax_rate(client, auth, name=category, percent=0, category=category, exemption_reason="Art. 196")
        assert rate["category"] == category and rate["exemption_reason"] == "Art. 196"
    assert make_tax_rate(client, auth, name="Zero", percent=0, category="Z")["category"] == "Z"


def test_other_users_rates_are_404_and_unusable(client, auth, other_auth):
    rate = make_tax_rate(client, other_auth)
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)(f"/api/tax-rates/{rate['_id']}", json={}, headers=auth)
        assert_error_shape(response, 404)
    item = {"description": "Work", "quantity": 1, "rate": 100, "taxes": [{"tax_rate_id": rate["_id"]}]}
    response = client.post("/api/invoices", json=_body(client, auth, item), headers=auth)
    assert "items.0.taxes" in assert_error_shape(response, 422)["errors"]["json"]


def _body(client, auth, item):
    return {"client_id": make_client(client, auth)["_id"], "items": [item], "payment_terms": "Net 30"}


def test_invoices_keep_their_copy_when_the_rate_changes_or_goes(client, auth):
    rate = make_tax_rate(client, auth, name="VAT", percent=20)
    item = {"description": "Work", "quantity": 1, "rate": 100, "taxes": [{"tax_rate_id": rate["_id"]}]}
    invoice = make_invoice(client, auth, items=[item], status="sent")
    assert invoice["tax"] == 20 and invoice["total"] == 120
    expect(client.patch(f"/api/tax-rates/{rate['_id']}", json={"percent": 25, "name": "VAT new"}, headers=auth), 200)
    expect(client.delete(f"/api/tax-rates/{rate['_id']}", headers=auth), 200)
    assert_error_shape(client.get(f"/api/tax-rates/{rate['_id']}", headers=auth), 404)
    again = expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)
    assert again["items"][0]["taxes"] == [
        {"tax_rate_id": rate["_id"], "name": "VAT", "percent": 20, "compound": False, "category": "S",
         "exemption_reason": None}
    ]
    assert (again["tax"], again["total"], again["tax_breakdown"][0]["percent"]) == (20, 120, 20)


def test_a_draft_edited_after_a_rate_change_keeps_its_copies_unless_lines_are_sent_again(client, auth):
    rate = make_tax_rate(client, auth, percent=20)
    item = {"description": "Work", "quantity": 1, "rate": 100, "taxes": [{"tax_rate_id": rate["_id"]}]}
    draft = make_invoice(client, auth, items=[item])
    expect(client.patch(f"/api/tax-rates/{rate['_id']}", json={"percent": 10}, headers=auth), 200)
    kept = expect(client.patch(f"/api/invoices/{draft['_id']}", json={"notes": "hi"}, headers=auth), 200)
    assert kept["tax"] == 20
    repriced = expect(client.patch(f"/api/invoices/{draft['_id']}", json={"items": [item]}, headers=auth), 200)
    assert repriced["tax"] == 10


def test_an_archived_rate_cannot_go_on_new_lines(client, auth):
    rate = make_tax_rate(client, auth, archived=True)
    item = {"description": "Work", "quantity": 1, "rate": 100, "taxes": [{"tax_rate_id": rate["_id"]}]}
    response = client.post("/api/invoices", json=_body(client, auth, item), headers=auth)
    assert "archived" in assert_error_shape(response, 422)["message"]

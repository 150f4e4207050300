"""OASIS UBL 2.1 Invoice / CreditNote per Peppol BIS Billing 3.0 (or the XRechnung 3.0
customisation) from an ``EInvoice``. Element order follows the UBL 2.1 schemas."""

from . import model
from .xmltree import Writer, number, serialise

PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
XRECHNUNG_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
DOCUMENTS = {  # root namespace, root, type code, line, quantity
    False: ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice", "InvoiceTypeCode", "InvoiceLine",
            "InvoicedQuantity"),
    True: ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote", "CreditNoteTypeCode",
           "CreditNoteLine", "CreditedQuantity"),
}


def _tax_category(w, parent, key, tag="cac:TaxCategory", exemption=None):
    category = w.add(parent, tag)
    w.add(category, "cbc:ID", key.category)
    if key.percent is not None:
        w.add(category, "cbc:Percent", number(key.percent))
    if exemption:
        w.optional(category, "cbc:TaxExemptionReasonCode", exemption[0])
        w.optional(category, "cbc:TaxExemptionReason", exemption[1])
    w.add(w.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _party(w, parent, tag, party):
    element = w.add(w.add(parent, tag), "cac:Party")
    if party.electronic_address:
        scheme, identifier = party.electronic_address
        w.add(element, "cbc:EndpointID", identifier, schemeID=scheme)
    if party.trading_name:
        w.add(w.add(element, "cac:PartyName"), "cbc:Name", party.trading_name)
    address = w.add(element, "cac:PostalAddress")
    place = party.address
    w.optionals(address, [("cbc:StreetName", place.line1), ("cbc:AdditionalStreetName", place.line2),
                          ("cbc:CityName", place.city), ("cbc:PostalZone", place.postal_code)])
    w.add(w.add(address, "cac:Country"), "cbc:IdentificationCode", party.address.country_code)
    for scheme, identifier in (("VAT", party.vat_id), ("FC", party.tax_registration_id)):
        if identifier:
            tax_scheme = w.add(element, "cac:PartyTaxScheme")
            w.add(tax_scheme, "cbc:CompanyID", identifier)
            w.add(w.add(tax_scheme, "cac:TaxScheme"), "cbc:ID", scheme)
    legal = w.add(element, "cac:PartyLegalEntity")
    w.add(legal, "cbc:RegistrationName", party.name)
    w.optional(legal, "cbc:CompanyID", party.company_id)
    if party.contact_name or party.contact_phone or party.contact_email:
        contact = w.add(element, "cac:Contact")
        w.optional(contact, "cbc:Name", party.contact_name)
        w.optional(contact, "cbc:Telephone", party.contact_phone)
        w.optional(contact, "cbc:ElectronicMail", party.contact_email)


def _payment(w, doc, parent):
    means = doc.payment_means
    if means:
        element = w.add(parent, "cac:PaymentMeans")
        w.add(element, "cbc:PaymentMeansCode", means.code)
        if doc.credit_note and doc.due_date:
            w.add(element, "cbc:PaymentDueDate", doc.due_date.isoformat())
        w.optional(element, "cbc:PaymentID", means.remittance)
        if means.iban:
            account = w.add(element, "cac:PayeeFinancialAccount")
            w.add(account, "cbc:ID", means.iban)
            w.optional(account, "cbc:Name", means.account_name)
            if means.bic:
                w.add(w.add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", means.bic)
    if doc.payment_terms:
        w.add(w.add(parent, "cac:PaymentTerms"), "cbc:Note", doc.payment_terms)


def _allowance(w, doc, parent, allowance):
    element = w.add(parent, "cac:AllowanceCharge")
    w.add(element, "cbc:ChargeIndicator", "true" if allowance.charge else "false")
    w.optional(element, "cbc:AllowanceChargeReasonCode", allowance.reason_code)
    w.optional(element, "cbc:AllowanceChargeReason", allowance.reason)
    w.add(element, "cbc:Amount", doc.amount(allowance.amount), currencyID=doc.currency)
    _tax_category(w, element, allowance.tax)


def _tax_total(w, doc, parent):
    total = w.add(parent, "cac:TaxTotal")
    w.add(total, "cbc:TaxAmount", doc.amount(doc.totals.tax_total), currencyID=doc.currency)
    for row in doc.taxes:
        subtotal = w.add(total, "cac:TaxSubtotal")
        w.add(subtotal, "cbc:TaxableAmount", doc.amount(row.taxable_amount), currencyID=doc.currency)
        w.add(subtotal, "cbc:TaxAmount", doc.amount(row.tax_amount), currencyID=doc.currency)
        _tax_category(w, subtotal, row.tax, exemption=(row.exemption_code, row.exemption_reason))


def _monetary_total(w, doc, parent):
    totals, element = doc.totals, w.add(parent, "cac:LegalMonetaryTotal")
    rows = [("LineExtensionAmount", totals.line_total), ("TaxExclusiveAmount", totals.tax_basis),
            ("TaxInclusiveAmount", totals.grand_total)]
    if doc.allowances:
        rows += [("AllowanceTotalAmount", totals.allowance_total), ("ChargeTotalAmount", totals.charge_total)]
    rows += [("PrepaidAmount", totals.prepaid), ("PayableAmount", totals.due_payable)]
    for name, value in rows:
        w.add(element, f"cbc:{name}", doc.amount(value), currencyID=doc.currency)


def _line(w, doc, parent, line, tags):
    element = w.add(parent, f"cac:{tags[3]}")
    w.add(element, "cbc:ID", line.id)
    w.add(element, f"cbc:{tags[4]}", number(line.quantity), unitCode=line.unit_code)
    w.add(element, "cbc:LineExtensionAmount", doc.amount(line.net_amount), currencyID=doc.currency)
    item = w.add(element, "cac:Item")
    w.add(item, "cbc:Name", line.name)
    _tax_category(w, item, line.tax, "cac:ClassifiedTaxCategory")
    w.add(w.add(element, "cac:Price"), "cbc:PriceAmount", number(line.price), currencyID=doc.currency)


def write(doc: model.EInvoice, xrechnung=False):
    """The UBL XML bytes (UTF-8): an Invoice, or a CreditNote for a credit note."""
    tags = DOCUMENTS[doc.credit_note]
    w = Writer({None: tags[0], "cac": CAC, "cbc": CBC})
    root = w.root(f"{{{tags[0]}}}{tags[1]}")
    w.add(root, "cbc:CustomizationID", XRECHNUNG_CUSTOMIZATION if xrechnung else PEPPOL_CUSTOMIZATION)
    w.add(root, "cbc:ProfileID", PEPPOL_PROFILE)
    w.add(root, "cbc:ID", doc.number)
    w.add(root, "cbc:IssueDate", doc.issue_date.isoformat())
    if doc.due_date and not doc.credit_note:  # a credit note's due date is in its payment means
        w.add(root, "cbc:DueDate", doc.due_date.isoformat())
    w.add(root, f"cbc:{tags[2]}", doc.type_code)
    for note in doc.notes:
        w.add(root, "cbc:Note", note)
    w.add(root, "cbc:DocumentCurrencyCode", doc.currency)
    w.optional(root, "cbc:BuyerReference", doc.buyer_reference)
    if doc.purchase_order:
        w.add(w.add(root, "cac:OrderReference"), "cbc:ID", doc.purchase_order)
    if doc.preceding_invoice:
        number_, issued = doc.preceding_invoice
        reference = w.add(w.add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        w.add(reference, "cbc:ID", number_)
        w.add(reference, "cbc:IssueDate", issued.isoformat())
    _party(w, root, "cac:AccountingSupplierParty", doc.seller)
    _party(w, root, "cac:AccountingCustomerParty", doc.buyer)
    if doc.delivery_date or doc.deliver_to_country:
        delivery = w.add(root, "cac:Delivery")
        w.optional(delivery, "cbc:ActualDeliveryDate", doc.delivery_date and doc.delivery_date.isoformat())
        if doc.deliver_to_country:
            address = w.add(w.add(delivery, "cac:DeliveryLocation"), "cac:Address")
            w.add(w.add(address, "cac:Country"), "cbc:IdentificationCode", doc.deliver_to_country)
    _payment(w, doc, root)
    for allowance in doc.allowances:
        _allowance(w, doc, root, allowance)
    _tax_total(w, doc, root)
    _monetary_total(w, doc, root)
    for line in doc.lines:
        _line(w, doc, root, line, tags)
    return serialise(root)

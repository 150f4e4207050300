"""UN/CEFACT Cross Industry Invoice (D16B, the Factur-X / ZUGFeRD EN 16931 profile) from an
``EInvoice``. Element order follows the Factur-X EN16931 schema."""

from . import model
from .xmltree import Writer, number, serialise

NAMESPACES = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
GUIDELINE = "urn:cen.eu:en16931:2017"  # Factur-X EN 16931 (COMFORT) = the plain EN 16931 core
W = Writer(NAMESPACES)


def _date(parent, tag, value, prefix="udt"):
    W.add(W.add(parent, tag), f"{prefix}:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _tax(parent, key, tag="ram:ApplicableTradeTax"):
    tax = W.add(parent, tag)
    W.add(tax, "ram:TypeCode", "VAT")
    W.add(tax, "ram:CategoryCode", key.category)
    if key.percent is not None:
        W.add(tax, "ram:RateApplicablePercent", number(key.percent))


def _line(doc, parent, line):
    item = W.add(parent, "ram:IncludedSupplyChainTradeLineItem")
    W.add(W.add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.id)
    W.add(W.add(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.name)
    agreement = W.add(item, "ram:SpecifiedLineTradeAgreement")
    W.add(W.add(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", number(line.price))
    W.add(W.add(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", number(line.quantity),
          unitCode=line.unit_code)
    settlement = W.add(item, "ram:SpecifiedLineTradeSettlement")
    _tax(settlement, line.tax)
    W.add(W.add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
          doc.amount(line.net_amount))


def _party(parent, tag, party):
    element = W.add(parent, tag)
    W.add(element, "ram:Name", party.name)
    if party.company_id or party.trading_name:
        legal = W.add(element, "ram:SpecifiedLegalOrganization")
        W.optional(legal, "ram:ID", party.company_id)
        W.optional(legal, "ram:TradingBusinessName", party.trading_name)
    if party.contact_name or party.contact_phone or party.contact_email:
        contact = W.add(element, "ram:DefinedTradeContact")
        W.optional(contact, "ram:PersonName", party.contact_name)
        if party.contact_phone:
            W.add(W.add(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber", party.contact_phone)
        if party.contact_email:
            W.add(W.add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", party.contact_email)
    address = W.add(element, "ram:PostalTradeAddress")
    place = party.address
    W.optionals(address, [("ram:PostcodeCode", place.postal_code), ("ram:LineOne", place.line1),
                          ("ram:LineTwo", place.line2), ("ram:CityName", place.city)])
    W.add(address, "ram:CountryID", party.address.country_code)
    if party.electronic_address:
        scheme, identifier = party.electronic_address
        W.add(W.add(element, "ram:URIUniversalCommunication"), "ram:URIID", identifier, schemeID=scheme)
    for scheme, identifier in (("VA", party.vat_id), ("FC", party.tax_registration_id)):
        if identifier:
            W.add(W.add(element, "ram:SpecifiedTaxRegistration"), "ram:ID", identifier, schemeID=scheme)


def _agreement(doc, parent):
    agreement = W.add(parent, "ram:ApplicableHeaderTradeAgreement")
    W.optional(agreement, "ram:BuyerReference", doc.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", doc.seller)
    _party(agreement, "ram:BuyerTradeParty", doc.buyer)
    if doc.purchase_order:
        W.add(W.add(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", doc.purchase_order)


def _delivery(doc, parent):
    delivery = W.add(parent, "ram:ApplicableHeaderTradeDelivery")
    if doc.deliver_to_country:
        place = W.add(W.add(delivery, "ram:ShipToTradeParty"), "ram:PostalTradeAddress")
        W.add(place, "ram:CountryID", doc.deliver_to_country)
    if doc.delivery_date:
        _date(W.add(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime", doc.delivery_date)


def _payment_means(parent, means):
    element = W.add(parent, "ram:SpecifiedTradeSettlementPaymentMeans")
    W.add(element, "ram:TypeCode", means.code)
    if means.iban:
        account = W.add(element, "ram:PayeePartyCreditorFinancialAccount")
        W.add(account, "ram:IBANID", means.iban)
        W.optional(account, "ram:AccountName", means.account_name)
    if means.bic:
        W.add(W.add(element, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", means.bic)


def _breakdown(doc, parent, row):
    tax = W.add(parent, "ram:ApplicableTradeTax")
    W.add(tax, "ram:CalculatedAmount", doc.amount(row.tax_amount))
    W.add(tax, "ram:TypeCode", "VAT")
    W.optional(tax, "ram:ExemptionReason", row.exemption_reason)
    W.add(tax, "ram:BasisAmount", doc.amount(row.taxable_amount))
    W.add(tax, "ram:CategoryCode", row.tax.category)
    W.optional(tax, "ram:ExemptionReasonCode", row.exemption_code)
    if row.tax.percent is not None:
        W.add(tax, "ram:RateApplicablePercent", number(row.tax.percent))


def _allowance(doc, parent, allowance):
    element = W.add(parent, "ram:SpecifiedTradeAllowanceCharge")
    W.add(W.add(element, "ram:ChargeIndicator"), "udt:Indicator", "true" if allowance.charge else "false")
    W.add(element, "ram:ActualAmount", doc.amount(allowance.amount))
    W.optional(element, "ram:ReasonCode", allowance.reason_code)
    W.optional(element, "ram:Reason", allowance.reason)
    _tax(element, allowance.tax, "ram:CategoryTradeTax")


def _summation(doc, parent):
    totals = doc.totals
    summation = W.add(parent, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    W.add(summation, "ram:LineTotalAmount", doc.amount(totals.line_total))
    if doc.allowances:
        W.add(summation, "ram:ChargeTotalAmount", doc.amount(totals.charge_total))
        W.add(summation, "ram:AllowanceTotalAmount", doc.amount(totals.allowance_total))
    W.add(summation, "ram:TaxBasisTotalAmount", doc.amount(totals.tax_basis))
    W.add(summation, "ram:TaxTotalAmount", doc.amount(totals.tax_total), currencyID=doc.currency)
    W.add(summation, "ram:GrandTotalAmount", doc.amount(totals.grand_total))
    W.add(summation, "ram:TotalPrepaidAmount", doc.amount(totals.prepaid))
    W.add(summation, "ram:DuePayableAmount", doc.amount(totals.due_payable))


def _settlement(doc, parent):
    settlement = W.add(parent, "ram:ApplicableHeaderTradeSettlement")
    if doc.payment_means:
        W.optional(settlement, "ram:PaymentReference", doc.payment_means.remittance)
    W.add(settlement, "ram:InvoiceCurrencyCode", doc.currency)
    if doc.payment_means:
        _payment_means(settlement, doc.payment_means)
    for row in doc.taxes:
        _breakdown(doc, settlement, row)
    for allowance in doc.allowances:
        _allowance(doc, settlement, allowance)
    if doc.due_date or doc.payment_terms:
        terms = W.add(settlement, "ram:SpecifiedTradePaymentTerms")
        W.optional(terms, "ram:Description", doc.payment_terms)
        if doc.due_date:
            _date(terms, "ram:DueDateDateTime", doc.due_date)
    _summation(doc, settlement)
    if doc.preceding_invoice:
        number_, issued = doc.preceding_invoice
        reference = W.add(settlement, "ram:InvoiceReferencedDocument")
        W.add(reference, "ram:IssuerAssignedID", number_)
        _date(reference, "ram:FormattedIssueDateTime", issued, prefix="qdt")


def write(doc: model.EInvoice):
    """The CII XML bytes (UTF-8) of an e-invoice document."""
    root = W.root("rsm:CrossIndustryInvoice")
    context = W.add(root, "rsm:ExchangedDocumentContext")
    W.add(W.add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    header = W.add(root, "rsm:ExchangedDocument")
    W.add(header, "ram:ID", doc.number)
    W.add(header, "ram:TypeCode", doc.type_code)
    _date(header, "ram:IssueDateTime", doc.issue_date)
    for note in doc.notes:
        W.add(W.add(header, "ram:IncludedNote"), "ram:Content", note)
    transaction = W.add(root, "rsm:SupplyChainTradeTransaction")
    for line in doc.lines:
        _line(doc, transaction, line)
    _agreement(doc, transaction)
    _delivery(doc, transaction)
    _settlement(doc, transaction)
    return serialise(root)

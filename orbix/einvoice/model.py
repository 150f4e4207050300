"""The neutral e-invoice document (EN 16931's semantic model, the part Orbix fills) and the one
function that builds it from an invoice.

The CII and UBL writers read only these dataclasses, so when invoices learn per-line taxes and
credit notes, only ``from_invoice`` changes. Amounts are Decimals in the currency's minor unit.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..common import money
from . import codes


@dataclass(frozen=True)
class Address:
    country_code: str | None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class Party:
    name: str  # BT-27 / BT-44: the legal name when there is one
    address: Address
    trading_name: str | None = None  # BT-28 / BT-45
    vat_id: str | None = None  # BT-31 / BT-48
    tax_registration_id: str | None = None  # BT-32 (seller only: the local tax number)
    company_id: str | None = None  # BT-30 / BT-47
    electronic_address: tuple | None = None  # (EAS scheme, id): BT-34 / BT-49
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class TaxKey:
    """A VAT category and its rate (None where the category carries no rate: O)."""

    category: str
    percent: Decimal | None


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    quantity: Decimal
    unit_code: str
    price: Decimal  # net unit price, never negative (BR-27)
    net_amount: Decimal  # quantity x price - allowances, rounded (BT-131)
    tax: TaxKey


@dataclass(frozen=True)
class Allowance:
    """A document-level allowance (or charge) in one tax category (BG-20 / BG-21)."""

    amount: Decimal
    tax: TaxKey
    reason: str = "Discount"
    reason_code: str | None = codes.DISCOUNT_REASON_CODE
    charge: bool = False


@dataclass(frozen=True)
class TaxSubtotal:
    """One row of the VAT breakdown (BG-23)."""

    tax: TaxKey
    taxable_amount: Decimal
    tax_amount: Decimal
    exemption_reason: str | None = None
    exemption_code: str | None = None


@dataclass(frozen=True)
class Totals:
    """BG-22; the writers print them as they are (``check_totals`` holds them to BR-CO-10..16)."""

    line_total: Decimal
    allowance_total: Decimal
    charge_total: Decimal
    tax_basis: Decimal
    tax_total: Decimal
    grand_total: Decimal
    prepaid: Decimal
    due_payable: Decimal


@dataclass(frozen=True)
class PaymentMeans:
    code: str  # UNTDID 4461
    iban: str | None = None
    bic: str | None = None
    account_name: str | None = None
    remittance: str | None = None  # BT-83


@dataclass(frozen=True)
class EInvoice:
    number: str
    type_code: str  # 380 invoice, 381 credit note
    issue_date: date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple
    taxes: tuple
    totals: Totals
    due_date: date | None = None
    allowances: tuple = ()
    buyer_reference: str | None = None
    purchase_order: str | None = None
    preceding_invoice: tuple | None = None  # (number, issue date) a credit note corrects
    payment_means: PaymentMeans | None = None
    payment_terms: str | None = None
    notes: tuple = field(default_factory=tuple)
    delivery_date: date | None = None  # BT-72
    deliver_to_country: str | None = None  # BT-80

    @property
    def credit_note(self):
        return self.type_code == codes.CREDIT_NOTE

    def amount(self, value):
        """Text of an amount in the document's currency (its minor unit: 2 decimals, 0 for JPY)."""
        return format(money.quantize(value, self.currency), "f")


def sum_amounts(values):
    return sum(values, Decimal(0))


def breakdown(lines, allowances, currency, exemptions, rounding=money.quantize):
    """The VAT breakdown by (category, rate): taxable = its line nets - allowances + charges, tax =
    taxable x rate rounded to the currency (BR-CO-17, BR-S-08 ...); ``exemptions`` maps a category to
    its (code, reason)."""
    keys = list(dict.fromkeys([line.tax for line in lines] + [allowance.tax for allowance in allowances]))
    rows = []
    for key in keys:
        taxable = sum_amounts(line.net_amount for line in lines if line.tax == key)
        for allowance in allowances:
            if allowance.tax == key:
                taxable += allowance.amount if allowance.charge else -allowance.amount
        tax = rounding(taxable * (key.percent or 0) / Decimal(100), currency)
        code, reason = exemptions.get(key.category, (None, None))
        rows.append(TaxSubtotal(key, taxable, tax, reason, code))
    return tuple(rows)


def totals_of(lines, allowances, taxes, prepaid=Decimal(0)):
    """Document totals from lines, allowances and the breakdown (BR-CO-10..16)."""
    line_total = sum_amounts(line.net_amount for line in lines)
    allowance_total = sum_amounts(a.amount for a in allowances if not a.charge)
    charge_total = sum_amounts(a.amount for a in allowances if a.charge)
    tax_basis = line_total - allowance_total + charge_total
    tax_total = sum_amounts(row.tax_amount for row in taxes)
    grand_total = tax_basis + tax_total
    return Totals(line_total, allowance_total, charge_total, tax_basis, tax_total, grand_total, prepaid,
                  grand_total - prepaid)


# ---- the builder: an invoice as it is stored today -------------------------------------------

class Issues:
    """What keeps an invoice from being a valid e-invoice: ``where`` ("seller vat_id") -> why."""

    def __init__(self):
        self.found = {}

    def add(self, where, why):
        self.found.setdefault(where, why)

    def __bool__(self):
        return bool(self.found)


def _electronic_address(details):
    """(EAS scheme, id): the Peppol id when given, else the e-mail address (scheme EM)."""
    if details.get("peppol_id"):
        return tuple(details["peppol_id"].split(":", 1))
    return (codes.EMAIL_SCHEME, details["email"]) if details.get("email") else None


def _address(details):
    return Address(details.get("country_code"), details.get("address_line1"), details.get("address_line2"),
                   details.get("city"), details.get("postal_code"))


def _seller(business, vat_ids):
    name = business.get("legal_name") or business.get("business_name") or business.get("name")
    trading = business.get("business_name")
    return Party(
        name=name,
        address=_address(business),
        trading_name=trading if trading and trading != name else None,
        vat_id=business.get("vat_id") if vat_ids else None,
        tax_registration_id=business.get("tax_id") if vat_ids else None,
        company_id=business.get("company_id"),
        electronic_address=_electronic_address(business),
        contact_name=business.get("name"),
        contact_phone=business.get("phone"),
        contact_email=business.get("email"),
    )


def _buyer(client, vat_ids):
    name = client.get("legal_name") or client.get("company") or client.get("name")
    trading = client.get("company") or client.get("name")
    return Party(
        name=name,
        address=_address(client),
        trading_name=trading if trading and trading != name else None,
        vat_id=client.get("vat_id") if vat_ids else None,
        company_id=client.get("company_id"),
        electronic_address=_electronic_address(client),
        contact_name=client.get("name"),
        contact_email=client.get("email"),
    )


def _tax(view, business, issues):
    """The invoice-level (category, rate) and its exemption (code, reason) of an invoice taxed as
    a whole: S when it charges tax, else the invoice's category, else the user's default."""
    rate, category = view.get("tax_rate"), view.get("tax_category")
    if view["tax"] and rate is None:
        issues.add("invoice tax_rate", "e-invoices need the tax as a percent (tax_rate), not an amount")
    return _category(rate, category, view.get("tax_exemption_reason"), business, issues, "invoice")


def _category(rate, category, reason, business, issues, where):
    """(TaxKey, (exemption code, reason)) of a tax at ``rate`` in ``category`` (None: S when a rate
    is charged, else the user's default, E for a small business, else Z); ``where`` names it in issues."""
    if rate:
        if category not in (None, codes.STANDARD):
            issues.add(f"{where} tax_category", f"{category} charges no VAT, yet the rate is {rate}%")
        return TaxKey(codes.STANDARD, rate), (None, None)
    default = business.get("default_tax_category") or ("E" if business.get("small_business") else "Z")
    category = category or default
    if category == codes.STANDARD:
        issues.add(f"{where} tax_rate", "tax category S needs a tax rate above 0")
        return TaxKey(category, Decimal(0)), (None, None)
    if category not in codes.EXEMPT_CATEGORIES:
        return TaxKey(category, Decimal(0)), (None, None)
    code, default_reason = codes.EXEMPTIONS.get(category, (None, None))
    if category == default and business.get("default_tax_exemption_reason"):
        default_reason = business["default_tax_exemption_reason"]
    if category == "E" and business.get("small_business"):
        default_reason = codes.SMALL_BUSINESS_REASON
    reason = reason or default_reason
    if not reason:
        issues.add(f"{where} tax_exemption_reason", f"required for tax category {category} (the legal ground), or "
                                                    "set small_business in your settings")
    return TaxKey(category, None if category == "O" else Decimal(0)), (code, reason)


def _line_tax(number, item, business, issues):
    """(TaxKey, exemption) of a line of an invoice taxed per line: EN 16931 gives a line one VAT
    category and rate, so a line with several (or compound) taxes cannot be an e-invoice line."""
    taxes = item.get("taxes") or ()
    where = f"items.{number - 1}.taxes"
    if len(taxes) > 1:
        issues.add(where, f"an e-invoice line carries one VAT; this line has {len(taxes)} taxes")
    if not taxes:  # an untaxed line among taxed ones: the user's default category
        return _category(None, None, None, business, issues, where)
    tax = taxes[0]
    if tax.get("percent") is None:
        issues.add(where, "e-invoices need the tax as a percent")
    return _category(tax.get("percent"), tax.get("category"), tax.get("exemption_reason"), business, issues, where)


def _line(number, item, key):
    """A stored line (quantities are positive and rates never negative: BR-27 holds). A line
    discount is in its net amount; the price is then the net unit price (BT-146), amount / quantity."""
    unit = item.get("unit_code") or (codes.HOURS if item.get("time_entry_ids") else codes.PIECES)
    price = item["rate"]
    if item.get("discount"):
        price = (item["amount"] / item["quantity"]).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return Line(str(number), item["description"], item["quantity"], unit, price, item["amount"], key)


def _payment_means(business, view):
    if not business.get("iban"):
        return None
    code = codes.SEPA_CREDIT_TRANSFER if view["currency"] == "EUR" else codes.CREDIT_TRANSFER
    name = business.get("legal_name") or business.get("business_name")
    return PaymentMeans(code, business["iban"], business.get("bic"), name, view["invoice_number"])


def from_invoice(view):
    """(EInvoice, Issues) of an invoice view (``invoices.schemas.money_view`` of the presented
    invoice: major-unit Decimals, with ``business`` and ``client``). An invoice is taxed as a whole
    (one rate or category and one discount) or per line (one tax per line, line discounts in the
    line nets); this is the only place that knows."""
    issues = Issues()
    business, client, currency = view["business"], view["client"] or {}, view["currency"]
    if any(item.get("taxes") for item in view["items"]):  # taxed per line: no invoice-level tax or discount
        keyed = [(item, *_line_tax(number, item, business, issues)) for number, item in enumerate(view["items"], 1)]
        lines = tuple(_line(number, item, key) for number, (item, key, _) in enumerate(keyed, 1))
        exemptions = {}
        for _item, key, exemption in keyed:
            exemptions.setdefault(key.category, exemption)
        allowances = ()
    else:
        key, exemption = _tax(view, business, issues)
        lines = tuple(_line(number, item, key) for number, item in enumerate(view["items"], 1))
        exemptions = {key.category: exemption}
        allowances = (Allowance(view["discount"], key),) if view["discount"] else ()
    taxes = breakdown(lines, allowances, currency, exemptions)
    totals = totals_of(lines, allowances, taxes, view.get("amount_paid") or Decimal(0))
    if not issues and (totals.tax_total, totals.grand_total) != (view["tax"], view["total"]):
        issues.add("invoice tax", "the stored tax does not follow from the tax rates (edit the invoice to "
                                  "recompute it)")
    categories = {line.tax.category for line in lines}
    if "O" in categories and len(categories) > 1:  # BR-O-11..14
        issues.add("items taxes", "a line outside the scope of VAT (O) cannot share an e-invoice with taxed lines")
    vat_ids = categories != {"O"}  # BR-O-02: no VAT ids on an out-of-scope invoice
    document = EInvoice(
        number=view["invoice_number"],
        type_code=codes.INVOICE,
        issue_date=view["date"].date(),
        due_date=view["due_date"].date() if view.get("due_date") else None,
        currency=currency,
        seller=_seller(business, vat_ids),
        buyer=_buyer(client, vat_ids),
        lines=lines,
        allowances=allowances,
        taxes=taxes,
        totals=totals,
        buyer_reference=view.get("buyer_reference") or client.get("buyer_reference"),
        purchase_order=view.get("purchase_order"),
        payment_means=_payment_means(business, view),
        payment_terms=view.get("payment_terms"),
        notes=(view["notes"],) if view.get("notes") else (),
        # An intra-community supply states when and where it was delivered (BR-IC-11, BR-IC-12): the
        # invoice has no delivery date, so its issue date stands for it.
        delivery_date=view["date"].date() if "K" in categories else None,
        deliver_to_country=client.get("country_code") if "K" in categories else None,
    )
    return document, issues


# Invoice fields a credit note takes from the invoice it corrects.
FROM_INVOICE = ("tax_category", "tax_exemption_reason", "buyer_reference", "purchase_order")


def from_credit_note(view, invoice):
    """(EInvoice, Issues) of a credit note view (shaped as ``from_invoice``'s) against ``invoice``,
    its invoice's view: document type 381 referring to the invoice (BG-3), its tax category and
    references; nothing prepaid and no due date."""
    as_invoice = {
        **view,
        **{name: invoice.get(name) for name in FROM_INVOICE},
        "invoice_number": view["credit_note_number"],
        "due_date": None,
        "payment_terms": None,
        "amount_paid": Decimal(0),
        "discount": view.get("discount") or Decimal(0),
        "notes": view.get("reason"),
    }
    document, issues = from_invoice(as_invoice)
    preceding = (invoice["invoice_number"], invoice["date"].date())
    return replace(document, type_code=codes.CREDIT_NOTE, preceding_invoice=preceding), issues

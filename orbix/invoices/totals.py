"""Line amounts and invoice totals, all in Decimal, stored as integer minor units.

Quantities and unit rates are stored as integer ten-thousandths (``money.rate_to_store``,
the same scale as hourly rates): they are factors, rounded only once multiplied.
"""

from decimal import Decimal

from ..common import money
from ..common.exceptions import unprocessable


def to_scaled(value):
    return money.rate_to_store(value)


def from_scaled(stored):
    return money.rate_from_store(stored)


def line_amount(quantity, rate, currency):
    """quantity x rate, rounded half-up to the currency's minor unit (Decimal)."""
    return money.quantize(money.to_decimal(quantity) * money.to_decimal(rate), currency)


def line_discount(item, gross, currency):
    """The line's discount (Decimal, rounded to the currency): ``discount_percent`` of quantity x
    rate, or ``discount_amount``; it may not exceed the line."""
    percent, amount = item.get("discount_percent"), item.get("discount_amount")
    if percent is not None:
        discount = money.percent_of(gross, percent, currency)
    else:
        discount = money.quantize(amount or 0, currency)
    if discount > money.quantize(gross, currency):
        unprocessable("items", f"The discount of {item['description'][:50]!r} exceeds its amount.")
    return discount


def _stored_tax(tax):
    return {**tax, "percent": to_scaled(tax["percent"])}


def stored_item(item, currency):
    """A line from input (Decimals; taxes resolved by ``taxes.service``) to its stored form:
    ``amount`` is the line net, quantity x rate - line discount, rounded half-up to the minor unit
    (EN 16931 BT-131); ``amount`` sent by a client is ignored."""
    gross = item.get("billed_amount")  # set only by billing tracked time (the billing rule)
    if gross is None:
        gross = money.to_decimal(item["quantity"]) * money.to_decimal(item["rate"])
    discount = line_discount(item, gross, currency)
    stored = {
        "description": item["description"],
        "quantity": to_scaled(item["quantity"]),
        "rate": to_scaled(item["rate"]),
        "amount": money.to_minor(money.quantize(gross, currency) - discount, currency),
    }
    for name in ("discount_percent", "discount_amount"):
        if item.get(name) is not None:
            stored[name] = to_scaled(item[name])
            stored["discount"] = money.to_minor(discount, currency)
    if item.get("taxes"):
        stored["taxes"] = [_stored_tax(tax) for tax in item["taxes"]]
    for name in ("time_entry_ids", "expense_ids", "unit_code"):  # what billed lines were made from; the unit
        if item.get(name):
            stored[name] = item[name]
    return stored


def input_item(stored):
    """A stored line back in input form (Decimal quantity, rate, discount and tax percents), to
    price it again."""
    item = {**stored, "quantity": from_scaled(stored["quantity"]), "rate": from_scaled(stored["rate"])}
    for name in ("discount_percent", "discount_amount"):
        if name in stored:
            item[name] = from_scaled(stored[name])
    if stored.get("taxes"):
        item["taxes"] = [{**tax, "percent": from_scaled(tax["percent"])} for tax in stored["taxes"]]
    return item


def line_taxed(items):
    """Whether any line carries its own taxes (then the invoice has no invoice-level tax or discount)."""
    return any(item.get("taxes") for item in items)


def lines_after(doc, changes, currency):
    """A stored document's lines after ``changes``: new ones priced, or the stored ones priced
    again in a new ``currency``, else unchanged."""
    if "items" in changes:
        return [stored_item(item, currency) for item in changes["items"]]
    if currency != doc["currency"]:
        return [stored_item(input_item(item), currency) for item in doc["items"]]
    return doc["items"]


def adjustment_after(doc, changes, name):
    """(amount, rate) of a stored document's tax or discount, in input form, after ``changes``: a
    new value of either replaces both; else the stored rate when one was given, else the amount."""
    if name in changes or f"{name}_rate" in changes:
        return changes.get(name), changes.get(f"{name}_rate")
    rate = from_scaled(doc.get(f"{name}_rate"))
    return (None if rate is not None else money.from_minor(doc[name], doc["currency"])), rate


def adjustments_after(doc, changes=None):
    """Tax and discount as the input that produces them again (after ``changes``, if any); those
    of a line-taxed document are derived from its lines, so only ``changes`` can set them."""
    if line_taxed(doc.get("items") or ()):
        doc = {**doc, "tax": 0, "tax_rate": None, "discount": 0, "discount_rate": None}
    tax, tax_rate = adjustment_after(doc, changes or {}, "tax")
    discount, discount_rate = adjustment_after(doc, changes or {}, "discount")
    return {"tax": tax, "tax_rate": tax_rate, "discount": discount, "discount_rate": discount_rate}


def _adjustment(amount, rate, base, currency, field):
    """An invoice-level amount (tax, discount) given directly or as a percent of ``base``."""
    if amount is not None and rate is not None:
        unprocessable(f"{field}_rate", f"Give either {field} (an amount) or {field}_rate (a percent), not both.")
    if rate is not None:
        return money.percent_of(base, rate, currency), rate
    return money.quantize(amount or 0, currency), None


def _tax_groups(items, currency):
    """{(name, percent, compound, category, reason): exact taxable base} over every line, in
    order of appearance. A tax's base on a line is the line net, plus the line's earlier taxes
    (unrounded) when it is compound; EN 16931 taxes the sum of the bases, not each line."""
    groups = {}
    for item in items:
        net, earlier = money.from_minor(item["amount"], currency), Decimal(0)
        for tax in item.get("taxes") or ():
            base = net + earlier if tax["compound"] else net
            key = (tax["name"], tax["percent"], tax["compound"], tax["category"], tax.get("exemption_reason"))
            groups[key] = groups.get(key, Decimal(0)) + base
            earlier += base * from_scaled(tax["percent"]) / 100
    return groups


def breakdown_row(name, percent, compound, category, reason, taxable, tax, currency):
    """A ``tax_breakdown`` row as stored (percent scaled, amounts in minor units)."""
    return {
        "name": name, "percent": percent, "compound": compound, "category": category, "exemption_reason": reason,
        "taxable_amount": money.to_minor(taxable, currency), "tax_amount": money.to_minor(tax, currency),
    }


def line_tax_breakdown(items, currency):
    """Stored ``tax_breakdown`` of line-taxed ``items``: per tax, the taxable amount (sum of its
    bases, rounded) and the tax on it (rounded); the invoice's tax is their sum (BR-CO-14)."""
    rows = []
    for (name, percent, compound, category, reason), base in _tax_groups(items, currency).items():
        taxable = money.quantize(base, currency)
        rows.append(breakdown_row(name, percent, compound, category, reason, taxable,
                                  money.percent_of(taxable, from_scaled(percent), currency), currency))
    return rows


def invoice_level_breakdown(doc):
    """The one ``tax_breakdown`` row of an invoice taxed as a whole (or none): documents written
    before line taxes have no stored breakdown, and get this one when shown."""
    if not doc.get("tax") and doc.get("tax_rate") is None:
        return []
    currency = doc["currency"]
    taxable = money.from_minor(doc["subtotal"] - doc["discount"], currency)
    return [breakdown_row("Tax", doc.get("tax_rate"), False, "S", None, taxable,
                          money.from_minor(doc["tax"], currency), currency)]


def _refuse_invoice_level(tax, tax_rate, discount, discount_rate):
    for name, value in (("tax", tax), ("tax_rate", tax_rate), ("discount", discount), ("discount_rate", discount_rate)):
        if value:
            unprocessable(name, "Lines carry their own taxes: give no invoice-level tax or discount (use the lines' "
                          "discount_percent or discount_amount).")


def _line_taxed_amounts(items, currency):
    breakdown = line_tax_breakdown(items, currency)
    subtotal = sum(item["amount"] for item in items)
    tax = sum(row["tax_amount"] for row in breakdown)
    return {"items": items, "subtotal": subtotal, "discount": 0, "discount_rate": None, "tax": tax, "tax_rate": None,
            "tax_breakdown": breakdown, "total": subtotal + tax}


def compute(items, currency, tax=None, tax_rate=None, discount=None, discount_rate=None):
    """Stored money fields of an invoice. ``items`` are stored lines (minor-unit amounts).

    Lines with taxes: tax = the sum of the ``tax_breakdown`` (see ``line_tax_breakdown``), no
    invoice-level tax or discount (422). Otherwise, as before line taxes: total = subtotal -
    discount + tax; the discount may not exceed the subtotal, and the tax rate applies to the
    discounted subtotal.
    """
    if line_taxed(items):
        _refuse_invoice_level(tax, tax_rate, discount, discount_rate)
        return _line_taxed_amounts(items, currency)
    subtotal = sum((money.from_minor(item["amount"], currency) for item in items), Decimal(0))
    discount_amount, discount_rate = _adjustment(discount, discount_rate, subtotal, currency, "discount")
    if discount_amount > subtotal:
        unprocessable("discount", f"Must not exceed the subtotal ({money.to_json_number(subtotal)}).")
    tax_amount, tax_rate = _adjustment(tax, tax_rate, subtotal - discount_amount, currency, "tax")
    total = subtotal - discount_amount + tax_amount
    amounts = {
        "items": items,
        "subtotal": money.to_minor(subtotal, currency),
        "discount": money.to_minor(discount_amount, currency),
        "discount_rate": to_scaled(discount_rate),
        "tax": money.to_minor(tax_amount, currency),
        "tax_rate": to_scaled(tax_rate),
        "total": money.to_minor(total, currency),
    }
    return {**amounts, "tax_breakdown": invoice_level_breakdown({**amounts, "currency": currency})}

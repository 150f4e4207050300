"""How invoice documents show lines and totals: the PDF and the public page print the same
rows, worded and formatted alike in the client's language and locale (``locale.Wording``:
'1.234,50 €' in de_DE, '€1,234.50' in en_US)."""

from ..locale import Wording
from .terms import days_for

ENGLISH = Wording()


def item_cells(item, currency, wording=ENGLISH):
    """(description, quantity, rate, amount) of a line in major units, as text; a line discount
    is said under the description (the amount is the line net)."""
    description = item["description"]
    if item.get("discount"):
        amount = wording.money(-item["discount"], currency)
        percent = item.get("discount_percent")
        description += "\n" + (wording.t("line_discount_percent", percent=percent_text(percent, wording), amount=amount)
                               if percent is not None else wording.t("line_discount", amount=amount))
    return (
        description,
        wording.number(item["quantity"]),
        wording.money(item["rate"], currency),
        wording.money(item["amount"], currency),
    )


def percent_text(percent, wording=ENGLISH):
    return f"{wording.number(percent)}%"


def tax_label(row, currency, wording=ENGLISH):
    """'GST 5% of $99.99': a line-tax subtotal, with its taxable amount."""
    return wording.t("tax_of", name=row["name"], percent=percent_text(row["percent"], wording),
                     amount=wording.money(row["taxable_amount"], currency))


def tax_rows(invoice, wording=ENGLISH):
    """(key, label, amount) of the tax: one row per line tax, or the invoice-level tax."""
    currency = invoice["currency"]
    if any(item.get("taxes") for item in invoice.get("items") or ()):
        return [("tax", tax_label(row, currency, wording), row["tax_amount"]) for row in invoice["tax_breakdown"]]
    if invoice["tax"] or invoice.get("tax_rate") is not None:
        rate = invoice.get("tax_rate")
        label = wording.t("tax_rate", rate=wording.number(rate)) if rate is not None else wording.t("tax")
        return [("tax", label, invoice["tax"])]
    return []


def exemption_notes(invoice):
    """Why a tax is not charged, one line per exempting tax ('VAT (AE): Reverse charge ...')."""
    return [
        f"{row['name']} ({row['category']}): {row['exemption_reason']}"
        for row in invoice.get("tax_breakdown") or () if row.get("exemption_reason")
    ]


def total_rows(invoice, with_balance=None, wording=ENGLISH):
    """(key, label, amount) rows under the lines: subtotal, discount, tax(es), total, then paid,
    credited and balance due (by default only once something was paid or credited). ``key``
    names the row whatever the language (``total`` and ``balance_due`` are emphasised)."""
    t = wording.t
    currency = invoice["currency"]
    rows = [("subtotal", t("subtotal"), invoice["subtotal"])]
    if invoice["discount"]:
        rows.append(("discount", t("discount"), -invoice["discount"]))
    rows += tax_rows(invoice, wording)
    rows.append(("total", t("total_currency", currency=currency), invoice["total"]))
    paid, credited = invoice.get("amount_paid") or 0, invoice.get("amount_credited") or 0
    if (paid or credited) if with_balance is None else with_balance:
        rows.append(("paid", t("paid"), -paid))
        if credited:
            rows.append(("credited", t("credited"), -credited))
        rows.append(("balance_due", t("balance_due"), invoice["balance_due"]))
    return rows


def payment_terms(terms, wording=ENGLISH):
    """The standard terms (``Due on receipt``, ``Net N``) in the document's language; free text as written."""
    days = days_for(terms)
    if days is None:
        return terms
    return wording.t("terms_on_receipt") if days == 0 else wording.t("terms_net", days=days)

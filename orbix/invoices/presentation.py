"""How invoice documents show lines and totals: the PDF and the public page print the same
rows, with amounts formatted alike (``money.format_amount``: '€1,234.50')."""

from ..common import money


def item_cells(item, currency):
    """(description, quantity, rate, amount) of a line in major units, as text; a line discount
    is said under the description (the amount is the line net)."""
    description = item["description"]
    if item.get("discount"):
        percent = item.get("discount_percent")
        description += f"\nDiscount{f' {percent_text(percent)}' if percent is not None else ''}: " \
                       f"-{money.format_amount(item['discount'], currency)}"
    return (
        description,
        str(money.to_json_number(item["quantity"])),
        money.format_amount(item["rate"], currency),
        money.format_amount(item["amount"], currency),
    )


def percent_text(percent):
    return f"{money.to_json_number(percent)}%"


def tax_label(row, currency):
    """'GST 5% of $99.99': a line-tax subtotal, with its taxable amount."""
    return f"{row['name']} {percent_text(row['percent'])} of {money.format_amount(row['taxable_amount'], currency)}"


def tax_rows(invoice):
    """(label, amount) of the tax: one row per line tax, or the invoice-level tax."""
    currency = invoice["currency"]
    if any(item.get("taxes") for item in invoice.get("items") or ()):
        return [(tax_label(row, currency), row["tax_amount"]) for row in invoice["tax_breakdown"]]
    if invoice["tax"] or invoice.get("tax_rate") is not None:
        rate = invoice.get("tax_rate")
        return [(f"Tax ({percent_text(rate)})" if rate is not None else "Tax", invoice["tax"])]
    return []


def exemption_notes(invoice):
    """Why a tax is not charged, one line per exempting tax ('VAT (AE): Reverse charge ...')."""
    return [
        f"{row['name']} ({row['category']}): {row['exemption_reason']}"
        for row in invoice.get("tax_breakdown") or () if row.get("exemption_reason")
    ]


def total_rows(invoice, with_balance=None):
    """(label, amount) rows under the lines: subtotal, discount, tax(es), total, then paid,
    credited and balance due (by default only once something was paid or credited)."""
    currency = invoice["currency"]
    rows = [("Subtotal", invoice["subtotal"])]
    if invoice["discount"]:
        rows.append(("Discount", -invoice["discount"]))
    rows += tax_rows(invoice)
    rows.append((f"Total ({currency})", invoice["total"]))
    paid, credited = invoice.get("amount_paid") or 0, invoice.get("amount_credited") or 0
    if (paid or credited) if with_balance is None else with_balance:
        rows.append(("Paid", -paid))
        if credited:
            rows.append(("Credited", -credited))
        rows.append(("Balance due", invoice["balance_due"]))
    return rows

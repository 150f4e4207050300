"""The invoice as a PDF (fpdf2 through ``common.pdf.Document``: pure Python, maintained,
embeds the bundled DejaVu Unicode font, and Noto fallbacks for the scripts it lacks, so a
client's name renders in any script)."""

from ..common import money
from ..common.pdf import MAX_TEXT, SANS, Document, refuse_long_text
from . import lifecycle, presentation

WATERMARKS = {lifecycle.DRAFT: "DRAFT", lifecycle.VOID: "VOID"}
COLUMNS = (("#", 10, "L"), ("Description", 92, "L"), ("Qty", 20, "R"), ("Rate", 29, "R"), ("Amount", 29, "R"))
# Item descriptions and notes one PDF prints: the narrow description column, measured once
# to size its row and once to draw it, costs about twice a paragraph per character (500
# items of 1,000 characters took over 30 s).
MAX_INVOICE_TEXT = MAX_TEXT // 2


def _lines(details, fields):
    return [str(details[f]) for f in fields if details.get(f)]


def _block(pdf, title, lines, x, width):
    pdf.set_xy(x, pdf.get_y())
    pdf.set_font(SANS, "B", 9)
    pdf.cell(width, 5, title, new_x="LEFT", new_y="NEXT")
    pdf.set_font(SANS, size=9)
    for line in lines:
        pdf.set_x(x)
        pdf.multi_cell(width, 4.5, line, new_x="LEFT", new_y="NEXT")


def invoice_facts(invoice):
    """(label, value) rows printed under the title of an invoice."""
    return [
        ("Invoice number", invoice["invoice_number"]),
        ("Status", invoice["status"].upper()),
        ("Issue date", invoice["date"].date().isoformat()),
        ("Due date", invoice["due_date"].date().isoformat()),
        ("Payment terms", invoice.get("payment_terms") or "-"),
    ]


def _credit_note_facts(note):
    return [
        ("Credit note", note["credit_note_number"]),
        ("Invoice", note["invoice_number"]),
        ("Date", note["date"].date().isoformat()),
        ("Reason", note["reason"]),
    ]


def _header(pdf, title, facts, business, client):
    pdf.set_font(SANS, "B", 20)
    pdf.cell(0, 10, title.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, size=10)
    for label, value in facts:
        pdf.cell(35, 5.5, label)
        pdf.multi_cell(0, 5.5, str(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    _block(
        pdf,
        "From",
        _lines(business, ("business_name", "address", "email", "phone", "website"))
        + ([f"Tax ID: {business['tax_id']}"] if business.get("tax_id") else []),
        pdf.l_margin,
        88,
    )
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    _block(
        pdf,
        "Bill to",
        _lines(client, ("name", "company", "address", "email", "phone"))
        + ([f"Tax ID: {client['tax_id']}"] if client.get("tax_id") else []),
        pdf.l_margin + 92,
        88,
    )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _table(pdf, invoice):
    currency = invoice["currency"]
    pdf.set_font(SANS, "B", 9)
    pdf.set_fill_color(238, 238, 238)
    for title, width, align in COLUMNS:
        pdf.cell(width, 7, title, align=align, fill=True)
    pdf.ln()
    pdf.set_font(SANS, size=9)
    for number, item in enumerate(invoice["items"], 1):
        values = (str(number), *presentation.item_cells(item, currency))
        height = 6 * len(pdf.multi_cell(COLUMNS[1][1], 6, values[1], dry_run=True, output="LINES"))
        if pdf.will_page_break(height):
            pdf.add_page()
        pdf.cell(COLUMNS[0][1], 6, values[0])
        pdf.multi_cell(COLUMNS[1][1], 6, values[1], new_x="RIGHT", new_y="TOP")
        for (_title, width, align), value in zip(COLUMNS[2:], values[2:], strict=True):
            pdf.cell(width, 6, str(value), align=align)
        pdf.ln(height)


def _totals(pdf, invoice):
    currency = invoice["currency"]
    pdf.ln(3)
    for label, amount in presentation.total_rows(invoice):
        bold = label.startswith(("Total", "Balance"))
        pdf.set_font(SANS, "B" if bold else "", 10)
        pdf.cell(92)
        pdf.cell(59, 6.5, label)
        pdf.cell(29, 6.5, money.format_amount(amount, currency), align="R", new_x="LMARGIN", new_y="NEXT")


def _footer_notes(pdf, blocks):
    for title, text in blocks:
        if text:
            pdf.ln(4)
            _block(pdf, title, [text], pdf.l_margin, 180)


class InvoiceDocument(Document):
    """A Document that stamps DRAFT / VOID on every page."""

    stamp = None

    def header(self):
        if self.stamp:
            self.watermark(self.stamp)


def render_document(view, *, title, number, facts, notes, stamp=None, archival=False):
    """PDF bytes of a priced document (an invoice, an estimate, a credit note): ``title`` and the
    ``facts`` under it, the parties, lines and totals of ``view`` (amounts in major units, with
    ``business`` and ``client``), then the (title, text) ``notes`` blocks; ``stamp`` marks
    every page; ``archival``: with the sRGB output intent of a PDF/A (Factur-X)."""
    length = sum(len(item["description"]) for item in view["items"]) + len(view.get("notes") or "")
    refuse_long_text(length + len(view.get("reason") or ""), f"This {title.lower()}'s text", MAX_INVOICE_TEXT)
    pdf = InvoiceDocument(title=f"{title} {number}", author=view["business"].get("business_name") or "Orbix")
    pdf.footer_text = f"{view['business'].get('business_name') or ''} · {number}".strip(" ·")
    pdf.stamp = stamp
    if archival:
        pdf.declare_srgb()
    pdf.add_page()
    _header(pdf, title, facts, view["business"], view["client"] or {})
    _table(pdf, view)
    _totals(pdf, view)
    _footer_notes(pdf, notes)
    return pdf.to_bytes()


def render(view, archival=False):
    """PDF bytes of an invoice view (amounts in major units, with ``business`` and ``client``);
    ``archival``: ready to become a Factur-X PDF/A-3."""
    notes = (("Tax exemptions", "\n".join(presentation.exemption_notes(view))),
             ("Payment details", view["business"].get("payment_details")), ("Notes", view.get("notes")))
    return render_document(view, title="Invoice", number=view["invoice_number"], facts=invoice_facts(view),
                           notes=notes, stamp=WATERMARKS.get(view["status"]), archival=archival)


def render_credit_note(view):
    """PDF bytes of a credit note view: 'CREDIT NOTE', its number and the invoice's."""
    notes = (("Tax exemptions", "\n".join(presentation.exemption_notes(view))), ("Notes", view.get("notes")))
    return render_document(view, title="Credit note", number=view["credit_note_number"],
                           facts=_credit_note_facts(view), notes=notes)

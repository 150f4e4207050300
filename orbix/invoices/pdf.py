"""Invoices, credit notes and estimates as PDFs (fpdf2 through ``common.pdf.Document``: pure
Python, maintained, embeds the bundled DejaVu Unicode font, and Noto fallbacks for the scripts
it lacks, so a client's name renders in any script): one layout, ``render_document``.

Worded and formatted in the client's language and locale, with the account's logo and accent
colour (``branding.style.DocumentStyle``). It is the client's copy: no status word is printed
(a client never reads "OVERDUE" on it); only drafts and void invoices carry a watermark.
"""

from ..branding.style import DocumentStyle, style_for
from ..common.pdf import MAX_TEXT, SANS, Document, refuse_long_text
from . import lifecycle, presentation
from .schemas import money_view

WATERMARKS = {lifecycle.DRAFT: "watermark_draft", lifecycle.VOID: "watermark_void"}
# (label key, width in mm, alignment); the widths fill the 180 mm between 15 mm margins.
COLUMNS = (("#", 10, "L"), ("description", 92, "L"), ("quantity", 20, "R"), ("rate", 29, "R"), ("amount", 29, "R"))
MARGIN = 15
GREY = (100, 106, 115)
RULE = (216, 222, 228)
LOGO_BOX = (60, 22)  # the widest and tallest a logo is printed, mm
# Item descriptions and notes one PDF prints: the narrow description column, measured once
# to size its row and once to draw it, costs about twice a paragraph per character (500
# items of 1,000 characters took over 30 s).
MAX_INVOICE_TEXT = MAX_TEXT // 2


def _lines(details, fields):
    return [str(details[f]) for f in fields if details.get(f)]


def _tint(rgb, share=0.1):
    """The accent colour mixed into white (``share`` of it), for filled rows."""
    return tuple(round(255 - (255 - c) * share) for c in rgb)


def _heading(pdf, style, title, width):
    pdf.set_font(SANS, "B", 8)
    pdf.set_text_color(*style.rgb)
    pdf.cell(width, 5, title.upper(), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _block(pdf, style, title, lines, x, width):
    pdf.set_xy(x, pdf.get_y())
    _heading(pdf, style, title, width)
    pdf.set_font(SANS, size=9)
    for line in lines:
        pdf.set_x(x)
        pdf.multi_cell(width, 4.5, line, new_x="LEFT", new_y="NEXT")


def _masthead(pdf, title, number, business, style):
    """Logo (else the business name) on the left, the document's title and number on the right,
    an accent rule under both."""
    top = pdf.get_y()
    if style.logo is not None:
        _width, height = pdf.logo(style.logo, pdf.l_margin, top, *LOGO_BOX)
        left_bottom = top + height
    else:
        pdf.set_font(SANS, "B", 15)
        pdf.set_text_color(*style.rgb)
        pdf.multi_cell(100, 7, business.get("business_name") or "", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        left_bottom = pdf.get_y()
    pdf.set_xy(pdf.w - pdf.r_margin - 80, top)
    pdf.set_font(SANS, "B", 22)
    pdf.set_text_color(*style.rgb)
    pdf.multi_cell(80, 10, title.upper(), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(SANS, size=10)
    pdf.set_text_color(*GREY)
    pdf.cell(80, 5, number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    y = max(left_bottom, pdf.get_y()) + 4
    pdf.rule(y, style.rgb, 0.6)
    pdf.set_y(y + 6)


def _header(pdf, title, number, facts, business, client, style):
    t = style.wording.t
    _masthead(pdf, title, number, business, style)
    top = pdf.get_y()
    _block(
        pdf, style, t("from"),
        _lines(business, ("business_name", "address", "email", "phone", "website"))
        + ([t("labelled", label=t("tax_id"), value=business["tax_id"])] if business.get("tax_id") else []),
        pdf.l_margin, 62,
    )
    bottoms = [pdf.get_y()]
    pdf.set_y(top)
    _block(
        pdf, style, t("bill_to"),
        _lines(client, ("name", "company", "address", "email", "phone"))
        + ([t("labelled", label=t("tax_id"), value=client["tax_id"])] if client.get("tax_id") else []),
        pdf.l_margin + 66, 62,
    )
    bottoms.append(pdf.get_y())
    pdf.set_y(top)
    x = pdf.l_margin + 132
    for label, value in facts:
        pdf.set_x(x)
        pdf.set_font(SANS, size=7.5)
        pdf.set_text_color(*GREY)
        pdf.cell(48, 4, label, new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(SANS, "B", 9)
        pdf.multi_cell(48, 4.5, str(value), new_x="LEFT", new_y="NEXT")
        pdf.ln(1)
    bottoms.append(pdf.get_y())
    pdf.set_y(max(bottoms) + 6)


def _table(pdf, document, style):
    currency = document["currency"]
    pdf.set_font(SANS, "B", 8.5)
    pdf.set_fill_color(*style.rgb)
    pdf.set_text_color(255, 255, 255)
    for key, width, align in COLUMNS:
        pdf.cell(width, 7.5, style.wording.t(key) if key != "#" else key, align=align, fill=True)
    pdf.ln()
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(*RULE)
    pdf.set_font(SANS, size=9)
    for number, item in enumerate(document["items"], 1):
        values = (str(number), *presentation.item_cells(item, currency, style.wording))
        height = 6 * len(pdf.multi_cell(COLUMNS[1][1], 6, values[1], dry_run=True, output="LINES")) + 1
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_y(top + 0.5)
        pdf.cell(COLUMNS[0][1], 6, values[0])
        pdf.multi_cell(COLUMNS[1][1], 6, values[1], new_x="RIGHT", new_y="TOP")
        for (_key, width, align), value in zip(COLUMNS[2:], values[2:], strict=True):
            pdf.cell(width, 6, str(value), align=align)
        pdf.set_y(top + height)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())


def _totals(pdf, document, style):
    currency = document["currency"]
    words = style.wording
    pdf.ln(3)
    x = pdf.w - pdf.r_margin - 84
    for key, label, amount in presentation.total_rows(document, wording=words):
        if pdf.will_page_break(9):
            pdf.add_page()
        if key == "total":
            pdf.set_draw_color(*style.rgb)
            pdf.line(x, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
            pdf.ln(1.5)
        due = key == "balance_due"
        pdf.set_font(SANS, "B" if key in ("total", "balance_due") else "", 11 if due else 10)
        pdf.set_fill_color(*_tint(style.rgb))
        pdf.set_x(x)
        pdf.cell(50, 8 if due else 6.5, f" {label}", fill=due)
        pdf.cell(34, 8 if due else 6.5, f"{words.money(amount, currency)} ", align="R", fill=due,
                 new_x="LMARGIN", new_y="NEXT")


def _footer_notes(pdf, notes, style):
    for title, text in notes:
        if text:
            pdf.ln(5)
            _block(pdf, style, title, [text], pdf.l_margin, 180)


class InvoiceDocument(Document):
    """A Document that stamps DRAFT / VOID (in the document's language) on every page."""

    stamp = None

    def header(self):
        if self.stamp:
            self.watermark(self.stamp)


def render_document(view, *, title, number, facts, notes, stamp=None, style=None, archival=False):
    """PDF bytes of a priced document (an invoice, a credit note, an estimate): ``title`` and
    ``number`` in the masthead, the (label, value) ``facts`` beside the parties, the lines and
    totals of ``view`` (amounts in major units, with ``business`` and ``client``), then the
    (title, text) ``notes`` blocks; ``stamp`` marks every page. ``style``: the client's
    language, the account's logo and colour (plain English without); ``archival``: with the
    sRGB output intent of a PDF/A (Factur-X)."""
    style = style or DocumentStyle()
    length = sum(len(item["description"]) for item in view["items"]) + len(view.get("notes") or "")
    refuse_long_text(length + len(view.get("reason") or ""), "This document's text", MAX_INVOICE_TEXT)
    pdf = InvoiceDocument(title=f"{title} {number}", author=view["business"].get("business_name") or "Orbix")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.footer_text = f"{view['business'].get('business_name') or ''} · {number}".strip(" ·")
    pdf.page_label = style.wording.t("page")
    pdf.stamp = stamp
    if archival:
        pdf.declare_srgb()
    pdf.add_page()
    _header(pdf, title, number, facts, view["business"], view["client"] or {}, style)
    _table(pdf, view, style)
    _totals(pdf, view, style)
    _footer_notes(pdf, notes, style)
    return pdf.to_bytes()


def _exemptions(view, t):
    return (t("tax_exemptions"), "\n".join(presentation.exemption_notes(view)))


def render(view, style=None, archival=False):
    """PDF bytes of an invoice view (amounts in major units, with ``business`` and ``client``)
    in ``style``; ``archival``: ready to become a Factur-X PDF/A-3."""
    style = style or DocumentStyle()
    words = style.wording
    t = words.t
    facts = [(t("invoice_number"), view["invoice_number"]), (t("issue_date"), words.date(view["date"])),
             (t("due_date"), words.date(view["due_date"]))]
    if view.get("payment_terms"):
        facts.append((t("payment_terms"), presentation.payment_terms(view["payment_terms"], words)))
    notes = (_exemptions(view, t), (t("payment_details"), view["business"].get("payment_details")),
             (t("notes"), view.get("notes")))
    stamp = t(WATERMARKS[view["status"]]) if view["status"] in WATERMARKS else None
    return render_document(view, title=t("invoice"), number=view["invoice_number"], facts=facts, notes=notes,
                           stamp=stamp, style=style, archival=archival)


def invoice_pdf(view, user, archival=False):
    """PDF bytes of a presented invoice (``service.present``) as its client receives it: in
    the client's language (frozen with the invoice once sent), with ``user``'s branding."""
    return render(money_view(view), style_for(user, view["client"]), archival)


def render_credit_note(view, style=None):
    """PDF bytes of a credit note view: its number, date, the invoice it credits and why."""
    style = style or DocumentStyle()
    words = style.wording
    t = words.t
    facts = [(t("credit_note_number"), view["credit_note_number"]), (t("date"), words.date(view["date"])),
             (t("invoice"), view["invoice_number"]), (t("reason"), view["reason"])]
    notes = (_exemptions(view, t), (t("notes"), view.get("notes")))
    return render_document(view, title=t("credit_note"), number=view["credit_note_number"], facts=facts,
                           notes=notes, style=style)


def credit_note_pdf(view, user):
    """PDF bytes of a presented credit note (``credit_notes.present``) in its client's language."""
    return render_credit_note(money_view(view), style_for(user, view["client"]))

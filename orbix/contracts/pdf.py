"""The contract as a PDF: title, terms summary, parties, the text, and the signature record,
under the account's logo, with its accent colour on the title and the rule beneath."""

from ..branding.style import DocumentStyle
from ..common import money
from ..common.pdf import SANS, SERIF, Document, refuse_long_text
from ..common.timeutil import as_utc
from .rendering import long_date

WATERMARKS = {"draft": "DRAFT", "cancelled": "CANCELLED", "terminated": "TERMINATED"}
GREY = (110, 110, 110)
RECORD_LABEL_WIDTH = 42
LOGO_BOX = (50, 18)  # mm


def _summary(contract):
    parts = [f"Status: {contract['status']}"]
    if contract.get("value") is not None:
        parts.append(f"Value: {money.format_amount(contract['value'], contract['currency'])}")
    if contract.get("start_date"):
        parts.append(f"Starts: {long_date(as_utc(contract['start_date']).date())}")
    if contract.get("end_date"):
        parts.append(f"Ends: {long_date(as_utc(contract['end_date']).date())}")
    return "   ·   ".join(parts)


def _party_lines(parties):
    for label, key in (("Party A", "party_a"), ("Party B", "party_b")):
        party = parties.get(key)
        if party:
            contact = ", ".join(text for text in (party.get("email"), party.get("address")) if text)
            signatory = party.get("representative")
            represented = f", represented by {signatory}" if signatory and signatory != party["name"] else ""
            yield f"{label}: {party['name']}{represented}" + (f"  ({contact})" if contact else "")


def _record_row(pdf, label, value, size=9.5):
    """A label, then its value as a paragraph of its own: bidi reordering stays inside the
    value, so a right-to-left name cannot move the label or the fields after it (and bidi
    control characters, U+202A-E and U+2066-9, are never drawn: see ``printable``)."""
    pdf.set_font(SANS, size=9.5)
    pdf.cell(RECORD_LABEL_WIDTH, 5.5, label)
    pdf.set_font(SANS, size=size)
    pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")


def _signature_record(pdf, contract):
    pdf.ln(6)
    if pdf.will_page_break(7 + 6 * 5.5):  # the heading stays with its rows
        pdf.add_page()
    pdf.set_font(SANS, "B", 12)
    pdf.multi_cell(0, 7, "Electronic signature record", new_x="LMARGIN", new_y="NEXT")
    signer = contract.get("signed_by") or {}
    rows = [
        ("Signed by:", signer.get("name") or ""),
        ("Signer's email:", signer.get("email") or ""),
        ("Signed at:", f"{as_utc(contract['signed_at']).isoformat()} (UTC)"),
        ("IP address:", signer.get("ip") or "unknown"),
    ]
    if contract.get("sent_at"):
        rows.insert(0, ("Sent for signature:", f"{as_utc(contract['sent_at']).isoformat()} (UTC)"))
    for label, value in rows:
        _record_row(pdf, label, value)
    _record_row(pdf, "SHA-256 of the text:", contract.get("content_sha256") or "", size=8.5)


def _masthead(pdf, contract, style):
    """The logo (when there is one), the title in the accent colour, an accent rule."""
    if style.logo is not None:
        _width, height = pdf.logo(style.logo, pdf.l_margin, pdf.get_y(), *LOGO_BOX)
        pdf.set_y(pdf.get_y() + height + 5)
    pdf.set_font(SANS, "B", 16)
    pdf.set_text_color(*style.rgb)
    pdf.multi_cell(0, 8, contract["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.rule(pdf.get_y() + 1, style.rgb)
    pdf.ln(3)


def contract_pdf(contract, parties, style=None):
    """PDF bytes. Drafts and dead contracts carry a watermark; signed ones a signature record.
    ``style`` brings the account's logo and accent colour (none: no logo, the default colour).

    Text too long to print (stored before rendered text was capped) is refused."""
    style = style or DocumentStyle()
    refuse_long_text(len(contract["content"]), "This contract's text")
    pdf = Document(title=contract["title"])
    pdf.footer_text = contract["title"][:80]
    pdf.add_page()
    if contract["status"] in WATERMARKS:
        pdf.watermark(WATERMARKS[contract["status"]])
    _masthead(pdf, contract, style)
    pdf.set_font(SANS, size=9)
    pdf.set_text_color(*GREY)
    for line in (_summary(contract), *_party_lines(parties)):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(SERIF, size=10)
    pdf.multi_cell(0, 5, contract["content"], new_x="LMARGIN", new_y="NEXT")
    if contract.get("signed_at"):
        _signature_record(pdf, contract)
    elif contract["status"] == "sent":
        pdf.ln(4)
        pdf.set_font(SANS, "I", 9)
        pdf.multi_cell(0, 5, f"Sent for signature on {as_utc(contract['sent_at']).isoformat()} (UTC); "
                             f"awaiting signature. SHA-256 of the text: {contract.get('content_sha256')}")
    return pdf.to_bytes()

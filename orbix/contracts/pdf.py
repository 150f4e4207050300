"""The contract as a PDF: title, terms summary, parties, the text, and the signature record."""

from ..common import money
from ..common.pdf import SANS, SERIF, Document, refuse_long_text
from ..common.timeutil import as_utc
from .rendering import long_date

WATERMARKS = {"draft": "DRAFT", "cancelled": "CANCELLED", "terminated": "TERMINATED"}
GREY = (110, 110, 110)


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
            yield f"{label}: {party['name']}" + (f"  ({contact})" if contact else "")


def _signature_record(pdf, contract):
    pdf.ln(6)
    pdf.set_font(SANS, "B", 12)
    pdf.multi_cell(0, 7, "Electronic signature record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, size=9.5)
    signer = contract.get("signed_by") or {}
    lines = [
        f"Signed by: {signer.get('name')} <{signer.get('email')}>",
        f"Signed at: {as_utc(contract['signed_at']).isoformat()} (UTC)",
        f"IP address: {signer.get('ip') or 'unknown'}",
        f"SHA-256 of the signed text: {contract.get('content_sha256')}",
    ]
    if contract.get("sent_at"):
        lines.insert(0, f"Sent for signature: {as_utc(contract['sent_at']).isoformat()} (UTC)")
    for line in lines:
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")


def contract_pdf(contract, parties):
    """PDF bytes. Drafts and dead contracts carry a watermark; signed ones a signature record.

    Text too long to print (stored before rendered text was capped) is refused."""
    refuse_long_text(len(contract["content"]), "This contract's text")
    pdf = Document(title=contract["title"])
    pdf.footer_text = contract["title"][:80]
    pdf.add_page()
    if contract["status"] in WATERMARKS:
        pdf.watermark(WATERMARKS[contract["status"]])
    pdf.set_font(SANS, "B", 16)
    pdf.multi_cell(0, 8, contract["title"], new_x="LMARGIN", new_y="NEXT")
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

"""The contract as a PDF: title, terms summary, parties, the text, both signature blocks, and
the audit certificate, under the account's logo, with its accent colour on the title and the
rule beneath."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..branding.style import DocumentStyle
from ..common.pdf import SANS, SERIF, Document, refuse_long_text
from ..common.timeutil import as_utc

WATERMARKS = {"draft": "DRAFT", "cancelled": "CANCELLED", "terminated": "TERMINATED", "declined": "DECLINED",
              "expired": "EXPIRED"}
GREY = (110, 110, 110)
RECORD_LABEL_WIDTH = 42
LOGO_BOX = (50, 18)  # mm


def _summary(contract, words):
    t = words.t
    parts = [t("contract_status", status=contract["status"])]
    if contract.get("value") is not None:
        parts.append(t("contract_value", amount=words.money(contract["value"], contract["currency"])))
    if contract.get("start_date"):
        parts.append(t("contract_starts", date=words.date(as_utc(contract["start_date"]).date())))
    if contract.get("end_date"):
        parts.append(t("contract_ends", date=words.date(as_utc(contract["end_date"]).date())))
    return "   ·   ".join(parts)


def _party_lines(parties, words):
    t = words.t
    for label, key in ((t("party_a"), "party_a"), (t("party_b"), "party_b")):
        party = parties.get(key)
        if party:
            contact = ", ".join(text for text in (party.get("email"), party.get("address")) if text)
            signatory = party.get("representative")
            name = (t("represented_by", name=party["name"], signatory=signatory)
                    if signatory and signatory != party["name"] else party["name"])
            yield t("labelled", label=label, value=name) + (f"  ({contact})" if contact else "")


def _record_row(pdf, label, value, size=9.5):
    """A label, then its value as a paragraph of its own: bidi reordering stays inside the
    value, so a right-to-left name cannot move the label or the fields after it (and bidi
    control characters, U+202A-E and U+2066-9, are never drawn: see ``printable``)."""
    pdf.set_font(SANS, size=9.5)
    pdf.cell(RECORD_LABEL_WIDTH, 5.5, label)
    pdf.set_font(SANS, size=size)
    pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf, text, rows):
    pdf.ln(6)
    if pdf.will_page_break(7 + rows * 5.5):  # the heading stays with its rows
        pdf.add_page()
    pdf.set_font(SANS, "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _stamp(moment, zone=None):
    """UTC to the second, and the signer's local time when their zone is known."""
    utc = as_utc(moment).replace(microsecond=0)
    text = f"{utc.strftime('%Y-%m-%d %H:%M:%S')} UTC"
    if zone:
        try:
            local = utc.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            return text
        text += f" ({local.strftime('%Y-%m-%d %H:%M:%S %z')} {zone})"
    return text


def _signature_block(pdf, label, party, signature, t):
    """One party's block: who signs for it, and the electronic signature when given."""
    pdf.set_font(SANS, "B", 10)
    pdf.multi_cell(0, 6, t("labelled", label=label, value=party.get("name") or ""), new_x="LMARGIN", new_y="NEXT")
    if not signature:
        _record_row(pdf, t("signature_label"), t("not_signed"))
        return
    pdf.set_font(SERIF, "I", 14)
    pdf.multi_cell(0, 8, signature.get("name") or "", new_x="LMARGIN", new_y="NEXT")
    _record_row(pdf, t("signed_by"), signature.get("name") or "")
    _record_row(pdf, t("signer_email"), signature.get("email") or "")
    _record_row(pdf, t("signed_at"), _stamp(signature["at"], signature.get("timezone")))
    _record_row(pdf, t("ip_address"), signature.get("ip") or t("unknown"))


def _signature_record(pdf, contract, parties, t):
    """Both signature blocks: party A is the freelancer (countersignature), party B the client."""
    _heading(pdf, t("signature_record"), 12)
    client = dict(contract.get("signed_by") or {})
    if client:
        client.setdefault("at", contract.get("signed_at"))
    _signature_block(pdf, t("party_a"), parties.get("party_a") or {}, contract.get("countersigned_by"), t)
    pdf.ln(2)
    _signature_block(pdf, t("party_b"), parties.get("party_b") or {}, client if client.get("at") else None, t)
    pdf.ln(2)
    if contract.get("sent_at"):
        _record_row(pdf, t("sent_for_signature_label"), _stamp(contract["sent_at"]))
    _record_row(pdf, t("text_hash_label"), contract.get("content_sha256") or "", size=8.5)


EVENT_LABELS = {"created": "Created", "sent": "Sent for signature", "viewed": "Viewed", "signed": "Signed",
                "countersigned": "Countersigned", "declined": "Declined", "expired": "Link expired"}


def _audit_certificate(pdf, events):
    """The last page: every event with its time (UTC to the second, and the signer's zone), IP,
    user agent, e-mail and the SHA-256 of the text at that moment."""
    pdf.add_page()
    pdf.set_font(SANS, "B", 14)
    pdf.multi_cell(0, 8, "Audit certificate", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, size=9)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, "Every event of this contract, oldest first.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    for event in events:
        pdf.ln(2)
        if pdf.will_page_break(6 + 5 * 5.5):
            pdf.add_page()
        pdf.set_font(SANS, "B", 10)
        pdf.multi_cell(0, 6, f"{EVENT_LABELS.get(event['type'], event['type'])}  ·  "
                             f"{_stamp(event['at'], event.get('signer_timezone'))}", new_x="LMARGIN", new_y="NEXT")
        # One paragraph per field: a right-to-left name cannot reorder the e-mail beside it.
        rows = [("Name:", event.get("name")), ("E-mail:", event.get("email")), ("IP address:", event.get("ip")),
                ("User agent:", event.get("user_agent")), ("Reason:", (event.get("details") or {}).get("reason"))]
        for label, value in rows:
            if value:
                _record_row(pdf, label, value, size=8.5)
        _record_row(pdf, "Document SHA-256:", event.get("document_sha256") or "not frozen yet", size=8)


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


def contract_pdf(contract, parties, events=(), style=None):
    """PDF bytes. Drafts and dead contracts carry a watermark; signed ones the signature blocks
    of both parties; a contract with an audit trail ends with its audit certificate. ``style``
    brings the account's logo and accent colour (none: no logo, the default colour).

    Text too long to print (stored before rendered text was capped) is refused."""
    style = style or DocumentStyle()
    refuse_long_text(len(contract["content"]), "This contract's text")
    pdf = Document(title=contract["title"])
    pdf.footer_text = contract["title"][:80]
    pdf.page_label = style.wording.t("page")
    pdf.add_page()
    if contract["status"] in WATERMARKS:
        pdf.watermark(WATERMARKS[contract["status"]])
    _masthead(pdf, contract, style)
    pdf.set_font(SANS, size=9)
    pdf.set_text_color(*GREY)
    words = style.wording
    for line in (_summary(contract, words), *_party_lines(parties, words)):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(SERIF, size=10)
    pdf.multi_cell(0, 5, contract["content"], new_x="LMARGIN", new_y="NEXT")
    if contract.get("signed_at") or contract.get("countersigned_at"):
        _signature_record(pdf, contract, parties, words.t)
    elif contract["status"] == "sent":
        pdf.ln(4)
        pdf.set_font(SANS, "I", 9)
        pdf.multi_cell(0, 5, words.t("awaiting_signature", date=_stamp(contract["sent_at"]),
                                     hash=contract.get("content_sha256")))
    if events:
        _audit_certificate(pdf, events)
    return pdf.to_bytes()

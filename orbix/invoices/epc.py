"""EPC QR codes ("SEPA QR", "GiroCode"): a banking app scans one and fills in a SEPA credit
transfer, following the European Payments Council's guideline EPC069-12.

The payload is built here rather than inside ``segno.helpers.make_epc_qr`` so that it can be
read back and tested line by line; the QR code is drawn from it with the same constraints
that helper applies (error correction level M, never boosted, version 13 at most), and a
test checks that both give the same symbol. It is rendered as a ``data:`` SVG image, which
the public page's CSP (``img-src 'self' data:``) allows and which stays sharp in print.
"""

from decimal import Decimal

import segno

SERVICE_TAG, VERSION, UTF_8, CREDIT_TRANSFER = "BCD", "002", "1", "SCT"
MAX_NAME = 70
MAX_REMITTANCE = 140
MIN_AMOUNT, MAX_AMOUNT = Decimal("0.01"), Decimal("999999999.99")
MAX_PAYLOAD_BYTES = 331
MAX_QR_VERSION = 13


def amount_text(amount):
    """``EUR`` and the amount with at most two decimals, trailing zeros dropped (EUR12.5)."""
    return "EUR" + f"{Decimal(amount):.2f}".rstrip("0").rstrip(".")


def payload(name, iban, amount, remittance, bic=None):
    """The EPC QR text of a transfer of ``amount`` euros to ``name`` / ``iban``, or None when
    the transfer cannot be expressed (an amount out of the standard's range, a payload over
    331 bytes). Lines: service tag, version 002, character set 1 (UTF-8), SCT, the BIC
    (optional within the EEA), the beneficiary's name (one line, cut to 70 characters), the IBAN,
    the amount, an empty purpose, an empty structured reference, and the unstructured
    remittance text (the invoice number)."""
    amount = Decimal(amount)
    name = " ".join(name.split())[:MAX_NAME].strip()
    if not name or not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        return None
    lines = [
        SERVICE_TAG,
        VERSION,
        UTF_8,
        CREDIT_TRANSFER,
        bic or "",
        name,
        iban,
        amount_text(amount),
        "",
        "",
        remittance[:MAX_REMITTANCE],
    ]
    text = "\n".join(lines)
    return text if len(text.encode("utf-8")) <= MAX_PAYLOAD_BYTES else None


def qr_code(text):
    """The QR symbol of an EPC payload."""
    qr = segno.make_qr(text.encode("utf-8"), error="m", boost_error=False)
    if qr.version > MAX_QR_VERSION:  # cannot happen within 331 bytes at level M; the standard's limit
        raise ValueError(f"EPC QR codes are version {MAX_QR_VERSION} at most, got {qr.designator}")
    return qr


def qr_data_uri(text):
    """The QR code of an EPC payload as a ``data:image/svg+xml`` URI."""
    return qr_code(text).svg_data_uri(scale=4, border=4, dark="#000", light="#fff")

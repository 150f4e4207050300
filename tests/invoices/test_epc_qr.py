"""The EPC QR payload (EPC069-12) the public invoice page encodes, read back line by line, and
the QR symbol drawn from it compared with segno's own EPC helper."""

from decimal import Decimal

import pytest
from segno import helpers

from orbix.invoices import epc

IBAN = "DE89370400440532013000"


def test_the_payload_follows_epc069_12_line_by_line():
    text = epc.payload("Lovelace Analytics", IBAN, Decimal("1234.50"), "INV-00042", "COBADEFFXXX")
    assert text.split("\n") == [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        "COBADEFFXXX",  # BIC
        "Lovelace Analytics",  # beneficiary
        IBAN,
        "EUR1234.5",  # amount: EUR, at most two decimals, no trailing zeros
        "",  # purpose
        "",  # structured reference
        "INV-00042",  # remittance text: the invoice number
    ]


def test_the_bic_is_optional_and_the_name_is_one_line_of_at_most_70_characters():
    name = "Ada  Lovelace\nAnalytical Engines " + "x" * 100
    lines = epc.payload(name, IBAN, 10, "INV-1").split("\n")
    assert lines[4] == ""
    assert lines[5] == ("Ada Lovelace Analytical Engines " + "x" * 100)[:70] and len(lines[5]) == 70


@pytest.mark.parametrize(("amount", "text"), [("0.01", "EUR0.01"), ("100", "EUR100"), ("100.10", "EUR100.1"),
                                              ("999999999.99", "EUR999999999.99")])
def test_amounts(amount, text):
    assert epc.payload("A", IBAN, Decimal(amount), "INV-1").split("\n")[7] == text


@pytest.mark.parametrize("amount", ["0", "0.001", "1000000000", "-5"])
def test_amounts_outside_the_standard_give_no_payload(amount):
    assert epc.payload("A", IBAN, Decimal(amount), "INV-1") is None


def test_a_payload_over_331_bytes_is_refused():
    assert epc.payload("😀" * 70, IBAN, 10, "INV-1" * 28) is None


def test_the_qr_code_is_what_segnos_epc_helper_makes_for_the_same_transfer():
    text = epc.payload("Zoë Café Ltd", IBAN, Decimal("99.5"), "INV-00007", "COBADEFFXXX")
    ours = epc.qr_code(text)
    theirs = helpers.make_epc_qr("Zoë Café Ltd", IBAN, Decimal("99.5"), text="INV-00007", bic="COBADEFFXXX",
                                 encoding="utf-8")
    assert ours.error == "M" and ours.version <= 13
    assert ours == theirs  # same symbol: same payload, error level and version


def test_the_image_is_an_svg_data_uri():
    uri = epc.qr_data_uri(epc.payload("A", IBAN, 1, "INV-1"))
    assert uri.startswith("data:image/svg+xml")

"""Payment settings shown on public invoice pages: iban, bic, payment_link (PATCH /api/auth/me)."""

import pytest

from tests.factories import assert_error_shape, expect, update_settings


def test_iban_and_bic_are_stored_compact_in_upper_case(client, auth):
    settings = update_settings(client, auth, iban="de89 3704 0044 0532 0130 00", bic=" cobadeff xxx")
    assert settings["iban"] == "DE89370400440532013000"
    assert settings["bic"] == "COBADEFFXXX"
    assert expect(client.get("/api/auth/me", headers=auth), 200)["settings"]["iban"] == "DE89370400440532013000"


def test_payment_settings_can_be_cleared(client, auth):
    update_settings(client, auth, iban="GB82WEST12345698765432", bic="NWBKGB2L", payment_link="https://paypal.me/ada")
    settings = update_settings(client, auth, iban=None, bic=None, payment_link=None)
    assert {settings[name] for name in ("iban", "bic", "payment_link")} == {None}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("iban", "DE89370400440532013001"),  # check digits do not match
        ("iban", "DE8937040044"),  # too short
        ("iban", "1289370400440532013000"),  # no country code
        ("iban", "DE89 3704 0044 0532 0130 00!"),
        ("iban", "X" * 10_000),
        ("iban", 12345),
        ("bic", "COBADEF"),  # 7 characters
        ("bic", "COBADEFFXX"),  # 10 characters
        ("bic", "1OBADEFFXXX"),  # bank code must be letters
        ("payment_link", "http://paypal.me/ada"),  # https only
        ("payment_link", "javascript:alert(1)"),
        ("payment_link", "https://"),
        ("payment_link", "paypal.me/ada"),
        ("payment_link", "https://example.com/" + "a" * 2000),
    ],
)
def test_bad_payment_settings_are_422_naming_the_field(client, auth, field, value):
    for body in ({"settings": {field: value}}, {field: value}):
        response = assert_error_shape(client.patch("/api/auth/me", json=body, headers=auth), 422)
        errors = response["errors"]["json"]
        assert field in errors.get("settings", errors)


def test_a_valid_payment_link_is_kept(client, auth):
    link = "https://buy.stripe.com/test_28o5kq?prefilled_email=a%40b.c"
    assert update_settings(client, auth, payment_link=link)["payment_link"] == link

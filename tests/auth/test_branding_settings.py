"""Branding and language settings of the account (PATCH /api/auth/me): language, locale,
accent colour and logo, each validated, a logo being one of the caller's own logo files."""

import pytest

from tests.factories import assert_error_shape, expect, png_image, update_settings, upload_file, upload_logo


def _patch(client, auth, **settings):
    return client.patch("/api/auth/me", json=settings, headers=auth)


def test_branding_and_language_settings_are_stored_normalised_and_shown(client, auth):
    logo = upload_file(client, auth, png_image(), filename="logo.png", purpose="logo")
    settings = update_settings(client, auth, language="DE", locale="de-ch", accent_color="#0b57d0",
                               logo_file_id=logo["_id"])
    assert (settings["language"], settings["locale"], settings["accent_color"], settings["logo_file_id"]) == (
        "de", "de_CH", "#0B57D0", logo["_id"])
    shown = expect(client.get("/api/auth/me", headers=auth), 200)["settings"]
    assert shown["locale"] == "de_CH" and shown["logo_file_id"] == logo["_id"]


def test_new_accounts_have_no_branding_and_null_clears_it(client, auth):
    fresh = expect(client.get("/api/auth/me", headers=auth), 200)["settings"]
    assert [fresh[key] for key in ("language", "locale", "accent_color", "logo_file_id")] == [None] * 4
    upload_logo(client, auth)
    update_settings(client, auth, accent_color="#112233", language="fr")
    cleared = update_settings(client, auth, logo_file_id=None, accent_color=None, language=None)
    assert [cleared[key] for key in ("language", "accent_color", "logo_file_id")] == [None] * 3


@pytest.mark.parametrize("color", ["#12345", "#1234567", "red", "#GG0000", "0B57D0", "#0B57D0;}", "", 123])
def test_an_accent_colour_that_is_not_rrggbb_is_422(client, auth, color):
    response = _patch(client, auth, accent_color=color)
    assert_error_shape(response, 422)
    assert "accent_color" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize(("field", "value"), [
    ("language", "ja"), ("language", "english"), ("language", ""),
    ("locale", "ja_JP"), ("locale", "xx_YY"), ("locale", "en_XX"), ("locale", "de_DE_x"), ("locale", "x" * 30),
    ("locale", ""),
])
def test_languages_and_locales_we_do_not_write_in_are_422(client, auth, field, value):
    response = _patch(client, auth, **{field: value})
    assert_error_shape(response, 422)
    assert field in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("locale", ["de_DE", "de_CH", "pt_BR", "fr_CA", "es_MX", "sw_TZ", "en_GB", "sw"])
def test_variants_of_the_languages_are_accepted(client, auth, locale):
    assert update_settings(client, auth, locale=locale)["locale"] == locale


def test_a_logo_must_be_one_of_your_own_logo_files(client, auth, other_auth):
    receipt = upload_file(client, auth, png_image(), filename="scan.png", purpose="receipt")
    theirs = upload_file(client, other_auth, png_image(), filename="logo.png", purpose="logo")
    cases = [
        (receipt["_id"], "This file was uploaded as a receipt, not a logo."),
        (theirs["_id"], None),  # another user's file reads as missing
        ("0123456789abcdef01234567", None),
        ("not-an-id", None),
    ]
    for file_id, message in cases:
        response = _patch(client, auth, logo_file_id=file_id)
        assert_error_shape(response, 422)
        errors = response.get_json()["errors"]["json"]["logo_file_id"]
        if message:
            assert errors == [message]
    assert expect(client.get("/api/auth/me", headers=auth), 200)["settings"]["logo_file_id"] is None


def test_a_logo_sent_under_settings_is_checked_too(client, auth, other_auth):
    theirs = upload_file(client, other_auth, png_image(), filename="logo.png", purpose="logo")
    response = client.patch("/api/auth/me", json={"settings": {"logo_file_id": theirs["_id"]}}, headers=auth)
    assert_error_shape(response, 422)

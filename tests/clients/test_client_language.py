"""A client's language and locale: validated, shown on invoices (resolved against the
account's settings) and frozen on an invoice when it is sent."""

import pytest

from tests.factories import (
    assert_error_shape,
    expect,
    get_invoice,
    make_client,
    make_invoice,
    set_invoice_status,
    update_settings,
)


def _client_of(client, auth, invoice):
    shown = get_invoice(client, auth, invoice)["client"]
    return shown["language"], shown["locale"]


def test_a_client_keeps_its_language_and_locale_and_null_clears_them(client, auth):
    created = make_client(client, auth, language="PT", locale="pt-BR")
    assert (created["language"], created["locale"]) == ("pt", "pt_BR")
    changed = expect(client.patch(f"/api/clients/{created['_id']}", json={"locale": None}, headers=auth), 200)
    assert (changed["language"], changed["locale"]) == ("pt", None)
    assert make_client(client, auth).get("language") is None


@pytest.mark.parametrize(("field", "value"), [("language", "it"), ("language", 7), ("locale", "it_IT"),
                                              ("locale", "de_ZZ"), ("locale", "de DE")])
def test_a_client_language_or_locale_we_do_not_write_in_is_422(client, auth, field, value):
    response = client.post("/api/clients", json={"name": "Acme", "email": "a@acme.io", field: value}, headers=auth)
    assert_error_shape(response, 422)
    assert field in response.get_json()["errors"]["json"]


@pytest.mark.parametrize(("client_fields", "settings", "expected"), [
    ({}, {}, ("en", "en_US")),
    ({"language": "de"}, {}, ("de", "de_DE")),
    ({"locale": "de_AT"}, {}, ("de", "de_AT")),
    ({"language": "en", "locale": "de_DE"}, {}, ("en", "de_DE")),  # English words, German formats
    ({}, {"language": "fr"}, ("fr", "fr_FR")),
    ({}, {"locale": "fr_CA"}, ("fr", "fr_CA")),
    ({"language": "fr"}, {"language": "fr", "locale": "fr_CH"}, ("fr", "fr_CH")),  # the account's, same language
    ({"language": "es"}, {"locale": "fr_CA"}, ("es", "es_ES")),  # another language: its usual locale
    ({"language": "sw"}, {}, ("sw", "sw_KE")),
    ({"language": "pt"}, {}, ("pt", "pt_BR")),
])
def test_an_invoice_is_written_in_the_clients_choice_else_the_accounts(client, auth, client_fields, settings, expected):
    if settings:
        update_settings(client, auth, **settings)
    invoice = make_invoice(client, auth, client_id=make_client(client, auth, **client_fields)["_id"])
    assert _client_of(client, auth, invoice) == expected


def test_sending_freezes_the_language_and_locale_on_the_invoice(client, auth):
    acme = make_client(client, auth, language="de")
    draft = make_invoice(client, auth, client_id=acme["_id"])
    sent = make_invoice(client, auth, client_id=acme["_id"])
    expect(set_invoice_status(client, auth, sent, "sent"), 200)
    expect(client.patch(f"/api/clients/{acme['_id']}", json={"language": "fr"}, headers=auth), 200)
    update_settings(client, auth, locale="de_CH")
    assert _client_of(client, auth, sent) == ("de", "de_DE")
    assert _client_of(client, auth, draft) == ("fr", "fr_FR")

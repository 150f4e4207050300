"""Invoices in the client's language and locale, with the account's branding: the PDF (read
back with pypdf), the public page (its wording, the logo and accent colour served from our
origin under the page's token) and no status word such as "OVERDUE" on the client's copy."""

import re

import pytest

from tests.documents import pdf_reader, pdf_text, reader_text
from tests.factories import (
    expect,
    make_client,
    make_contract,
    make_credit_note,
    make_estimate,
    make_invoice,
    make_payment,
    page_path,
    png_image,
    share_invoice,
    update_settings,
    upload_logo,
)

NBSP = "\u00a0"
ITEM = {"description": "Markenentwicklung", "quantity": 1, "rate": 1234.5}


def _invoice(client, auth, status="sent", client_fields=None, **fields):
    """A EUR invoice of 1,234.50 issued 2026-11-20, due 2026-11-28, for a client with ``client_fields``."""
    acme = make_client(client, auth, **{"name": "Acme GmbH", **(client_fields or {})})
    body = {"currency": "EUR", "items": [ITEM], "date": "2026-11-20", "due_date": "2026-11-28", **fields}
    return make_invoice(client, auth, client_id=acme["_id"], status=status, **body)


def _pdf(client, auth, invoice):
    return client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth)


def _image_xobjects(reader):
    resources = reader.pages[0]["/Resources"]
    xobjects = resources.get("/XObject", {}) if resources else {}
    return [name for name, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"]


def _page(client, auth, invoice):
    url = share_invoice(client, auth, invoice)["url"]
    response = client.get(page_path(url))
    assert response.status_code == 200
    return page_path(url), response.get_data(as_text=True)


# ---- the PDF ------------------------------------------------------------------------------------


def test_the_pdf_speaks_german_with_german_money_and_dates(client, auth):
    update_settings(client, auth, business_name="Studio Nord", tax_id="DE123456789")
    invoice = _invoice(client, auth, client_fields={"language": "de", "locale": "de_DE"}, tax_rate=19,
                       payment_terms="Net 14", notes="Vielen Dank für Ihren Auftrag.")
    make_payment(client, auth, invoice, 234.5)
    text = pdf_text(_pdf(client, auth, invoice))
    for expected in (
        "RECHNUNG", "VON", "RECHNUNG AN", "Steuernummer: DE123456789", "Rechnungsnummer", "Rechnungsdatum",
        "20. November 2026", "Fälligkeitsdatum", "28. November 2026", "Zahlungsbedingungen",
        "Beschreibung", "Menge", "Einzelpreis", "Betrag", f"1.234,50{NBSP}€", "Zwischensumme",
        f"Steuer (19{NBSP}%) 234,56{NBSP}€", f"Gesamtbetrag (EUR) 1.469,06{NBSP}€", f"Bezahlt -234,50{NBSP}€",
        f"Offener Betrag 1.234,56{NBSP}€", "Anmerkungen".upper(), "Vielen Dank für Ihren Auftrag.", "Seite 1/1",
    ):
        assert expected in text, expected
    assert "Zahlbar innerhalb von 14" in text  # the standard terms, translated
    assert not re.search(r"\b(Invoice|Subtotal|Total|Due date|Page)\b", text)


def test_an_english_client_gets_us_formats_by_default(client, auth):
    text = pdf_text(_pdf(client, auth, _invoice(client, auth)))
    assert "INVOICE" in text and "November 28, 2026" in text and "€1,234.50" in text and "Page 1/1" in text


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pt", "sw"])
def test_an_overdue_invoice_never_says_overdue_on_the_clients_copy(client, auth, language):
    invoice = _invoice(client, auth, client_fields={"language": language})
    assert expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)["status"] == "overdue"
    text = pdf_text(_pdf(client, auth, invoice)).lower()
    for word in ("overdue", "überfällig", "en retard", "vencid", "atrasad", "imechelewa", "status", "sent"):
        assert word not in text, word


def test_a_draft_is_watermarked_in_the_clients_language(client, auth):
    text = pdf_text(_pdf(client, auth, _invoice(client, auth, status="draft", client_fields={"language": "fr"})))
    assert "BROUILLON" in text and "FACTURE" in text and "DRAFT" not in text


def test_the_logo_is_printed_on_the_pdf_and_a_deleted_logo_is_left_out(client, auth):
    invoice = _invoice(client, auth)
    assert _image_xobjects(pdf_reader(_pdf(client, auth, invoice))) == []
    logo = upload_logo(client, auth)
    assert len(_image_xobjects(pdf_reader(_pdf(client, auth, invoice)))) == 1
    expect(client.delete(f"/api/files/{logo['_id']}", headers=auth), 200)
    assert _image_xobjects(pdf_reader(_pdf(client, auth, invoice))) == []


def test_a_logo_that_does_not_decode_is_left_out_not_a_500(client, auth):
    truncated = png_image()[:60]  # a PNG signature and header, no image data
    upload_logo(client, auth, data=truncated)
    reader = pdf_reader(_pdf(client, auth, _invoice(client, auth)))
    assert _image_xobjects(reader) == [] and "INVOICE" in reader_text(reader)


def test_a_japanese_client_name_prints_on_a_german_invoice(client, auth):
    upload_logo(client, auth)
    invoice = _invoice(client, auth, client_fields={"language": "de", "name": "山田太郎", "company": "株式会社さくら"})
    text = pdf_text(_pdf(client, auth, invoice)).replace("\x00", "")  # pypdf puts a NUL before each CID glyph
    assert "RECHNUNG AN\n山田太郎\n株式会社さくら\n" in text and "28. November 2026" in text


def test_a_contract_pdf_carries_the_logo(client, auth):
    contract = make_contract(client, auth)
    response = client.get(f"/api/contracts/{contract['_id']}/pdf", headers=auth)
    assert _image_xobjects(pdf_reader(response)) == []
    upload_logo(client, auth)
    response = client.get(f"/api/contracts/{contract['_id']}/pdf", headers=auth)
    assert len(_image_xobjects(pdf_reader(response))) == 1 and contract["title"] in pdf_text(response)


# ---- the public page ------------------------------------------------------------------------------


def test_the_public_page_speaks_german(client, auth):
    update_settings(client, auth, business_name="Studio Nord", payment_link="https://pay.example/studio")
    invoice = _invoice(client, auth, client_fields={"language": "de"}, tax_rate=19)
    _path, page = _page(client, auth, invoice)
    assert '<html lang="de">' in page
    for expected in (
        f"Rechnung {invoice['invoice_number']} von Studio Nord", "Von", "Rechnung an", "Rechnungsdatum",
        "20. November 2026", "Fälligkeitsdatum", "28. November 2026", "Beschreibung", "Einzelpreis",
        f"1.234,50{NBSP}€", "Zwischensumme", f"Steuer (19{NBSP}%)", "Gesamtbetrag (EUR)", f"1.469,06{NBSP}€",
        "Zahlung ausstehend", "Zahlungsmöglichkeiten", f"1.469,06{NBSP}€ fällig bis 28. November 2026.",
        "Online bezahlen", "PDF herunterladen",
    ):
        assert expected in page, expected
    assert "overdue" not in page.lower() and "Invoice" not in page and "Download PDF" not in page


def test_the_public_page_shows_the_logo_and_colour_from_its_own_origin(client, auth):
    logo = png_image(width=80, height=30)
    upload_logo(client, auth, data=logo)
    update_settings(client, auth, accent_color="#aa3300")
    path, page = _page(client, auth, _invoice(client, auth))
    assert re.search(rf'<img class="logo" id="logo" src="{re.escape(path)}/logo"', page)
    assert f'<link rel="stylesheet" href="{path}/brand.css">' in page
    image = client.get(f"{path}/logo")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == logo
    assert image.headers["X-Content-Type-Options"] == "nosniff" and image.headers["Cache-Control"] == "no-store"
    css = client.get(f"{path}/brand.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert css.get_data(as_text=True) == ":root{--accent:#AA3300}\n"
    assert "style-src 'self'" in css.headers["Content-Security-Policy"]


def test_without_a_logo_the_page_has_no_image_and_the_logo_route_is_404(client, auth):
    path, page = _page(client, auth, _invoice(client, auth))
    assert 'id="logo"' not in page
    assert client.get(f"{path}/logo").status_code == 404
    assert client.get(f"{path}/brand.css").get_data(as_text=True) == ":root{--accent:#1F3A5F}\n"


def test_the_logo_and_colour_routes_need_a_live_token(client, auth):
    upload_logo(client, auth)
    invoice = _invoice(client, auth)
    path, _text = _page(client, auth, invoice)
    wrong = path[:-4] + ("aaaa" if not path.endswith("aaaa") else "bbbb")
    assert [client.get(wrong + suffix).status_code for suffix in ("/logo", "/brand.css")] == [404, 404]
    expect(client.delete(f"/api/invoices/{invoice['_id']}/public-link", headers=auth), 200)
    assert [client.get(path + suffix).status_code for suffix in ("/logo", "/brand.css")] == [404, 404]
    assert expect(client.get(f"/api/invoices/{invoice['_id']}", headers=auth), 200)["view_count"] == 1


def test_credit_notes_and_estimates_print_in_the_clients_language_with_line_taxes_and_discounts(client, auth):
    invoice = _invoice(client, auth, client_fields={"language": "de"}, items=[
        {"description": "Beratung", "quantity": 2, "rate": 100, "discount_percent": 10,
         "taxes": [{"name": "USt", "percent": 19}]}])
    note = make_credit_note(client, auth, invoice)
    text = pdf_text(client.get(f"/api/credit-notes/{note['_id']}/pdf", headers=auth))
    assert "GUTSCHRIFT" in text and "Gutschriftnummer" in text and note["credit_note_number"] in text
    assert f"USt 19% auf 180,00{NBSP}€" in text and "Rabatt 10%: -20,00" in text
    assert f"214,20{NBSP}€" in text  # 180 + 19% = 214.20
    estimate = make_estimate(client, auth, client_id=invoice["client_id"], currency="EUR", valid_until="2099-06-30")
    text = pdf_text(client.get(f"/api/estimates/{estimate['_id']}/pdf", headers=auth))
    assert "ANGEBOT" in text and "Gültig bis" in text and "30. Juni 2099" in text and "ENTWURF" in text

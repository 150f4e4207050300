"""The public invoice page in a real browser: Playwright driving Debian's Chromium against the
app served over HTTP (the ``live_url`` and ``browser`` fixtures of tests/browser.py)."""

import pytest

from orbix.platform.security_headers import PAGE_CSP
from tests.browser import Api, open_page, other_origins
from tests.factories import png_image

IBAN = "DE89370400440532013000"


@pytest.fixture
def shared(live_url):
    """(api, invoice, public URL): a sent EUR invoice of 2 x 50 with 19% tax (119.00), 19 paid."""
    api = Api(live_url)
    api.call("PATCH", "/api/auth/me", json={"settings": {
        "business_name": "Lovelace Analytics", "iban": IBAN, "payment_link": "https://paypal.me/adalovelace"}})
    client = api.call("POST", "/api/clients", 201, json={"name": "Acme Ltd", "email": "billing@acme.io"})
    invoice = api.call("POST", "/api/invoices", 201, json={
        "client_id": client["_id"], "currency": "EUR", "tax_rate": 19, "due_date": "2099-01-31",
        "items": [{"description": "Design work", "quantity": 2, "rate": 50}]})
    api.call("PUT", f"/api/invoices/{invoice['_id']}", json={"status": "sent"})
    api.call("POST", f"/api/invoices/{invoice['_id']}/payments", 201, json={"amount": 19})
    link = api.call("POST", f"/api/invoices/{invoice['_id']}/public-link", 201)
    return api, invoice, link["url"]


def test_the_page_renders_styled_with_everything_from_our_own_host(browser, live_url, shared):
    api, invoice, url = shared
    context, page, requested, response = open_page(browser, url)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.reload()
    assert response.status == 200 and response.headers["content-security-policy"] == PAGE_CSP
    assert page.title() == f"Invoice {invoice['invoice_number']} from Lovelace Analytics"
    assert page.get_by_role("heading", name=f"Invoice {invoice['invoice_number']}").is_visible()
    assert page.locator("#totals").inner_text().split("\n") == [
        "Subtotal", "€100.00", "Tax (19%)", "€19.00", "Total (EUR)", "€119.00", "Paid", "-€19.00",
        "Balance due", "€100.00"]
    assert page.locator("#status").inner_text() == "Partly paid"
    assert page.locator("#pay-online").get_attribute("href") == "https://paypal.me/adalovelace"
    assert page.locator("#epc-qr").evaluate("image => image.complete && image.naturalWidth > 0")
    assert page.locator(".sheet").evaluate("e => getComputedStyle(e).maxWidth") == "860px"  # our stylesheet applied
    assert any(u.endswith("/public/page.css") for u in requested)
    assert other_origins(live_url, requested) == [] and refused == []
    context.close()


def test_the_pdf_downloads(browser, live_url, shared):
    _api, invoice, url = shared
    context, page, requested, _response = open_page(browser, url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{invoice['invoice_number']}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert other_origins(live_url, requested) == []
    context.close()


def test_the_page_works_without_javascript_and_counts_views(browser, live_url, shared):
    api, invoice, url = shared
    context, page, requested, response = open_page(browser, url, java_script_enabled=False)
    assert response.status == 200
    assert page.locator("#totals").inner_text().endswith("Balance due\n€100.00")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    page.reload()
    counted = api.call("GET", f"/api/invoices/{invoice['_id']}")
    assert counted["view_count"] == 2 and counted["viewed_at"]  # two page views; the download is not one
    assert other_origins(live_url, requested) == []
    context.close()


def test_on_a_phone_nothing_overflows_and_print_hides_the_buttons(browser, shared):
    _api, _invoice, url = shared
    context, page, _requested, _response = open_page(browser, url, viewport={"width": 360, "height": 740},
                                                 is_mobile=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.get_by_role("link", name="Download PDF").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Download PDF").is_visible()
    assert page.locator("#epc-qr").is_visible()  # a printed invoice can still be paid by scanning
    context.close()


def test_a_revoked_link_shows_the_404_page(browser, shared):
    api, invoice, url = shared
    api.call("DELETE", f"/api/invoices/{invoice['_id']}/public-link")
    context, page, _requested, response = open_page(browser, url)
    assert response.status == 404 and response.headers["content-security-policy"] == PAGE_CSP
    assert page.get_by_role("heading", name="Page not found").is_visible()
    context.close()


def test_a_branded_german_page_loads_its_logo_and_colour_under_the_csp(browser, live_url):
    api = Api(live_url)
    logo = png_image(width=160, height=48)
    uploaded = api.session.post(live_url + "/api/files", files={"file": ("logo.png", logo, "image/png")},
                                data={"purpose": "logo"}, timeout=30)
    assert uploaded.status_code == 201, uploaded.text
    api.call("PATCH", "/api/auth/me", json={"settings": {
        "business_name": "Studio Nord", "accent_color": "#AA3300", "logo_file_id": uploaded.json()["_id"]}})
    client = api.call("POST", "/api/clients", 201, json={"name": "Acme GmbH", "email": "a@acme.de", "language": "de"})
    invoice = api.call("POST", "/api/invoices", 201, json={
        "client_id": client["_id"], "currency": "EUR", "date": "2026-11-20", "due_date": "2099-01-31",
        "items": [{"description": "Design", "quantity": 1, "rate": 1234.5}]})
    api.call("PUT", f"/api/invoices/{invoice['_id']}", json={"status": "sent"})
    url = api.call("POST", f"/api/invoices/{invoice['_id']}/public-link", 201)["url"]
    context, page, requested, response = open_page(browser, url)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.reload()
    assert response.status == 200 and page.title() == f"Rechnung {invoice['invoice_number']} von Studio Nord"
    assert page.locator("#logo").evaluate("image => image.complete && image.naturalWidth === 160")
    assert page.locator("h1").evaluate("e => getComputedStyle(e).color") == "rgb(170, 51, 0)"
    assert page.locator("#totals").inner_text().split("\n")[-2:] == ["Offener Betrag", "1.234,50\u00a0€"]
    assert page.get_by_role("link", name="PDF herunterladen").is_visible()
    assert any(u.endswith("/brand.css") for u in requested) and any(u.endswith("/logo") for u in requested)
    assert other_origins(live_url, requested) == [] and refused == []
    context.close()

"""The public estimate page in a real browser (Playwright driving Debian's Chromium against the
app on a real HTTP server): the link from the e-mail opens it, and the client's answer goes
through the plain HTML forms, with no JavaScript and no request to another host."""

import re

import pytest

from orbix.platform.security_headers import PAGE_CSP
from tests.browser import Api, open_page, other_origins


@pytest.fixture
def emailed(live_url, jobs, mail_sink):
    """(api, estimate, page URL from the e-mail): a sent EUR estimate of 3 x 33.33 with 19% tax."""
    api = Api(live_url)
    api.call("PATCH", "/api/auth/me", json={"settings": {"business_name": "Lovelace Analytics"}})
    client = api.call("POST", "/api/clients", 201, json={"name": "Acme Ltd", "email": "billing@acme.io"})
    estimate = api.call("POST", "/api/estimates", 201, json={
        "client_id": client["_id"], "currency": "EUR", "tax_rate": 19, "valid_until": "2099-01-31",
        "terms": "Half upfront", "items": [{"description": "Website redesign", "quantity": 3, "rate": 33.33}]})
    api.call("POST", f"/api/estimates/{estimate['_id']}/send", 201, json={})
    jobs.run()
    text = mail_sink.received[-1][2].get_body(("plain",)).get_content()
    [url] = re.findall(re.escape(live_url) + r"/e/[A-Za-z0-9_-]{43}", text)
    return api, estimate, url


def test_the_client_accepts_in_the_browser_without_javascript(browser, live_url, emailed):
    api, estimate, url = emailed
    context, page, requested, response = open_page(browser, url, java_script_enabled=False)
    assert response.status == 200 and response.headers["content-security-policy"] == PAGE_CSP
    assert page.title() == "Estimate EST-00001 from Lovelace Analytics"
    assert page.locator("#status").inner_text() == "Awaiting your answer"
    assert page.locator("#totals").inner_text().split("\n") == [
        "Subtotal", "€99.99", "Tax (19%)", "€19.00", "Total (EUR)", "€118.99"]
    assert page.locator("#valid-until").inner_text() == "January 31, 2099"
    page.get_by_role("button", name="Accept estimate").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Accepted"
    assert "You accepted this estimate" in page.locator("#accepted").inner_text()
    assert page.get_by_role("button", name="Accept estimate").count() == 0
    assert api.call("GET", f"/api/estimates/{estimate['_id']}")["status"] == "accepted"
    assert other_origins(live_url, requested) == []
    context.close()


def test_the_client_declines_with_a_reason_in_the_browser(browser, live_url, emailed):
    api, estimate, url = emailed
    context, page, requested, _response = open_page(browser, url)
    page.get_by_label("Reason for declining (optional)").fill("Over our budget")
    page.get_by_role("button", name="Decline estimate").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Declined"
    assert "Over our budget" in page.locator("#declined").inner_text()
    stored = api.call("GET", f"/api/estimates/{estimate['_id']}")
    assert stored["status"] == "declined" and stored["decline_reason"] == "Over our budget"
    assert other_origins(live_url, requested) == []
    context.close()

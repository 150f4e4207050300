"""The contract signing page in a real browser: Playwright driving Debian's Chromium against the
app served over HTTP (the ``live_url`` and ``browser`` fixtures of tests/browser.py)."""

import pytest

from orbix.platform.security_headers import PAGE_CSP
from tests.browser import Api, open_page, other_origins


@pytest.fixture
def sent(live_url):
    """(api, contract, signing URL): a contract sent to the client billing@acme.io."""
    api = Api(live_url)
    client = api.call("POST", "/api/clients", 201, json={"name": "Acme Ltd", "email": "billing@acme.io"})
    contract = api.call("POST", "/api/contracts", 201, json={
        "client_id": client["_id"], "title": "Website build", "content": "1. Scope\n\nBuild the thing.",
        "value": 4800, "currency": "EUR"})
    link = api.call("POST", f"/api/contracts/{contract['_id']}/send", json={})
    return api, contract, link["signing_url"]


def _fill_and_sign(page, email="billing@acme.io"):
    page.get_by_label("Full name").first.fill("Grace Hopper")
    page.locator("#sign-email").fill(email)
    page.locator("#sign-timezone").fill("Europe/Berlin")
    page.get_by_label("I have read this contract").check()
    page.get_by_role("button", name="Sign").click()


def test_open_the_link_sign_and_see_the_signed_page(browser, live_url, sent):
    api, contract, url = sent
    context, page, requested, response = open_page(browser, url)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    assert response.status == 200 and response.headers["content-security-policy"] == PAGE_CSP
    assert page.get_by_role("heading", name="Website build").is_visible()
    assert "Build the thing." in page.locator("#contract-text").inner_text()
    stored = api.call("GET", f"/api/contracts/{contract['_id']}")
    assert page.locator("#sha256").inner_text() == stored["content_sha256"] and stored["viewed_at"]
    assert page.locator(".sheet").evaluate("e => getComputedStyle(e).maxWidth") == "860px"  # our stylesheet
    _fill_and_sign(page)
    assert page.locator("#signed").is_visible() and "Grace Hopper" in page.locator("#signed").inner_text()
    signed = api.call("GET", f"/api/contracts/{contract['_id']}")
    assert signed["status"] == "signed" and signed["signed_by"]["timezone"] == "Europe/Berlin"
    assert "Chrom" in signed["signed_by"]["user_agent"] and signed["signed_by"]["ip"] == "127.0.0.1"
    assert other_origins(live_url, requested) == [] and refused == []
    context.close()


def test_a_second_signer_sees_already_signed(browser, sent):
    _api, _contract, url = sent
    first, page, _requested, _response = open_page(browser, url)
    second, other, _requested, _response = open_page(browser, url)  # both opened while unsigned
    _fill_and_sign(page)
    _fill_and_sign(other)
    assert other.locator("#already-signed").is_visible()
    third, later, _requested, _response = open_page(browser, url)
    assert later.locator("#already-signed").is_visible() and later.locator("form").count() == 0
    for context in (first, second, third):
        context.close()


def test_decline_with_a_reason(browser, sent):
    api, contract, url = sent
    context, page, _requested, _response = open_page(browser, url)
    page.get_by_text("Decline to sign").click()
    page.locator("#decline-name").fill("Grace Hopper")
    page.locator("#decline-email").fill("billing@acme.io")
    page.locator("#decline-reason").fill("The fee is too high.")
    page.get_by_role("button", name="Decline").click()
    assert page.locator("#declined").is_visible()
    stored = api.call("GET", f"/api/contracts/{contract['_id']}")
    assert stored["status"] == "declined" and stored["declined_by"]["reason"] == "The fee is too high."
    context.close()


def test_a_wrong_email_shows_the_error_beside_the_field(browser, sent):
    api, contract, url = sent
    context, page, _requested, _response = open_page(browser, url)
    _fill_and_sign(page, email="mallory@evil.example")
    assert page.locator("#signed-email-error").is_visible()
    assert page.locator("#sign-email").input_value() == "mallory@evil.example"
    assert api.call("GET", f"/api/contracts/{contract['_id']}")["status"] == "sent"
    context.close()


def test_signing_works_with_javascript_disabled(browser, live_url, sent):
    api, contract, url = sent
    context, page, requested, response = open_page(browser, url, java_script_enabled=False)
    assert response.status == 200
    _fill_and_sign(page)
    assert page.locator("#signed").is_visible()
    assert api.call("GET", f"/api/contracts/{contract['_id']}")["status"] == "signed"
    assert other_origins(live_url, requested) == []
    context.close()

"""What the browser tests share (a pytest plugin, loaded by tests/conftest.py): the app on a real
HTTP server, Debian's Chromium driven by Playwright, the JSON API as the freelancer's client
uses it, and helpers to open a page and list the requests that left our origin.

Chromium is not optional: ``make test`` installs it (the Makefile's ``browser`` target), so a
missing browser fails these tests instead of skipping them (never Playwright's own download)."""

import shutil
import threading
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.serving import make_server


@pytest.fixture(scope="module")
def live_url(app):
    """The app on a real HTTP server (threads, like gunicorn's workers) at http://127.0.0.1:<port>."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: `make test` installs it (Makefile target `browser`)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Api:
    """The JSON API of the live server, as the freelancer's client uses it."""

    def __init__(self, base):
        self.base, self.session = base, requests.Session()
        body = self.call("POST", "/api/auth/register", 201, json={
            "name": "Ada Lovelace", "email": "ada@example.com", "password": "correct horse battery"})
        self.session.headers["Authorization"] = f"Bearer {body['token']}"

    def call(self, method, path, status=200, **kwargs):
        response = self.session.request(method, self.base + path, timeout=30, **kwargs)
        assert response.status_code == status, response.text
        return response.json()


def open_page(browser, url, **context_options):
    """(context, page, every URL the page requested, the main response)."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(url)
    return context, page, requested, response


def other_origins(base, urls):
    """The URLs (not ``data:``) that went to another origin than ``base``."""
    origin = urlsplit(base)
    return [url for url in urls if not url.startswith("data:") and urlsplit(url)[:2] != origin[:2]]

"""What the browser tests of public pages share besides their fixtures (``live_url`` and
``browser`` in conftest.py): the JSON API of the live server, and opening a page while
recording every URL it requests."""

from urllib.parse import urlsplit

import requests


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


def other_hosts(base, urls):
    """The requested URLs (data: aside) on any other host than ``base``: must be none."""
    origin = urlsplit(base)
    return [url for url in urls if not url.startswith("data:") and urlsplit(url)[:2] != origin[:2]]

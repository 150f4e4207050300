"""Sending an estimate by e-mail (real worker, real SMTP sink) and the public page /e/<token>
where the client accepts or declines it, through HTTP against the real database."""

import re
from datetime import date, timedelta
from io import BytesIO

import bson
import pytest
from pypdf import PdfReader

from orbix.platform.security_headers import PAGE_CSP
from tests.concurrency import at_once
from tests.factories import (
    assert_error_shape,
    expect,
    get_estimate,
    make_client,
    make_estimate,
    page_path,
    send_estimate,
    update_settings,
    upload_logo,
)

TODAY = date.today()
URL = re.compile(r"http://localhost/e/[A-Za-z0-9_-]{43}")


def _emailed_url(client, auth, estimate, jobs, mail_sink, **body):
    """Send ``estimate`` by e-mail, run the worker, and return the page link the e-mail carries."""
    send_estimate(client, auth, estimate, **body)
    jobs.run()
    return URL.findall(mail_sink.received[-1][2].get_body(("plain",)).get_content())[0]


def _answer(client, url, action, **kwargs):
    """(response, text) of posting the page's accept or decline form."""
    response = client.post(page_path(url) + "/" + action, **kwargs)
    return response, response.get_data(as_text=True)


def test_sending_emails_the_estimate_with_its_pdf_and_a_working_page_link(client, auth, user, jobs, mail_sink, db):
    update_settings(client, auth, business_name="Lovelace Analytics")
    estimate = make_estimate(client, auth, valid_until="2099-06-30", terms="Half upfront")
    message = send_estimate(client, auth, estimate, cc=["boss@acme.io"], message="As discussed <today>.")
    assert message["status"] == "queued" and message["estimate_id"] == estimate["_id"]
    assert message["invoice_id"] is None and message["to"] == ["billing@acme.io"]
    sent = get_estimate(client, auth, estimate)
    assert sent["status"] == "sent" and sent["sent_at"] and sent["client"]["name"] == "Acme Ltd"
    assert "/e/" not in repr(list(db.messages.find()))  # the link is made when the e-mail goes out
    jobs.run()
    [(_sender, recipients, email)] = mail_sink.received
    assert sorted(recipients) == ["billing@acme.io", "boss@acme.io"]
    assert email["Subject"] == "Estimate EST-00001 from Lovelace Analytics"
    assert email["Reply-To"].addresses[0].addr_spec == user["email"]
    text, html = (email.get_body((kind,)).get_content() for kind in ("plain", "html"))
    assert "As discussed <today>." in text and "As discussed &lt;today&gt;." in html
    assert "Total: $99.99" in text and "Valid until: June 30, 2099" in text
    [url] = URL.findall(text)
    assert f'href="{url}"' in html
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == "EST-00001.pdf"
    pdf_text = PdfReader(BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "ESTIMATE" in pdf_text and "June 30, 2099" in pdf_text and "DRAFT" not in pdf_text
    page = client.get(page_path(url))
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Estimate EST-00001" in body and "Half upfront" in body
    assert 'action="/e/' in body and "Accept estimate" in body and "Decline estimate" in body
    assert page.headers["Content-Security-Policy"] == PAGE_CSP and page.headers["Cache-Control"] == "no-store"
    token = url.rsplit("/", 1)[1].encode()
    assert not any(token in bson.encode(doc) for name in db.list_collection_names() for doc in db[name].find())
    [logged] = expect(client.get(f"/api/estimates/{estimate['_id']}/messages", headers=auth), 200)
    assert logged["status"] == "sent" and logged["attempts"] == 1


def test_a_bad_send_body_is_422_and_leaves_the_draft_alone(client, auth):
    estimate = make_estimate(client, auth)
    for body, field in (({"to": "not-an-address"}, "to"), ({"subject": "a\nb"}, "subject")):
        response = client.post(f"/api/estimates/{estimate['_id']}/send", json=body, headers=auth)
        assert field in assert_error_shape(response, 422)["errors"]["json"]
    assert get_estimate(client, auth, estimate)["status"] == "draft"


def test_views_are_counted(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth)
    url = _emailed_url(client, auth, estimate, jobs, mail_sink)
    client.get(page_path(url))
    client.get(page_path(url))
    client.get(page_path(url) + "/pdf")
    seen = get_estimate(client, auth, estimate)
    assert seen["view_count"] == 2 and seen["viewed_at"]


def test_the_client_accepts_once_and_a_later_answer_changes_nothing(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth)
    url = _emailed_url(client, auth, estimate, jobs, mail_sink)
    response, text = _answer(client, url, "accept", headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200 and 'id="accepted"' in text and "Accept estimate" not in text
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    accepted = get_estimate(client, auth, estimate)
    assert accepted["status"] == "accepted" and accepted["accepted_at"]
    response, text = _answer(client, url, "decline", data={"reason": "Changed my mind"})
    assert response.status_code == 200 and 'id="accepted"' in text
    assert get_estimate(client, auth, estimate) == accepted


def test_the_client_declines_with_a_reason(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth)
    url = _emailed_url(client, auth, estimate, jobs, mail_sink)
    _response, text = _answer(client, url, "decline", data={"reason": "  Too expensive <for now>  "})
    assert 'id="declined"' in text and "Too expensive &lt;for now&gt;" in text
    declined = get_estimate(client, auth, estimate)
    assert declined["status"] == "declined" and declined["decline_reason"] == "Too expensive <for now>"
    response, _text = _answer(client, url, "decline", data={"reason": "x" * 2001})
    assert response.status_code == 422


def test_a_cross_site_post_is_refused(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth)
    url = _emailed_url(client, auth, estimate, jobs, mail_sink)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}):
        response, text = _answer(client, url, "accept", headers=headers)
        assert response.status_code == 403 and "nothing was changed" in text
    assert get_estimate(client, auth, estimate)["status"] == "sent"
    response, _text = _answer(client, url, "accept", headers={"Origin": "http://localhost"})
    assert response.status_code == 200 and get_estimate(client, auth, estimate)["status"] == "accepted"


def test_an_expired_estimate_cannot_be_accepted(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth, date=(TODAY - timedelta(days=40)).isoformat(),
                             valid_until=(TODAY - timedelta(days=1)).isoformat())
    url = _emailed_url(client, auth, estimate, jobs, mail_sink)
    page = client.get(page_path(url)).get_data(as_text=True)
    assert 'id="expired"' in page and "Accept estimate" not in page
    response, text = _answer(client, url, "accept")
    assert response.status_code == 409 and "can no longer be accepted" in text
    response, _text = _answer(client, url, "decline")
    assert response.status_code == 200 and get_estimate(client, auth, estimate)["status"] == "expired"


def test_concurrent_accept_and_decline_record_one_answer(app, client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth)
    path = page_path(_emailed_url(client, auth, estimate, jobs, mail_sink))
    responses = at_once(app, *[lambda http: http.post(path + "/accept"), lambda http: http.post(path + "/decline")] * 3)
    assert {r.status_code for r in responses} == {200}
    final = get_estimate(client, auth, estimate)
    assert final["status"] in ("accepted", "declined")
    shown = {("accepted" if 'id="accepted"' in r.get_data(as_text=True) else "declined") for r in responses}
    assert shown == {final["status"]}  # every answer after the first shows the first


def test_wrong_tokens_and_invoice_tokens_are_a_plain_404_page(client, auth, jobs, mail_sink):
    for path in ("/e/" + "A" * 43, "/e/short", "/e/" + "A" * 43 + "/accept"):
        response = client.post(path) if path.endswith("accept") else client.get(path)
        assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    invoice_url = expect(client.post(f"/api/invoices/{_sent_invoice(client, auth)}/public-link", headers=auth))["url"]
    assert client.get(page_path(invoice_url).replace("/i/", "/e/")).status_code == 404


def _sent_invoice(client, auth):
    from tests.factories import make_invoice

    return make_invoice(client, auth, status="sent")["_id"]


def test_accepting_makes_the_estimate_convertible(client, auth, jobs, mail_sink):
    estimate = make_estimate(client, auth, payment_terms="Net 30")
    _answer(client, _emailed_url(client, auth, estimate, jobs, mail_sink), "accept")
    invoice = expect(client.post(f"/api/estimates/{estimate['_id']}/convert", json={}, headers=auth))
    assert invoice["total"] == 99.99 and invoice["status"] == "draft"


def test_sending_and_answering_are_webhook_events(client, auth, jobs, mail_sink):
    from tests.factories import make_webhook
    from tests.webhook_receiver import WebhookReceiver

    with WebhookReceiver() as receiver:
        make_webhook(client, auth, receiver.url, events=["estimate.sent", "estimate.accepted", "estimate.declined"])
        accepted = make_estimate(client, auth)
        _answer(client, _emailed_url(client, auth, accepted, jobs, mail_sink), "accept")
        declined = make_estimate(client, auth, status="declined")
        jobs.run()
        events = sorted((r.json["type"], r.json["data"]["_id"]) for r in receiver.requests)
    assert events == sorted([("estimate.sent", accepted["_id"]), ("estimate.accepted", accepted["_id"]),
                             ("estimate.sent", declined["_id"]), ("estimate.declined", declined["_id"])])


@pytest.fixture
def german_email(client, auth, jobs, mail_sink):
    """The e-mail of an estimate from "Studio Nord" to a German client, valid until 2099-06-30."""
    update_settings(client, auth, business_name="Studio Nord")
    acme = make_client(client, auth, name="Acme GmbH", email="einkauf@acme.de", language="de")
    estimate = make_estimate(client, auth, client_id=acme["_id"], currency="EUR", valid_until="2099-06-30")
    send_estimate(client, auth, estimate)
    jobs.run()
    [(_sender, _recipients, email)] = mail_sink.received
    return email


def test_a_german_client_gets_the_estimate_e_mail_and_pdf_in_german(german_email):
    email = german_email
    assert email["Subject"] == "Angebot EST-00001 von Studio Nord"
    text = email.get_body(("plain",)).get_content()
    assert "Hallo Acme GmbH," in text and "anbei erhalten Sie das Angebot EST-00001 von Studio Nord." in text
    assert "Gültig bis: 30. Juni 2099" in text and "Das Angebot ist als PDF angehängt." in text
    [attachment] = list(email.iter_attachments())
    pdf_text = PdfReader(BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "ANGEBOT" in pdf_text and "30. Juni 2099" in pdf_text


def test_the_page_of_a_german_client_is_in_german(client, german_email):
    [url] = URL.findall(german_email.get_body(("plain",)).get_content())
    body = client.get(page_path(url)).get_data(as_text=True)
    for text in ("Angebot EST-00001 von Studio Nord", "Erstellt für", "Wartet auf Ihre Antwort", "30. Juni 2099",
                 "Angebot annehmen", "Angebot ablehnen", "Grund der Ablehnung (optional)", "PDF herunterladen"):
        assert text in body, text
    assert 'lang="de"' in body


def test_the_page_carries_the_accounts_logo_and_colour_from_our_origin(client, auth, jobs, mail_sink):
    send_estimate(client, auth, make_estimate(client, auth))
    jobs.run()
    [(_sender, _recipients, email)] = mail_sink.received
    path = page_path(URL.findall(email.get_body(("plain",)).get_content())[0])
    assert 'id="logo"' not in client.get(path).get_data(as_text=True)
    assert client.get(f"{path}/logo").status_code == 404
    upload_logo(client, auth)
    update_settings(client, auth, accent_color="#aa3300")
    page = client.get(path).get_data(as_text=True)
    assert f'src="{path}/logo"' in page and f'<link rel="stylesheet" href="{path}/brand.css">' in page
    assert client.get(f"{path}/logo").status_code == 200
    assert client.get(f"{path}/brand.css").get_data(as_text=True) == ":root{--accent:#AA3300}\n"

"""The HTML signing page /c/<token> and its forms, through HTTP (the browser tests are in
test_signing_page_browser.py), and the e-mails: the signing link and the signed copies, sent by
the job worker to the real SMTP sink."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from orbix.platform.security_headers import PAGE_CSP
from tests.documents import pdf_text
from tests.factories import (
    assert_error_shape,
    contract_events,
    countersign,
    expect,
    make_client,
    make_contract,
    send_contract,
    signing_token,
    update_settings,
    upload_logo,
)

FORM = {"name": "Grace Hopper", "email": "billing@acme.io", "agree": "yes"}
REFUSAL = {"name": "Grace Hopper", "email": "billing@acme.io", "reason": "Not this year."}


def page(link):
    return f"/c/{signing_token(link)}"


def post(client, link, step, form, **headers):
    return client.post(f"{page(link)}/{step}", data=form, headers={"User-Agent": "pytest-page", **headers})


def html(response):
    return response.get_data(as_text=True)


@pytest.fixture
def sent(client, auth):
    contract = make_contract(client, auth)
    return contract, send_contract(client, auth, contract["_id"])


def test_the_pdf_is_there_only_once_signed(client, sent):
    _contract, link = sent
    assert client.get(f"{page(link)}/pdf").status_code == 404


def test_the_page_shows_parties_text_and_hash_with_the_strict_csp(client, auth, sent):
    contract, link = sent
    response = client.get(page(link))
    body = html(response)
    assert response.status_code == 200 and response.headers["Content-Security-Policy"] == PAGE_CSP
    assert response.headers["Cache-Control"] == "no-store" and "<script" not in body
    stored = expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)
    assert "Website build" in body and "Build the thing." in body and stored["content_sha256"] in body
    assert "Ada Lovelace" in body and "Acme Ltd" in body and 'action="/c/' in body
    assert stored["viewed_at"] is not None


def test_views_are_events_and_viewed_at_keeps_the_first(client, auth, sent):
    contract, link = sent
    client.get(page(link))
    first = expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["viewed_at"]
    client.get(page(link))
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["viewed_at"] == first
    types = [event["type"] for event in contract_events(client, auth, contract["_id"])]
    assert types == ["created", "sent", "viewed", "viewed"]


def test_signing_with_the_form_shows_the_signed_page_then_already_signed(client, auth, sent):
    contract, link = sent
    response = post(client, link, "sign", {**FORM, "timezone": "Europe/Paris"})
    assert response.status_code == 200 and 'id="signed"' in html(response) and "Grace Hopper" in html(response)
    stored = expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)
    assert stored["status"] == "signed" and stored["signed_by"]["user_agent"] == "pytest-page"
    assert stored["signed_by"]["timezone"] == "Europe/Paris"
    again = client.get(page(link))
    assert again.status_code == 200 and 'id="already-signed"' in html(again) and "<form" not in html(again)
    assert 'href="/c/' in html(again) and "Download the signed PDF" in html(again)
    pdf = client.get(f"{page(link)}/pdf")
    assert "attachment" in pdf.headers["Content-Disposition"]
    assert "Audit certificate" in pdf_text(pdf) and "Grace Hopper" in pdf_text(pdf)
    second = post(client, link, "sign", {**FORM, "name": "Second Signer"})
    assert 'id="already-signed"' in html(second)
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["signed_by"]["name"] == (
        "Grace Hopper")


@pytest.mark.parametrize("form, field", [
    ({**FORM, "agree": ""}, "agree"),
    ({"name": "Grace Hopper", "email": "billing@acme.io"}, "agree"),
    ({**FORM, "name": "  "}, "name"),
    ({**FORM, "email": "nope"}, "email"),
    ({**FORM, "email": "mallory@evil.example"}, "email"),
    ({**FORM, "timezone": "Atlantis/Capital"}, "timezone"),
])
def test_a_bad_form_comes_back_422_with_the_message_and_values(client, auth, sent, form, field):
    contract, link = sent
    response = post(client, link, "sign", form)
    body = html(response)
    assert response.status_code == 422 and f'id="signed-{field}-error"' in body
    assert response.headers["Content-Security-Policy"] == PAGE_CSP
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["status"] == "sent"
    if form.get("email") == "mallory@evil.example":
        assert 'value="mallory@evil.example"' in body


def test_declining_with_the_form(client, auth, sent):
    contract, link = sent
    response = post(client, link, "decline", REFUSAL)
    assert response.status_code == 200 and 'id="declined"' in html(response)
    stored = expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)
    assert stored["status"] == "declined" and stored["declined_by"]["reason"] == "Not this year."
    assert 'id="already-declined"' in html(client.get(page(link)))


def test_a_refusal_without_a_reason_is_422(client, sent):
    _contract, link = sent
    response = post(client, link, "decline", {**REFUSAL, "reason": ""})
    assert response.status_code == 422 and 'id="declined-reason-error"' in html(response)


def test_an_expired_link_shows_the_expired_page(client, auth, sent, db):
    from datetime import datetime, timedelta, timezone

    contract, link = sent
    db.contracts.update_one({}, {"$set": {"signing.expires_at": datetime.now(timezone.utc) - timedelta(seconds=1)}})
    response = client.get(page(link))
    assert response.status_code == 410 and 'id="expired"' in html(response)
    assert post(client, link, "sign", FORM).status_code == 410
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["status"] == "expired"


@pytest.mark.parametrize("step", ["cancelled", "draft"])
def test_a_withdrawn_link_is_the_404_page(client, auth, sent, step):
    contract, link = sent
    expect(client.put(f"/api/contracts/{contract['_id']}", json={"status": step}, headers=auth), 200)
    for response in (client.get(page(link)), post(client, link, "sign", FORM)):
        assert response.status_code == 404 and "Page not found" in html(response)


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 500])
def test_wrong_tokens_are_the_404_page(client, token):
    response = client.get(f"/c/{token}")
    assert response.status_code == 404 and response.headers["Content-Security-Policy"] == PAGE_CSP
    assert client.post(f"/c/{token}/sign", data=FORM).status_code == 404


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}])
def test_a_post_from_another_site_is_refused(client, auth, sent, headers):
    contract, link = sent
    response = post(client, link, "sign", FORM, **headers)
    assert response.status_code == 403 and 'id="refused"' in html(response)
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["status"] == "sent"


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "null"},
                                     {"Origin": "http://localhost"}])
def test_a_post_from_the_page_itself_is_accepted(client, sent, headers):
    _contract, link = sent
    assert post(client, link, "sign", FORM, **headers).status_code == 200


def test_send_with_to_and_message_emails_a_working_link(client, auth, jobs, mail_sink, db):
    update_settings(client, auth, business_name="Lovelace Analytics")
    contract = make_contract(client, auth)
    link = send_contract(client, auth, contract["_id"], to=["grace@navy.example"], message="Please sign <today>.")
    assert link["message"]["status"] == "queued" and link["message"]["to"] == ["grace@navy.example"]
    stored = db.messages.find_one({})
    assert "/c/" not in stored["text"] and "/c/" not in stored["html"]  # the link is made by the job
    jobs.run()
    [(_sender, recipients, email)] = mail_sink.received
    assert recipients == ["grace@navy.example"] and email["Subject"] == "Please sign: Website build"
    text = email.get_body(("plain",)).get_content()
    assert "Please sign <today>." in text and "Please sign &lt;today&gt;." in email.get_body(("html",)).get_content()
    url = next(word for word in text.split() if "/c/" in word)
    assert url != link["signing_url"] and url.startswith("http://localhost/c/")
    form = {**FORM, "email": "grace@navy.example"}
    assert 'id="signed"' in html(client.post(url.replace("http://localhost", "") + "/sign", data=form))


def test_a_signing_email_of_a_withdrawn_round_is_cancelled(client, auth, jobs, mail_sink, db):
    contract = make_contract(client, auth)
    send_contract(client, auth, contract["_id"], message="Here it is.")
    send_contract(client, auth, contract["_id"])  # a new round before the job ran
    jobs.run()
    assert mail_sink.received == [] and db.messages.find_one({})["status"] == "cancelled"


def test_send_with_to_but_no_mail_settings_writes_nothing(client, auth, app):
    contract = make_contract(client, auth)
    app.config["MAIL_FROM"] = None
    try:
        response = client.post(f"/api/contracts/{contract['_id']}/send", json={"message": "Hi"}, headers=auth)
    finally:
        app.config["MAIL_FROM"] = "Orbix <invoices@orbix.test>"
    assert_error_shape(response, 503)
    assert expect(client.get(f"/api/contracts/{contract['_id']}", headers=auth), 200)["status"] == "draft"


def test_a_client_without_email_needs_to(client, auth, db):
    contract = make_contract(client, auth)
    db.clients.update_one({}, {"$unset": {"email": ""}})  # clients made before e-mail was required
    response = client.post(f"/api/contracts/{contract['_id']}/send", json={"message": "Hi"}, headers=auth)
    assert "to" in assert_error_shape(response, 422)["errors"]["json"]


def test_after_the_last_signature_both_parties_get_the_signed_pdf(client, auth, user, jobs, mail_sink):
    contract = make_contract(client, auth, countersign_required=True)
    link = send_contract(client, auth, contract["_id"])
    post(client, link, "sign", FORM)
    jobs.run()
    assert mail_sink.received == []  # partially signed: nothing yet
    expect(countersign(client, auth, contract["_id"]), 200)
    jobs.run()
    assert sorted(recipients[0] for _s, recipients, _e in mail_sink.received) == sorted(
        ["billing@acme.io", user["email"]])
    for _sender, _recipients, email in mail_sink.received:
        assert email["Subject"] == "Signed: Website build"
        [attachment] = list(email.iter_attachments())
        reader = PdfReader(BytesIO(attachment.get_content()))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert "Audit certificate" in text and "Countersigned" in text and "pytest-page" in text


def test_a_german_client_is_asked_to_sign_and_thanked_in_german_the_freelancer_in_english(
        client, auth, user, jobs, mail_sink):
    update_settings(client, auth, business_name="Studio Nord")
    kunde = make_client(client, auth, name="Acme GmbH", email="billing@acme.io", language="de")
    contract = make_contract(client, auth, client_id=kunde["_id"])
    link = send_contract(client, auth, contract["_id"], to=["billing@acme.io"])
    jobs.run()
    [(_sender, _recipients, email)] = mail_sink.received
    assert email["Subject"] == "Bitte unterschreiben: Website build"
    text = email.get_body(("plain",)).get_content()
    assert "Studio Nord hat Ihnen „Website build“ zur Unterschrift gesendet." in text
    assert "Hier lesen und unterschreiben:" in text and "SHA-256 des Textes:" in text
    mail_sink.clear()
    post(client, link, "sign", FORM)
    jobs.run()
    subjects = {recipients[0]: email["Subject"] for _s, recipients, email in mail_sink.received}
    assert subjects == {"billing@acme.io": "Unterschrieben: Website build", user["email"]: "Signed: Website build"}


def test_the_pdf_of_a_german_clients_contract_is_worded_and_formatted_in_german(client, auth):
    kunde = make_client(client, auth, name="Acme GmbH", email="billing@acme.io", language="de")
    contract = make_contract(client, auth, client_id=kunde["_id"])
    link = send_contract(client, auth, contract["_id"])
    post(client, link, "sign", FORM)
    text = pdf_text(client.get(f"/api/contracts/{contract['_id']}/pdf", headers=auth))
    assert "Wert: 4.800,50" in text and "Beginn: 1. März 2026" in text and "Seite 2/2" in text
    assert "Partei B: Acme GmbH" in text and "Protokoll der elektronischen Unterschrift" in text
    assert "Unterschrieben von:" in text and "Party B" not in text


def test_the_signing_and_result_pages_carry_the_accounts_logo_and_colour_from_our_origin(client, auth):
    upload_logo(client, auth)
    update_settings(client, auth, accent_color="#aa3300")
    link = send_contract(client, auth, make_contract(client, auth)["_id"])
    path = "/c/" + signing_token(link)
    page = html(client.get(path))
    assert f'src="{path}/logo"' in page and f'<link rel="stylesheet" href="{path}/brand.css">' in page
    assert client.get(f"{path}/logo").mimetype == "image/png"
    css = client.get(f"{path}/brand.css")
    assert css.get_data(as_text=True) == ":root{--accent:#AA3300}\n"
    assert css.headers["Content-Security-Policy"] == PAGE_CSP
    signed = html(post(client, link, "sign", FORM))
    assert f'src="{path}/logo"' in signed and f'href="{path}/brand.css"' in signed
    assert [client.get("/c/" + "A" * 43 + suffix).status_code for suffix in ("/logo", "/brand.css")] == [404, 404]


def test_a_german_client_signs_on_a_german_page(client, auth):
    kunde = make_client(client, auth, name="Acme GmbH", email="billing@acme.io", language="de")
    link = send_contract(client, auth, make_contract(client, auth, client_id=kunde["_id"])["_id"])
    page = html(client.get("/c/" + signing_token(link)))
    assert 'lang="de"' in page and "Unterschreiben: Website build" in page
    for text in ("Wartet auf Ihre Unterschrift", "Partei A", "Partei B", "Der Vertrag", "Vollständiger Name",
                 "Ich habe diesen Vertrag gelesen und stimme ihm zu", "Unterschrift ablehnen",
                 "4.800,50\u00a0€", "1. März 2026"):
        assert text in page, text
    signed = html(post(client, link, "sign", FORM))
    assert "Vielen Dank, Grace Hopper: Sie haben diesen Vertrag am" in signed and ">Unterschrieben<" in signed
    assert "Unterschriebenes PDF herunterladen" in signed

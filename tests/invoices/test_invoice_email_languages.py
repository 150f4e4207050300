"""Invoice e-mails in the client's language: subject, greeting, wording, money and dates as
Babel writes them for the client's locale, read from the real SMTP server."""

from io import BytesIO

from pypdf import PdfReader

from tests.factories import make_client, make_invoice, make_payment, send_invoice, update_settings

NBSP, NNBSP = "\u00a0", "\u202f"


def _sent(client, auth, jobs, mail_sink, language, locale=None, **body):
    """Send a EUR invoice of 1,234.50 due 2026-11-28 to a client in ``language``; the e-mail received."""
    update_settings(client, auth, business_name="Studio Nord")
    fields = {"language": language, **({"locale": locale} if locale else {})}
    acme = make_client(client, auth, name="Acme", **fields)
    invoice = make_invoice(client, auth, client_id=acme["_id"], currency="EUR", date="2026-11-20",
                           due_date="2026-11-28", items=[{"description": "Design", "quantity": 1, "rate": 1234.5}])
    send_invoice(client, auth, invoice, **body)
    jobs.run()
    [(_sender, _recipients, email)] = mail_sink.received
    mail_sink.clear()
    return invoice, email


def _bodies(email):
    """(text, html) with plain line ends (SMTP carries CRLF)."""
    return tuple(email.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))


def test_a_german_client_gets_a_german_invoice_email(client, auth, jobs, mail_sink):
    invoice, email = _sent(client, auth, jobs, mail_sink, "de", "de_DE")
    number = invoice["invoice_number"]
    assert email["Subject"] == f"Rechnung {number} von Studio Nord"
    text, html = _bodies(email)
    assert text.startswith(f"Hallo Acme,\n\nanbei erhalten Sie die Rechnung {number} von Studio Nord.\n")
    for expected in (f"Rechnung: {number}", f"Fälliger Betrag: 1.234,50{NBSP}€", "Fälligkeitsdatum: 28. November 2026",
                     "Online ansehen: http://localhost/i/", "Die Rechnung ist als PDF angehängt.",
                     "Vielen Dank und freundliche Grüße\nStudio Nord"):
        assert expected in text, expected
    assert '<html lang="de">' in html and f"1.234,50{NBSP}€" in html and f"Rechnung {number} online ansehen" in html
    assert "Gesendet von Studio Nord mit Orbix." in html and "Hello" not in text + html
    [attachment] = list(email.iter_attachments())
    pdf = PdfReader(BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "RECHNUNG" in pdf and "28. November 2026" in pdf


def test_a_french_client_gets_french_wording_and_french_number_spacing(client, auth, jobs, mail_sink):
    invoice, email = _sent(client, auth, jobs, mail_sink, "fr")
    number = invoice["invoice_number"]
    assert email["Subject"] == f"Facture {number} de Studio Nord"
    text, _html = _bodies(email)
    # Babel's fr_FR: a narrow no-break space groups thousands, a no-break space precedes € (and our colons)
    assert f"Montant dû{NBSP}: 1{NNBSP}234,50{NBSP}€" in text
    assert f"Date d'échéance{NBSP}: 28 novembre 2026" in text and text.startswith("Bonjour Acme,")
    make_payment(client, auth, invoice, 1234.5)
    jobs.run()
    [(_sender, _recipients, thanks)] = mail_sink.received
    assert thanks["Subject"] == f"Merci pour votre paiement de la facture {number}"
    thanks_text, _html = _bodies(thanks)
    assert (f"Nous avons bien reçu la totalité du montant, soit 1{NNBSP}234,50{NBSP}€, et plus rien n'est dû"
            in thanks_text) and "Cordialement,\nStudio Nord" in thanks_text


def test_the_users_own_message_is_kept_and_the_rest_is_translated(client, auth, jobs, mail_sink):
    _invoice, email = _sent(client, auth, jobs, mail_sink, "es", message="Gracias por el proyecto.")
    text, _html = _bodies(email)
    assert text.startswith("Hola, Acme:\n\nGracias por el proyecto.\n") and f"Importe a pagar: 1.234,50{NBSP}€" in text
    assert "Fecha de vencimiento: 28 de noviembre de 2026" in text


def test_swahili_and_portuguese_subjects(client, auth, jobs, mail_sink):
    invoice, email = _sent(client, auth, jobs, mail_sink, "sw")
    assert email["Subject"] == f"Ankara {invoice['invoice_number']} kutoka Studio Nord"
    assert "Tarehe ya mwisho ya malipo: 28 Novemba 2026" in _bodies(email)[0]
    invoice, email = _sent(client, auth, jobs, mail_sink, "pt")
    assert email["Subject"] == f"Fatura {invoice['invoice_number']} de Studio Nord"
    assert f"Valor a pagar: €{NBSP}1.234,50" in _bodies(email)[0]  # pt_BR, Babel's default Portuguese

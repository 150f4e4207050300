"""Reminders in the client's language: subject and sentence per situation, with the amount
and the due date as the client's locale writes them."""

from tests.factories import long_date, make_client, make_invoice

from .conftest import day, in_days

NBSP = "\u00a0"


def _texts(mail_sink):
    return [(email["Subject"], email.get_body(("plain",)).get_content().replace("\r\n", "\n"))
            for _sender, _recipients, email in mail_sink.received]


def test_a_german_client_is_reminded_in_german(client, auth, remind, mail_sink):
    acme = make_client(client, auth, language="de", locale="de_AT")
    invoice = make_invoice(client, auth, client_id=acme["_id"], status="sent", currency="EUR", due_date=in_days(5),
                           items=[{"description": "Design", "quantity": 1, "rate": 1234.5}])
    number, due = invoice["invoice_number"], long_date(invoice["due_date"], "de_AT")
    remind(day(2))  # three days before
    remind(day(5))  # the due date
    remind(day(12))  # a week late
    [(upcoming, upcoming_text), (today, _today_text), (late, late_text)] = _texts(mail_sink)
    assert upcoming == f"Zahlungserinnerung: Rechnung {number} ist am {due} fällig"
    assert (f"wir möchten Sie freundlich daran erinnern, dass die Rechnung {number} über €{NBSP}1.234,50 in 3 Tagen, "
            f"am {due}, fällig ist.") in upcoming_text
    assert today == f"Zahlungserinnerung: Rechnung {number} ist heute fällig ({due})"
    assert late == f"Zahlungserinnerung: Rechnung {number} war am {due} fällig"
    assert f"war die Rechnung {number} am {due} fällig (vor 7 Tagen), und €{NBSP}1.234,50 sind noch offen." in late_text
    assert "Mit freundlichen" not in late_text and late_text.rstrip().endswith("Freundliche Grüße\nAda Lovelace")

"""Credit notes and void invoices in the reports: a credit note is negative in its own period
(revenue's ``credited``, the clients report's ``invoiced``), a void invoice counts nowhere."""

from datetime import date

from tests.factories import expect, make_client, make_credit_note, make_invoice, make_payment

TODAY = date.today().isoformat()
WINDOW = f"from={TODAY}&to={TODAY}"


def get(client, auth, path):
    return expect(client.get(path, headers=auth), 200)


def test_credit_notes_are_negative_in_their_period_and_void_invoices_count_nowhere(client, auth):
    acme = make_client(client, auth, name="Acme", currency="USD")["_id"]
    credited = make_invoice(client, auth, client_id=acme, status="sent", date=TODAY)  # 100
    make_payment(client, auth, credited, 40, date=TODAY)
    make_credit_note(client, auth, credited, items=[{"description": "Refund", "quantity": 1, "rate": 25}],
                     reason="Late delivery", date=TODAY)
    make_invoice(client, auth, client_id=acme, status="void", date=TODAY)  # 100, void

    revenue = get(client, auth, f"/api/reports/revenue?{WINDOW}&group=day")
    assert revenue["total"] == {"USD": 40} and revenue["credited"] == {"USD": -25}
    assert [(p["received"], p["credited"]) for p in revenue["periods"]] == [({"USD": 40}, {"USD": -25})]

    [row] = get(client, auth, f"/api/reports/clients?{WINDOW}")["clients"]
    assert (row["invoiced"], row["credited"], row["paid"], row["outstanding"]) == (
        {"USD": 75}, {"USD": -25}, {"USD": 40}, {"USD": 35})

    dashboard = get(client, auth, "/api/dashboard")
    assert dashboard["outstanding"] == {"USD": 35}
    aging = get(client, auth, f"/api/reports/aging?as_of={TODAY}")
    assert aging["total"] == {"USD": 35}


def test_a_credit_note_outside_the_window_leaves_it_alone(client, auth):
    acme = make_client(client, auth, currency="USD")["_id"]
    invoice = make_invoice(client, auth, client_id=acme, status="sent", date="2025-01-10", due_date="2025-02-10")
    make_credit_note(client, auth, invoice, full=True, reason="Cancelled", date="2025-03-05")
    january = get(client, auth, "/api/reports/clients?from=2025-01-01&to=2025-01-31")["clients"][0]
    assert (january["invoiced"], january["credited"]) == ({"USD": 100}, {})
    march = get(client, auth, "/api/reports/revenue?from=2025-01-01&to=2025-03-31&group=month")
    assert [p["credited"] for p in march["periods"]] == [{}, {}, {"USD": -100}]

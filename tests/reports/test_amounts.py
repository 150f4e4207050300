"""Billed values in the reports: each entry rounded half-up to its currency's minor unit, in
integers (``money.bill_minor``), exactly as the time-entry list's Decimal amounts."""

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from tests.factories import expect, make_client
from tests.reports.records import add_entry

UTC = timezone.utc
DAY = datetime(2025, 5, 5, 9, tzinfo=UTC)
WINDOW = {"from": "2025-05-01", "to": "2025-05-31"}


def hours_total(client, auth):
    return expect(client.get("/api/reports/hours", query_string={**WINDOW, "group": "client"}, headers=auth), 200)[
        "total"
    ]


def test_each_entry_is_rounded_half_up_in_its_currencys_minor_unit(client, auth, user, db):
    usd = make_client(client, auth, name="Dollars", currency="USD", default_hourly_rate=1)["_id"]
    jpy = make_client(client, auth, name="Yen", currency="JPY", default_hourly_rate=33.3333)["_id"]
    kwd = make_client(client, auth, name="Dinars", currency="KWD", default_hourly_rate=12.3456)["_id"]
    clf = make_client(client, auth, name="Unidades", currency="CLF", default_hourly_rate=0.0001)["_id"]
    add_entry(db, user, DAY, 18 / 3600, usd)  # 0.005 -> 0.01 (a tie, rounded up)
    add_entry(db, user, DAY, 54 / 3600, usd)  # 0.015 -> 0.02 (together, 72 s would be 0.02)
    add_entry(db, user, DAY, 1.5, jpy)  # 49.99995 -> 50
    add_entry(db, user, DAY, 0.25, kwd)  # 3.0864 -> 3.086
    add_entry(db, user, DAY, 0.5, clf)  # 0.00005 -> 0.0001 (a tie)
    add_entry(db, user, DAY, 0.5, clf, billable=False)
    assert hours_total(client, auth)["value"] == {"CLF": 0.0001, "JPY": 50, "KWD": 3.086, "USD": 0.03}


def test_report_values_equal_the_sum_of_the_entries_amounts_for_every_rate_source(client, auth, user, db):
    expect(client.patch("/api/auth/me", json={"settings": {"default_hourly_rate": 41.67, "default_currency": "KWD"}},
                       headers=auth), 200)
    clients = [
        make_client(client, auth, currency=currency, default_hourly_rate=rate)["_id"]
        for currency, rate in (("JPY", 33.3333), ("EUR", None), ("CLF", 12.3457), ("USD", 110.5))
    ]
    seconds = (1, 59, 61, 899, 1799, 1800, 3599, 5400, 86399, 123457)
    own_rates = (None, 0, 0.0001, 0.05, 12.345, 33.3333)
    for count in range(len(seconds) * len(own_rates)):
        owner = (clients + [None])[count % 5]
        add_entry(db, user, DAY + timedelta(minutes=count), seconds[count % len(seconds)] / 3600, owner,
                  rate=own_rates[count % len(own_rates)], billable=count % 7 != 0)
    add_entry(db, user, DAY, 10**5, clients[3], rate=10**9)  # 3.6e8 s x 1e13 stored: past the integer shortcut
    expected = defaultdict(Decimal)
    for entry in expect(client.get("/api/time-tracking", query_string=WINDOW, headers=auth), 200):
        expected[entry["currency"]] += Decimal(str(entry["amount"]))
    value = hours_total(client, auth)["value"]
    assert {code: Decimal(str(amount)) for code, amount in value.items()} == {
        code: amount for code, amount in expected.items() if amount
    }
    assert value["USD"] > 10**14 and set(value) == {"JPY", "CLF", "USD", "KWD", "EUR"}

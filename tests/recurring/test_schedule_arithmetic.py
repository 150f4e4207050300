"""When recurring invoices run: month ends, leap years, quarters, intervals, day of the month,
count and end date, read through GET /api/recurring-invoices/{id}/preview (start dates in the
future, so the answers do not depend on today)."""

from datetime import date

import pytest

from orbix.recurring.schedule import Rule
from tests.factories import assert_error_shape, expect, make_recurring, preview_runs


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"start_date": "2031-01-31"}, ["2031-01-31", "2031-02-28", "2031-03-31", "2031-04-30", "2031-05-31"]),
        ({"start_date": "2032-01-31"}, ["2032-01-31", "2032-02-29", "2032-03-31", "2032-04-30", "2032-05-31"]),
        ({"start_date": "2031-01-30"}, ["2031-01-30", "2031-02-28", "2031-03-30", "2031-04-30", "2031-05-30"]),
        (
            {"start_date": "2031-01-31", "day_of_month": "last"},
            ["2031-01-31", "2031-02-28", "2031-03-31", "2031-04-30", "2031-05-31"],
        ),
        (
            {"start_date": "2031-02-10", "day_of_month": "last"},
            ["2031-02-28", "2031-03-31", "2031-04-30", "2031-05-31", "2031-06-30"],
        ),
        (
            {"start_date": "2031-01-20", "day_of_month": 15},
            ["2031-02-15", "2031-03-15", "2031-04-15", "2031-05-15", "2031-06-15"],
        ),
        (
            {"start_date": "2031-01-20", "day_of_month": 15, "interval": 2},
            ["2031-02-15", "2031-04-15", "2031-06-15", "2031-08-15", "2031-10-15"],
        ),
        (
            {"start_date": "2031-11-30", "frequency": "quarterly"},
            ["2031-11-30", "2032-02-29", "2032-05-30", "2032-08-30", "2032-11-30"],
        ),
        (
            {"start_date": "2032-02-29", "frequency": "yearly"},
            ["2032-02-29", "2033-02-28", "2034-02-28", "2035-02-28", "2036-02-29"],
        ),
        (
            {"start_date": "2031-03-31", "frequency": "yearly", "interval": 2},
            ["2031-03-31", "2033-03-31", "2035-03-31", "2037-03-31", "2039-03-31"],
        ),
        (
            {"start_date": "2031-01-01", "frequency": "weekly"},
            ["2031-01-01", "2031-01-08", "2031-01-15", "2031-01-22", "2031-01-29"],
        ),
        (
            {"start_date": "2031-12-24", "frequency": "weekly", "interval": 3},
            ["2031-12-24", "2032-01-14", "2032-02-04", "2032-02-25", "2032-03-17"],
        ),
    ],
)
def test_run_dates(client, auth, rule, expected):
    assert preview_runs(client, auth, make_recurring(client, auth, **rule)) == expected


def test_count_ends_the_schedule_after_that_many_runs(client, auth):
    schedule = make_recurring(client, auth, start_date="2031-01-31", count=3)
    assert preview_runs(client, auth, schedule, count=10) == ["2031-01-31", "2031-02-28", "2031-03-31"]


def test_end_date_is_the_last_day_a_run_may_fall_on(client, auth):
    schedule = make_recurring(client, auth, frequency="weekly", start_date="2031-01-01", end_date="2031-01-29")
    assert preview_runs(client, auth, schedule, count=10) == [
        "2031-01-01", "2031-01-08", "2031-01-15", "2031-01-22", "2031-01-29"]


def test_preview_count_defaults_to_5_and_goes_up_to_100(client, auth):
    schedule = make_recurring(client, auth, frequency="weekly", start_date="2031-01-01")
    runs = preview_runs(client, auth, schedule, count=100)
    assert len(preview_runs(client, auth, schedule)) == 5 and len(runs) == 100
    assert runs[-1] == "2032-11-24"  # 99 weeks after the start
    for bad in ("0", "101", "five"):
        response = client.get(f"/api/recurring-invoices/{schedule['_id']}/preview?count={bad}", headers=auth)
        assert "count" in assert_error_shape(response, 422)["errors"]["query"]


def test_preview_shows_due_dates_and_the_totals_of_each_invoice(client, auth):
    schedule = make_recurring(
        client, auth, start_date="2031-01-31", payment_terms="Net 15", tax_rate=20, currency="EUR",
        items=[{"description": "Retainer", "quantity": 1, "rate": 1000}, {"description": "Hosting", "quantity": 3,
                                                                           "rate": 12.5}],
    )
    first = expect(client.get(f"/api/recurring-invoices/{schedule['_id']}/preview?count=2", headers=auth), 200)
    assert [(run["run_date"], run["due_date"]) for run in first] == [("2031-01-31", "2031-02-15"),
                                                                      ("2031-02-28", "2031-03-15")]
    assert {(run["currency"], run["subtotal"], run["tax"], run["total"]) for run in first} == {
        ("EUR", 1037.5, 207.5, 1245)}
    assert first[0]["period_start"] is None  # only when the project's time is billed


def test_month_arithmetic_is_exact_over_centuries():
    rule = Rule("monthly", date(2000, 1, 31))
    runs = rule.runs(date(2000, 1, 1), 12 * 400 + 1)
    assert runs[-1] == date(2400, 1, 31) and runs[1] == date(2000, 2, 29) and date(2100, 2, 28) in runs
    assert rule.first_on_or_after(date(2100, 3, 1)) == date(2100, 3, 31)
    assert Rule("yearly", date(9998, 6, 1)).runs(date(9998, 1, 1), 5) == [date(9998, 6, 1), date(9999, 6, 1)]
    assert Rule("weekly", date(9999, 12, 20)).runs(date(9999, 1, 1), 5) == [date(9999, 12, 20), date(9999, 12, 27)]


def test_the_period_before_a_run_runs_from_the_previous_run():
    monthly = Rule("monthly", date(2031, 3, 31))
    assert monthly.period_before(date(2031, 3, 31)) == (date(2031, 2, 28), date(2031, 3, 30))
    assert monthly.period_before(date(2031, 4, 30)) == (date(2031, 3, 31), date(2031, 4, 29))
    weekly = Rule("weekly", date(2031, 1, 6), interval=2)
    assert weekly.period_before(date(2031, 1, 20)) == (date(2031, 1, 6), date(2031, 1, 19))


def test_skipping_a_backlog_keeps_the_latest_runs():
    rule = Rule("monthly", date(2020, 1, 1))
    assert rule.skip_to_latest(date(2020, 1, 1), date(2031, 1, 5), 100) == (date(2022, 10, 1), 33)
    assert rule.skip_to_latest(date(2030, 1, 1), date(2031, 1, 5), 100) == (date(2030, 1, 1), 0)

"""The reminder settings of an account and the per-invoice switch, through HTTP."""

from tests.factories import assert_error_shape, expect, get_invoice, make_invoice, update_settings

from .conftest import in_days


def test_new_accounts_remind_on_the_default_schedule_and_thank_clients(client, auth):
    settings = expect(client.get("/api/auth/me", headers=auth), 200)["settings"]
    assert settings["reminder_schedule"] == [-3, 0, 7, 14]
    assert settings["reminders_enabled"] is True and settings["thank_you_enabled"] is True


def test_the_schedule_is_stored_sorted_and_distinct_and_null_restores_the_default(client, auth):
    assert update_settings(client, auth, reminder_schedule=[14, -3, 7, 7, 0, 30, -90, 365])["reminder_schedule"] == [
        -90, -3, 0, 7, 14, 30, 365]
    flat = expect(client.patch("/api/auth/me", json={"reminder_schedule": [5, 1]}, headers=auth), 200)
    assert flat["settings"]["reminder_schedule"] == [1, 5]
    switched = update_settings(client, auth, reminders_enabled=False, thank_you_enabled=False)
    assert [switched[k] for k in ("reminder_schedule", "reminders_enabled", "thank_you_enabled")] == [[1, 5], False,
                                                                                                      False]
    assert update_settings(client, auth, reminder_schedule=[])["reminder_schedule"] == []
    restored = update_settings(client, auth, reminder_schedule=None, reminders_enabled=None)
    assert restored["reminder_schedule"] == [-3, 0, 7, 14] and restored["reminders_enabled"] is True
    assert restored["thank_you_enabled"] is False


def test_bad_schedules_and_switches_are_422_naming_the_setting(client, auth):
    for bad in ([-91], [366], list(range(11)), ["7"], [1.5], [True], "7", [None], list(range(5)) * 21):
        body = assert_error_shape(
            client.put("/api/auth/me", json={"settings": {"reminder_schedule": bad}}, headers=auth), 422)
        assert set(body["errors"]["json"]["settings"]) == {"reminder_schedule"}, bad
    for name in ("reminders_enabled", "thank_you_enabled"):
        body = assert_error_shape(client.put("/api/auth/me", json={"settings": {name: "maybe"}}, headers=auth), 422)
        assert set(body["errors"]["json"]["settings"]) == {name}
    assert update_settings(client, auth)["reminder_schedule"] == [-3, 0, 7, 14]  # nothing was stored


def test_eleven_values_that_collapse_to_ten_are_accepted(client, auth):
    schedule = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0]
    assert update_settings(client, auth, reminder_schedule=schedule)["reminder_schedule"] == list(range(10))


def test_invoices_remind_by_default_and_can_be_created_without_reminders(client, auth):
    on = make_invoice(client, auth)
    off = make_invoice(client, auth, reminders_enabled=False)
    assert on["reminders_enabled"] is True and on["reminders_sent"] == []
    assert off["reminders_enabled"] is False


def test_reminders_can_be_switched_off_on_a_sent_invoice_whose_content_is_frozen(client, auth):
    invoice = make_invoice(client, auth, status="sent", due_date=in_days(10))
    path = f"/api/invoices/{invoice['_id']}"
    switched = expect(client.patch(path, json={"reminders_enabled": False}, headers=auth), 200)
    assert switched["reminders_enabled"] is False and switched["status"] == "sent"
    assert_error_shape(client.patch(path, json={"reminders_enabled": True, "notes": "x"}, headers=auth), 409)
    assert get_invoice(client, auth, invoice)["reminders_enabled"] is False  # the refused request changed nothing
    assert expect(client.put(path, json={"reminders_enabled": True}, headers=auth), 200)["reminders_enabled"] is True
    body = assert_error_shape(client.patch(path, json={"reminders_enabled": None}, headers=auth), 422)
    assert set(body["errors"]["json"]) == {"reminders_enabled"}


def test_another_users_invoice_cannot_be_switched(client, auth, other_auth):
    invoice = make_invoice(client, auth, status="sent")
    assert_error_shape(client.patch(f"/api/invoices/{invoice['_id']}", json={"reminders_enabled": False},
                                    headers=other_auth), 404)
    assert get_invoice(client, auth, invoice)["reminders_enabled"] is True

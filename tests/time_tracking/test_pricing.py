"""A list prices each entry from a rule worked out once per project, client and own rate
(``billing.Pricing``); every field must equal the shared billing rule applied entry by entry."""

import random

from bson import ObjectId

from orbix.common import money, rates
from orbix.time_tracking.billing import Pricing


def _reference(entry, project, client, user):
    rate, source = rates.effective_rate(entry, project, client, user)
    currency = rates.billing_currency(client, user)
    return {"effective_rate": rate, "rate_source": source, "currency": currency,
            "amount": rates.entry_amount(entry, rate, currency)}


def _maybe_rate(rng):
    return rng.choice([None, 0, money.rate_to_store("85.5"), money.rate_to_store("0.0001"), rng.randrange(10**9)])


def test_the_price_of_every_entry_equals_the_billing_rule():
    rng = random.Random(15)
    for user_rate, user_currency in ((None, None), (money.rate_to_store(70), "JPY"), (120_0000, "EUR")):
        user = {"_id": ObjectId(), "settings": {"default_hourly_rate": user_rate, "default_currency": user_currency}}
        clients = {
            ObjectId(): {"default_hourly_rate": _maybe_rate(rng), "currency": rng.choice([None, "USD", "JPY", "BHD"])}
            for _ in range(4)
        }
        projects = {ObjectId(): {"hourly_rate": _maybe_rate(rng), "client_id": rng.choice([None, *clients])}
                    for _ in range(5)}
        pricing = Pricing(user)
        pricing.projects.update(projects)  # what preload would have fetched
        pricing.clients.update(clients)
        for _ in range(2_000):
            project_id = rng.choice([None, *projects])
            client_id = projects[project_id]["client_id"] if project_id else rng.choice([None, *clients])
            entry = {"project_id": project_id, "client_id": client_id, "hourly_rate": _maybe_rate(rng),
                     "duration": rng.choice([0, None, 1, 59, 3600, rng.randrange(10**6), 10**12]),
                     "is_billable": rng.choice([True, False])}
            if rng.random() < 0.1:
                del entry["is_billable"]  # older entries: billable
            expected = _reference(entry, projects.get(project_id), clients.get(client_id), user)
            price = pricing.price(entry)
            assert price == expected, entry
            assert str(price["amount"]) == str(expected["amount"]), entry  # the same places too

"""Tax rate rules and queries, and the copy of a rate's values onto invoice lines.

A rate may be edited, archived or deleted at any time: invoices hold copies, never
references they depend on (``tax_rate_id`` on a line only says where a copy came from)."""

from ..common import lists, money
from ..common.documents import delete_owned, insert_owned, update_owned
from ..common.exceptions import Invalid, unprocessable
from ..common.ownership import get_owned_or_404, owned_by_id
from . import TAX_RATES as COLLECTION
from . import categories
from .schemas import TAX_FIELDS

SORTABLE = {"name", "percent", "created_at", "updated_at"}


def _check(data, location="json"):
    found = categories.problems(data["category"], data["percent"], data.get("exemption_reason"))
    if found:
        raise Invalid(
            "; ".join(f"{name}: {message}" for name, message in found.items()),
            errors={location: {name: [message] for name, message in found.items()}},
        )


def _stored(data):
    return {**data, "percent": money.rate_to_store(data["percent"])} if "percent" in data else dict(data)


def list_rates(user_id, args):
    query = {"user_id": user_id, **lists.text_search(args.get("q"), ("name",))}
    if "archived" in args:
        query["archived"] = args["archived"]
    return lists.find_page(COLLECTION, query, args, SORTABLE)


def get_rate(user_id, rate_id):
    return get_owned_or_404(COLLECTION, rate_id, user_id, "Tax rate")


def create_rate(user_id, data):
    _check(data)
    return insert_owned(COLLECTION, user_id, _stored(data))


def update_rate(user_id, rate_id, changes):
    rate = get_rate(user_id, rate_id)
    merged = {**rate, "percent": money.rate_from_store(rate["percent"]), **changes}
    _check(merged)
    return update_owned(COLLECTION, rate["_id"], user_id, _stored(changes), "Tax rate")


def delete_rate(user_id, rate_id):
    """Invoices keep their copies, so a rate in use may go too."""
    delete_owned(COLLECTION, get_rate(user_id, rate_id)["_id"], user_id, "Tax rate")


def _copied(rate):
    return {"tax_rate_id": rate["_id"], **{name: rate.get(name) for name in TAX_FIELDS},
            "percent": money.rate_from_store(rate["percent"])}


def _inline(tax):
    return {"tax_rate_id": tax.get("tax_rate_id"), **_DEFAULTS, **tax}


_DEFAULTS = {"compound": False, "category": categories.STANDARD, "exemption_reason": None}


def resolve_line_taxes(user_id, items):
    """``items`` (input lines) with each ``taxes`` entry as full values: a ``tax_rate_id`` is
    replaced by a copy of that rate (422 naming the line when it is not yours or archived); the
    names on a line must differ."""
    wanted = {tax["tax_rate_id"] for item in items for tax in item.get("taxes") or () if tax.get("tax_rate_id")}
    rates = owned_by_id(COLLECTION, user_id, list(wanted)) if wanted else {}
    resolved = []
    for index, item in enumerate(items):
        taxes = []
        for tax in item.get("taxes") or ():
            if tax.get("name") is not None:  # written out, or a copy made earlier (a recurring line)
                taxes.append(_inline(tax))
                continue
            rate = rates.get(tax["tax_rate_id"])
            if rate is None:
                unprocessable(f"items.{index}.taxes", "No such tax rate of yours.")
            if rate.get("archived"):
                unprocessable(f"items.{index}.taxes", f"The tax rate {rate['name']!r} is archived.")
            taxes.append(_copied(rate))
        names = [tax["name"].casefold() for tax in taxes]
        if len(set(names)) != len(names):
            unprocessable(f"items.{index}.taxes", "A line has each tax once (the names repeat).")
        resolved.append({**item, "taxes": taxes} if "taxes" in item else item)
    return resolved

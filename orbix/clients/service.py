"""Client rules and queries."""

from ..common import lists
from ..common.documents import delete_owned, insert_owned, update_owned
from ..common.ownership import get_owned_or_404
from ..common.references import refuse_if_referenced

COLLECTION = "clients"
SORTABLE = {"name", "email", "company", "created_at", "updated_at"}
SEARCHABLE = ("name", "email", "company")
# Collections whose documents point at a client through client_id.
REFERRERS = (
    ("invoices", "invoice", "invoices"),
    ("contracts", "contract", "contracts"),
    ("projects", "project", "projects"),
    ("time_entries", "time entry", "time entries"),
)


def list_clients(user_id, args):
    query = {"user_id": user_id, "archived": bool(args.get("archived", False))}
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    return lists.find_page(COLLECTION, query, args, SORTABLE)


def create_client(user_id, data):
    return insert_owned(COLLECTION, user_id, data)


def get_client(user_id, client_id):
    return get_owned_or_404(COLLECTION, client_id, user_id, "Client")


def update_client(user_id, client_id, changes):
    client = get_client(user_id, client_id)
    return update_owned(COLLECTION, client["_id"], user_id, changes, "Client")


def delete_client(user_id, client_id):
    client = get_client(user_id, client_id)
    refuse_if_referenced(user_id, "client_id", client["_id"], REFERRERS, "Client")
    delete_owned(COLLECTION, client["_id"], user_id, "Client")

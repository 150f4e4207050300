"""Client rules and queries."""

from ..common import lists
from ..common.documents import delete_owned, insert_owned, update_owned
from ..common.ownership import get_owned_or_404
from ..db import collection
from ..errors import conflict

COLLECTION = "clients"
SORTABLE = {"name", "email", "company", "created_at", "updated_at"}
SEARCHABLE = ("name", "email", "company")
# Collections whose documents point at a client through client_id.
REFERRERS = (("invoices", "invoice"), ("contracts", "contract"), ("projects", "project"))


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


def references_to(user_id, client_id):
    """Human list of what refers to a client, e.g. ['2 invoices', '1 project']."""
    found = []
    for name, noun in REFERRERS:
        count = collection(name).count_documents({"user_id": user_id, "client_id": client_id}, limit=1000)
        if count:
            found.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return found


def delete_client(user_id, client_id):
    client = get_client(user_id, client_id)
    refs = references_to(user_id, client["_id"])
    if refs:
        conflict(f"Client is referenced by {', '.join(refs)}; archive it instead (PATCH archived=true)")
    delete_owned(COLLECTION, client["_id"], user_id, "Client")

"""Client rules and queries; the functions other packages use to read clients."""

from ..common import lists
from ..common.documents import insert_owned, update_owned
from ..common.ownership import find_owned, get_owned_or_404, owned_by_id, require_owned_reference
from ..common.references import delete_unreferenced, still_referable
from ..contracts import CONTRACTS
from ..db import collection
from ..estimates import ESTIMATES
from ..expenses import EXPENSES
from ..invoices import INVOICES
from ..projects import PROJECTS
from ..recurring import RECURRING_INVOICES
from ..time_tracking import TIME_ENTRIES
from ..webhooks import events
from . import CLIENTS
from .schemas import ClientSchema

COLLECTION = CLIENTS
SORTABLE = {"name", "email", "company", "created_at", "updated_at"}
SEARCHABLE = ("name", "email", "company")
# Collections whose documents point at a client through client_id (counted, never changed).
REFERRERS = (
    (INVOICES, "invoice", "invoices"),
    (CONTRACTS, "contract", "contracts"),
    (PROJECTS, "project", "projects"),
    (TIME_ENTRIES, "time entry", "time entries"),
    (RECURRING_INVOICES, "recurring invoice", "recurring invoices"),
    (EXPENSES, "expense", "expenses"),
    (ESTIMATES, "estimate", "estimates"),
)


def find_client(user_id, client_id, projection=None):
    """The caller's client, or None (missing, malformed id or someone else's)."""
    return find_owned(COLLECTION, client_id, user_id, projection)


def require_client(user_id, client_id, field="client_id", projection=None):
    """The caller's client named by a body field; 422 naming the field otherwise (None stays None)."""
    return require_owned_reference(COLLECTION, client_id, user_id, field, "client", projection)


def clients_by_id(user_id, ids, projection=None):
    """{id: client} for the caller's clients among ``ids`` (one query)."""
    return owned_by_id(COLLECTION, user_id, ids, projection)


def client_names(user_id):
    """{id: name} of all the caller's clients (CSV exports)."""
    return {doc["_id"]: doc.get("name") for doc in collection(COLLECTION).find({"user_id": user_id}, {"name": 1})}


def list_clients(user_id, args):
    query = {"user_id": user_id, "archived": bool(args.get("archived", False))}
    query.update(lists.text_search(args.get("q"), SEARCHABLE))
    return lists.find_page(COLLECTION, query, args, SORTABLE)


def create_client(user_id, data):
    client = insert_owned(COLLECTION, user_id, data)
    events.emit(user_id, "client.created", ClientSchema().dump(client))
    return client


def get_client(user_id, client_id):
    return get_owned_or_404(COLLECTION, client_id, user_id, "Client")


def update_client(user_id, client_id, changes):
    client = get_client(user_id, client_id)
    return update_owned(COLLECTION, client["_id"], user_id, changes, "Client")


def delete_client(user_id, client_id):
    client = get_client(user_id, client_id)
    delete_unreferenced(COLLECTION, client["_id"], user_id, "client_id", REFERRERS, "Client")


def client_stands(client_id):
    """Whether a client just referenced still stands (not deleted or being deleted)."""
    return client_id is None or still_referable(COLLECTION, client_id)

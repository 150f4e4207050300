"""Webhook endpoints (create, read, list, update, delete, rotate the secret) and their
delivery log (list, read one, redeliver, ping)."""

import orjson

from ..common import lists
from ..common.documents import delete_owned, insert_owned, update_owned
from ..common.exceptions import conflict, not_found, unprocessable
from ..common.ownership import get_owned_or_404, parse_id
from ..common.timeutil import utcnow
from ..db import collection
from . import WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS, catalogue, delivery, signing, targets

MAX_ENDPOINTS = 25
SORTABLE = {"created_at", "updated_at", "url"}
DELIVERY_SORTABLE = {"created_at", "updated_at", "next_attempt_at"}
HIDDEN = {"secret": 0}  # shown on create and rotation only
DELIVERY_LIST_PROJECTION = {"body": 0}


def _checked_url(url, allow_private):
    try:
        targets.resolve(url, allow_private)
    except targets.Refused as exc:
        unprocessable("url", str(exc))
    return url


def _hidden(doc):
    return {key: value for key, value in doc.items() if key not in HIDDEN}


def list_endpoints(user_id, args):
    query = {"user_id": user_id}
    if "active" in args:
        query["active"] = args["active"]
    query.update(lists.text_search(args.get("q"), ("url", "description")))
    return lists.find_page(WEBHOOK_ENDPOINTS, query, args, SORTABLE, HIDDEN)


def find_endpoint(user_id, webhook_id):
    return get_owned_or_404(WEBHOOK_ENDPOINTS, webhook_id, user_id, "Webhook")


def get_endpoint(user_id, webhook_id):
    return _hidden(find_endpoint(user_id, webhook_id))


def create_endpoint(user_id, data, allow_private):
    """A new endpoint with a fresh secret (returned this once, and on rotation)."""
    _checked_url(data["url"], allow_private)
    if collection(WEBHOOK_ENDPOINTS).count_documents({"user_id": user_id}, limit=MAX_ENDPOINTS) >= MAX_ENDPOINTS:
        conflict(f"An account has at most {MAX_ENDPOINTS} webhook endpoints; delete one first")
    return insert_owned(WEBHOOK_ENDPOINTS, user_id, {**data, "secret": signing.new_secret()})


def update_endpoint(user_id, webhook_id, changes, allow_private):
    endpoint = find_endpoint(user_id, webhook_id)
    if "url" in changes:
        _checked_url(changes["url"], allow_private)
    return _hidden(update_owned(WEBHOOK_ENDPOINTS, endpoint["_id"], user_id, changes, "Webhook"))


def rotate_secret(user_id, webhook_id):
    """A new secret; deliveries attempted from now on are signed with it."""
    endpoint = find_endpoint(user_id, webhook_id)
    return update_owned(WEBHOOK_ENDPOINTS, endpoint["_id"], user_id, {"secret": signing.new_secret()}, "Webhook")


def delete_endpoint(user_id, webhook_id):
    """The endpoint and its delivery log (queued attempts then find nothing to send)."""
    endpoint = find_endpoint(user_id, webhook_id)
    delete_owned(WEBHOOK_ENDPOINTS, endpoint["_id"], user_id, "Webhook")
    collection(WEBHOOK_DELIVERIES).delete_many({"user_id": user_id, "webhook_id": endpoint["_id"]})


def subscribed(user_id, event_type):
    """The user's active endpoints that take ``event_type`` (one indexed query; few per user)."""
    endpoints = collection(WEBHOOK_ENDPOINTS).find({"user_id": user_id}, {"events": 1, "active": 1, "user_id": 1})
    return [ep for ep in endpoints if ep.get("active") and ({event_type, catalogue.ALL} & set(ep.get("events", ())))]


# ---- the delivery log ------------------------------------------------------------------------

def list_deliveries(user_id, webhook_id, args):
    """Newest first by default."""
    endpoint = find_endpoint(user_id, webhook_id)
    query = {"user_id": user_id, "webhook_id": endpoint["_id"]}
    for name in ("status", "event"):
        if args.get(name):
            query[name] = args[name]
    return lists.find_page(WEBHOOK_DELIVERIES, query, args, DELIVERY_SORTABLE, DELIVERY_LIST_PROJECTION,
                           default_sort=("created_at", -1))


def _find_delivery(user_id, webhook_id, delivery_id):
    endpoint = find_endpoint(user_id, webhook_id)
    oid = parse_id(delivery_id)
    found = oid and collection(WEBHOOK_DELIVERIES).find_one({"_id": oid, "user_id": user_id,
                                                             "webhook_id": endpoint["_id"]})
    if not found:
        not_found("Delivery")
    return endpoint, found


def get_delivery(user_id, webhook_id, delivery_id):
    """The delivery with the payload it sends."""
    found = _find_delivery(user_id, webhook_id, delivery_id)[1]
    return {**found, "payload": orjson.loads(found["body"])}


def _active(endpoint):
    if not endpoint.get("active"):
        conflict("This webhook is inactive; activate it first (PATCH {\"active\": true})")
    return endpoint


def redeliver(user_id, webhook_id, delivery_id):
    """A new delivery of the same event (same id and body), attempted now."""
    endpoint, original = _find_delivery(user_id, webhook_id, delivery_id)
    _active(endpoint)
    evt = {"id": original["event_id"], "type": original["event"], "body": original["body"].encode()}
    made = delivery.record(endpoint, evt, redelivery_of=original["_id"])
    delivery.start([made])
    return made


def ping(user_id, webhook_id):
    """A ``ping`` event to this endpoint alone, to try it."""
    endpoint = _active(find_endpoint(user_id, webhook_id))
    data = {"webhook_id": str(endpoint["_id"]), "message": "Orbix webhook test", "sent_at": utcnow().isoformat()}
    made = delivery.record(endpoint, delivery.event(catalogue.PING, data))
    delivery.start([made])
    return made


def exported(user_id):
    """The user's endpoints for the account export, without their signing secrets."""
    return collection(WEBHOOK_ENDPOINTS).find({"user_id": user_id}, {"secret": 0}).sort("_id", 1)

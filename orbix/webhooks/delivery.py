"""Deliveries: recorded, queued, attempted by the ``webhooks.deliver`` job, retried, logged.

A delivery is one event for one endpoint: the exact body to send (so the event id and
content are the same on every attempt), ``status`` (``pending`` until an attempt gets a 2xx,
then ``succeeded``; ``failed`` once the retry window is over), ``attempts`` and the last
attempt's response code, duration, error and first kilobyte of the answer.

Attempts are scheduled by us, not by RQ's retries (which suit minutes, not a day): after a
failed attempt ``next_attempt_at`` is set ``RETRY_DELAYS`` later (1 min, 5 min, 30 min,
2 h, 5 h, 10 h), then one last try ``RETRY_WINDOW`` (24 h) after the delivery was made;
then it is ``failed``. The ``webhooks.sweep`` periodic task (every minute) queues every
pending delivery whose attempt is due, which also covers deliveries recorded while Redis
was away and jobs lost with a Redis that was flushed. Each attempt is its own job, keyed by
(delivery, attempt number), so a job delivered twice makes its attempt once.
"""

import logging
import time
from datetime import timedelta

import orjson
from bson import ObjectId
from flask import current_app
from pymongo.errors import DuplicateKeyError

from ..common.exceptions import Unavailable
from ..common.ownership import parse_id
from ..common.timeutil import as_utc, utcnow
from ..db import collection
from ..jobs.queue import enqueue
from ..jobs.registry import error_text, job
from ..jobs.scheduler import periodic
from . import WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS, signing, targets, transport

log = logging.getLogger(__name__)

DELIVER_JOB = "webhooks.deliver"
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
RETRY_DELAYS = (60, 300, 1800, 7200, 18000, 36000)  # seconds after each failed attempt
RETRY_WINDOW = timedelta(hours=24)
REQUEUE_AFTER = timedelta(minutes=10)  # a queued attempt not made by then is queued again
SWEEP_BATCH = 1000
USER_AGENT = "Orbix-Webhooks/1"


def event(event_type, data, event_id=None, created_at=None):
    """An event as sent: ``{id, type, created_at, data}`` and its JSON body (bytes)."""
    created_at = created_at or utcnow()
    payload = {"id": event_id or str(ObjectId()), "type": event_type, "created_at": created_at.isoformat(),
               "data": data}
    body = orjson.dumps(payload, default=str)  # a stray ObjectId or Decimal as text, as API responses show them
    return {"id": payload["id"], "type": event_type, "created_at": created_at, "body": body}


def record(endpoint, evt, delivery_id=None, redelivery_of=None):
    """Store a pending delivery of ``evt`` to ``endpoint``; None when ``delivery_id`` exists already."""
    now = utcnow()
    doc = {
        "_id": delivery_id or ObjectId(),
        "user_id": endpoint["user_id"],
        "webhook_id": endpoint["_id"],
        "event_id": evt["id"],
        "event": evt["type"],
        "body": evt["body"].decode(),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "last_attempt_at": None,
        "response_code": None,
        "response_body": None,
        "duration_ms": None,
        "error": None,
        "delivered_at": None,
        "failed_at": None,
        "redelivery_of": redelivery_of,
        "created_at": now,
        "updated_at": now,
    }
    try:
        collection(WEBHOOK_DELIVERIES).insert_one(doc)
    except DuplicateKeyError:
        return None
    return doc


def queue_attempt(delivery):
    """Enqueue the delivery's next attempt; False when the queue is away (the sweep retries)."""
    number = delivery["attempts"]
    try:
        enqueue(DELIVER_JOB, str(delivery["_id"]), number, key=f"{delivery['_id']}-{number}",
                user_id=delivery["user_id"])
    except Unavailable:
        log.warning("webhook delivery %s stays pending: the job queue is unavailable", delivery["_id"])
        return False
    collection(WEBHOOK_DELIVERIES).update_one(
        {"_id": delivery["_id"], "attempts": number}, {"$set": {"queued_attempt": number, "queued_at": utcnow()}}
    )
    return True


def start(deliveries):
    """Queue the first attempt of each; stop at the first queue failure (the sweep does the rest)."""
    for delivery in deliveries:
        if not queue_attempt(delivery):
            return


def next_attempt_at(created_at, attempts, now):
    """When to try again after ``attempts`` failed attempts, the last one ``now``; None when over."""
    deadline = as_utc(created_at) + RETRY_WINDOW
    if now >= deadline:
        return None
    if attempts <= len(RETRY_DELAYS):
        return min(now + timedelta(seconds=RETRY_DELAYS[attempts - 1]), deadline)
    return deadline


def _headers(delivery, secret):
    body = delivery["body"].encode()
    return body, {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Orbix-Event": delivery["event"],
        "Orbix-Delivery": str(delivery["_id"]),
        "Orbix-Signature": signing.header(secret, int(time.time()), body),
    }


def _send(endpoint, delivery):
    """The attempt's outcome; whatever goes wrong is a failed attempt, so the schedule moves on."""
    config = current_app.config
    try:
        target = targets.resolve(endpoint["url"], allow_private=config["WEBHOOKS_ALLOW_PRIVATE"])
        body, headers = _headers(delivery, endpoint["secret"])
        return transport.post(target, body, headers, config["WEBHOOKS_TIMEOUT_SECONDS"])
    except targets.Refused as exc:
        return transport.Outcome(error=f"Not sent: {exc}")
    except Exception as exc:
        log.exception("webhook delivery %s could not be attempted", delivery["_id"])
        return transport.Outcome(error=error_text(exc, 500))


def _save(delivery, outcome, now, final=False):
    """Record an attempt's outcome and what comes next."""
    attempts = delivery["attempts"] + 1
    changes = {"attempts": attempts, "last_attempt_at": now, "response_code": outcome.status,
               "response_body": outcome.body, "duration_ms": outcome.duration_ms, "error": outcome.error,
               "updated_at": utcnow()}
    due = None if outcome.ok or final else next_attempt_at(delivery["created_at"], attempts, now)
    if outcome.ok:
        changes.update(status=SUCCEEDED, delivered_at=now)
    elif due is None:
        changes.update(status=FAILED, failed_at=now)
    changes["next_attempt_at"] = due
    collection(WEBHOOK_DELIVERIES).update_one({"_id": delivery["_id"], "attempts": delivery["attempts"]},
                                              {"$set": changes})
    return changes.get("status", PENDING)


def attempt(delivery_id, number=None, now=None):
    """Make the delivery's next attempt (number ``number`` when given); its resulting status.

    ``now`` is when the attempt counts as made, for the schedule (the signature always
    carries the real time)."""
    now = now or utcnow()
    delivery = collection(WEBHOOK_DELIVERIES).find_one({"_id": parse_id(delivery_id)})
    if delivery is None or delivery["status"] != PENDING or number not in (None, delivery["attempts"]):
        return "skipped"
    endpoint = collection(WEBHOOK_ENDPOINTS).find_one({"_id": delivery["webhook_id"], "user_id": delivery["user_id"]})
    if endpoint is None or not endpoint.get("active"):
        why = "deleted" if endpoint is None else "inactive"
        return _save(delivery, transport.Outcome(error=f"Not sent: the endpoint is {why}"), now, final=True)
    outcome = _send(endpoint, delivery)
    status = _save(delivery, outcome, now)
    log.info("webhook delivery %s attempt %d: %s", delivery["_id"], delivery["attempts"] + 1,
             outcome.status or outcome.error, extra={"event": delivery["event"], "status": status})
    return status


@job(DELIVER_JOB)
def deliver(_key, delivery_id, number):
    """The job of one attempt."""
    return attempt(delivery_id, number)


def sweep(now=None):
    """Queue every pending delivery whose attempt is due; returns how many were queued."""
    now = now or utcnow()
    due = (
        collection(WEBHOOK_DELIVERIES)
        .find({"status": PENDING, "next_attempt_at": {"$lte": now}},
              {"user_id": 1, "attempts": 1, "queued_attempt": 1, "queued_at": 1})
        .sort([("next_attempt_at", 1), ("_id", 1)])
        .limit(SWEEP_BATCH)
    )
    queued = 0
    for delivery in due:
        recently = delivery.get("queued_at") and as_utc(delivery["queued_at"]) > now - REQUEUE_AFTER
        if delivery.get("queued_attempt") == delivery["attempts"] and recently:
            continue  # its job is on the queue already
        if not queue_attempt(delivery):
            break
        queued += 1
    return queued


@periodic("webhooks.sweep", every="minute")
def sweep_every_minute(_period_start):
    return sweep()

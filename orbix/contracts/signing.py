"""Signing: sending for signature, what a signing link opens (view, sign, decline), the
freelancer's countersignature, and expiry.

Links are ``public_links`` of kind ``contract`` (only the token's SHA-256 is stored). Each send
starts a new round (``signing.round``, random): the earlier round's links are revoked and a new
one is issued (the answer's ``signing_url``; every e-mail of the round carries one more, made
when it is sent). A link keeps opening its contract after the round ends in a signature, a
refusal or expiry, so the page can say so; the JSON endpoints answer 404 then, as they always
did. Moving the contract back to draft or to cancelled revokes the links (``service``).

Exactly one signature or refusal per round: the step inserts ``{_id: "<contract>:<round>"}``
into ``contract_token_uses`` (unique ``_id``: of concurrent steps only one insert succeeds, on
MongoDB and FerretDB alike), under the contract's lock, and its write is also conditional on
the status and the round.

E-mail: the signer must use an address the link was sent to (``signing.recipients``: the
``to`` of the e-mail, else the client's address) unless the contract ``allow_any_signer``; a
round sent to no known address accepts any. Who signed, declined or viewed is recorded in the
audit trail (``audit``) with the request's IP and user agent.

Countersigning (``POST /api/contracts/{id}/countersign``) is the freelancer's signature: on a
draft (before sending; an edit of the text drops it), while sent, after the client (which
completes a ``partially_signed`` contract), or on a signed or active one. With
``countersign_required`` (default false, so a contract means what it always meant: signed when
the client signs) the client's signature alone makes it ``partially_signed``.
"""

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pymongo.errors import DuplicateKeyError

from ..auth.service import business_profile
from ..clients.service import find_client
from ..common import timeutil
from ..common.documents import restore_fields
from ..common.exceptions import Unavailable, conflict, not_found, unprocessable
from ..db import collection
from ..public_links import links
from ..webhooks import events as webhook_events
from . import CONTRACT_TOKEN_USES, CONTRACTS, audit, service
from .schemas import ContractSchema

KIND = service.LINK_KIND
PAGE_PATH = "/c/"
LINK_GONE = "Signing link"
LIVE = "sent"
COUNTERSIGNABLE = ("draft", "sent", "partially_signed", "signed", "active")
SENDABLE = ("draft", "sent", "declined", "expired")
# How the previous round ended: a new round starts without it (the audit trail keeps it).
PREVIOUS_ROUND = ("declined_at", "declined_by", "expired_at")
# What a send writes, so a send whose e-mail could not be queued is put back as it was.
SEND_FIELDS = ("status", "sent_at", "content_sha256", "parties", "signing", "viewed_at", *PREVIOUS_ROUND)


def page_url(base_url, token):
    return f"{base_url}{PAGE_PATH}{token}"


def _announce(contract, event_type, key=None):
    webhook_events.emit(contract["user_id"], event_type, ContractSchema().dump(service.view(contract)), key=key)


# ---- sending -----------------------------------------------------------------------------


def send_contract(user, contract_id, data, base_url, requester):
    """Freeze the text, start a new round with a new link, and e-mail a link when ``to`` or
    ``message`` is given (``delivery``); {signing_url, expires_at, contract, message}."""
    from . import delivery  # delivery registers mail builders that call back into this module

    emailing = "to" in data or "message" in data
    with service.locked(user["_id"], contract_id) as before:
        client = find_client(user["_id"], before["client_id"])
        to = data.get("to") or ([client["email"]] if client and client.get("email") else [])
        if emailing and not to:
            unprocessable("to", "The client has no e-mail address; give the recipients in `to`.")
        contract = _send_locked(user, before, client, data.get("expires_in_days", 14), to)
        token, _link = links.issue(user["_id"], KIND, contract["_id"])
        message = None
        if emailing:
            try:
                message = delivery.queue_signing_email(user, contract, to, data.get("message"), base_url)
            except Unavailable:
                links.revoke_all(KIND, contract["_id"])
                restore_fields(CONTRACTS, before, SEND_FIELDS)
                raise
    audit.record(contract, "sent", requester, name=business_profile(user)["name"], email=user["email"],
                 details={"to": to, "expires_at": contract["signing"]["expires_at"].isoformat(),
                          "emailed": emailing})
    _announce(contract, "contract.sent")
    return {"signing_url": page_url(base_url, token), "expires_at": contract["signing"]["expires_at"],
            "contract": service.view(contract), "message": message}


def _send_locked(user, contract, client, expires_in_days, to):
    if contract["status"] not in SENDABLE:
        conflict("Only a draft can be sent for signature (or a sent, declined or expired one sent again); "
                 f"this one is {contract['status']}")
    if client is None:
        unprocessable("client_id", "The contract's client no longer exists.")
    now = timeutil.utcnow()
    links.revoke_all(KIND, contract["_id"])
    signing = {"round": secrets.token_hex(16), "expires_at": now + timedelta(days=expires_in_days),
               "recipients": sorted({address.lower() for address in to})}
    return service.write(
        contract,
        {
            "status": LIVE,
            "sent_at": now,
            "content_sha256": service.sha256(contract["content"]),
            "parties": service.parties_for(user, client, contract.get("variables")),
            "signing": signing,
            "viewed_at": None,
        },
        unset=PREVIOUS_ROUND,
    )


# ---- what a link opens -------------------------------------------------------------------


def open_link(token, apply_expiry=True):
    """(link, contract) of a link that is not revoked, with expiry applied (not under the
    contract's lock: ``expire`` takes it); 404 otherwise."""
    link = links.resolve(token, KIND)
    contract = collection(CONTRACTS).find_one({"_id": link["target_id"], "user_id": link["user_id"]}) if link else None
    if contract is None or contract["status"] in service.LINKS_END:
        not_found(LINK_GONE)
    if apply_expiry and _due(contract):
        contract = expire(contract)
    return link, contract


def _due(contract):
    return contract["status"] == LIVE and contract["signing"]["expires_at"] <= timeutil.utcnow()


def _live(token, locked=False):
    """(link, contract) of a link whose contract awaits the signer; 404 for anything else.
    ``locked``: the caller holds the contract's lock, so an expired link is just 404 here."""
    link, contract = open_link(token, apply_expiry=not locked)
    if contract["status"] != LIVE or _due(contract):
        not_found(LINK_GONE)
    return link, contract


def record_view(link, contract, requester):
    """A view of a live link: ``viewed_at`` keeps the first, each is an event, the first
    opening of each link is the ``contract.viewed`` webhook event."""
    if contract["status"] != LIVE:
        return contract
    if contract.get("viewed_at") is None:
        with service.lock(contract["_id"]):
            collection(CONTRACTS).update_one({"_id": contract["_id"], "viewed_at": None},
                                             {"$set": {"viewed_at": timeutil.utcnow()}})
    audit.record(contract, "viewed", requester)
    _announce(contract, "contract.viewed", key=link["_id"])
    return contract


def public_contract(token, requester):
    """What the JSON signing endpoint shows (404 unless the contract awaits the signer)."""
    link, contract = _live(token)
    record_view(link, contract, requester)
    return {**service.view(contract), "expires_at": contract["signing"]["expires_at"]}


def _timezone(name):
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        unprocessable("timezone", "Unknown time zone: use an IANA name such as Europe/Berlin.")
    return name


def _signer_allowed(contract, email):
    recipients = contract["signing"].get("recipients") or []
    if contract.get("allow_any_signer") or not recipients or email.lower() in recipients:
        return
    unprocessable("email", "Use the e-mail address this contract was sent to.")


def _claim_round(contract):
    """Spend the round (exactly one signature or refusal); 404 when it is spent already."""
    try:
        collection(CONTRACT_TOKEN_USES).insert_one(
            {"_id": f"{contract['_id']}:{contract['signing']['round']}", "user_id": contract["user_id"],
             "contract_id": contract["_id"], "used_at": timeutil.utcnow()}
        )
    except DuplicateKeyError:
        not_found(LINK_GONE)


def _finish_round(contract, fields):
    """The conditional write ending a round (status still sent, same round); 404 if it lost."""
    now = timeutil.utcnow()
    doc = collection(CONTRACTS).find_one_and_update(
        {"_id": contract["_id"], "status": LIVE, "signing.round": contract["signing"]["round"],
         "signing.expires_at": {"$gt": now}},
        {"$set": {**fields, "updated_at": now}, "$unset": {"signing": ""}},
        return_document=True,
    )
    if doc is None:
        not_found(LINK_GONE)
    return doc


def _signer(person, requester, at):
    return {"name": person["name"], "email": person["email"], "ip": requester.get("ip"),
            "user_agent": requester.get("user_agent") or "", "timezone": person.get("timezone"), "at": at}


def sign(token, signer, requester):
    """The client signs: ``signed``, or ``partially_signed`` while a required countersignature
    is missing. 404 once the round is over; 422 for an e-mail the link was not sent to."""
    _link, contract = _live(token)
    timezone = _timezone(signer.get("timezone"))
    with service.lock(contract["_id"]):
        _link, contract = _live(token, locked=True)
        _signer_allowed(contract, signer["email"])
        _claim_round(contract)
        now = timeutil.utcnow()
        countersigned = contract.get("countersigned_at") is not None
        status = "signed" if countersigned or not contract.get("countersign_required") else "partially_signed"
        signed_by = _signer({**signer, "timezone": timezone}, requester, now)
        doc = _finish_round(contract, {"status": status, "signed_at": now, "signed_by": signed_by})
    audit.record(doc, "signed", requester, name=signer["name"], email=signer["email"], timezone=timezone)
    _completed(doc)
    return {"message": "Contract signed" if status == "signed" else "Contract signed; awaiting the countersignature",
            "status": status, "signed_at": now, "content_sha256": doc["content_sha256"], "signed_by": signed_by}


def decline(token, refusal, requester):
    """The client declines with a reason: ``declined``; the round is over."""
    _link, contract = _live(token)
    timezone = _timezone(refusal.get("timezone"))
    with service.lock(contract["_id"]):
        _link, contract = _live(token, locked=True)
        _signer_allowed(contract, refusal["email"])
        _claim_round(contract)
        now = timeutil.utcnow()
        declined = {**_signer({**refusal, "timezone": timezone}, requester, now), "reason": refusal["reason"]}
        doc = _finish_round(contract, {"status": "declined", "declined_at": now, "declined_by": declined})
    audit.record(doc, "declined", requester, name=refusal["name"], email=refusal["email"], timezone=timezone,
                 details={"reason": refusal["reason"]})
    _announce(doc, "contract.declined")
    return {"message": "Contract declined", "status": "declined", "declined_at": now}


def countersign(user, contract_id, data, requester):
    """The freelancer's signature (see the module's docstring); the contract as it stands."""
    with service.locked(user["_id"], contract_id) as contract:
        if contract.get("countersigned_at"):
            conflict("You have countersigned this contract already")
        if contract["status"] not in COUNTERSIGNABLE:
            conflict(f"A {contract['status']} contract cannot be countersigned")
        now = timeutil.utcnow()
        person = {"name": data["name"], "email": user["email"], "timezone": _timezone(data.get("timezone"))}
        fields = {"countersigned_at": now,
                  "countersigned_by": {**_signer(person, requester, now),
                                       "document_sha256": service.sha256(contract["content"])}}
        if contract["status"] == "partially_signed":
            fields["status"] = "signed"
        doc = service.write(contract, fields)
    signed_text = fields["countersigned_by"]["document_sha256"]
    audit.record(doc, "countersigned", requester, name=person["name"], email=person["email"],
                 timezone=person["timezone"], details={"document_sha256": signed_text})
    if contract["status"] == "partially_signed":
        _completed(doc)
    return service.view(doc)


def _completed(contract):
    """Once every required party has signed: the webhook event and the signed PDF to both."""
    if contract["status"] != "signed":
        return
    from . import delivery

    _announce(contract, "contract.signed")
    delivery.send_signed_copies(contract)


# ---- expiry ------------------------------------------------------------------------------


def expire(contract):
    """Move a sent contract whose link has expired to ``expired`` (once); the contract after."""
    with service.lock(contract["_id"]):
        current = collection(CONTRACTS).find_one({"_id": contract["_id"]})
        if current is None or not _due(current):
            return current or contract
        doc = service.write(current, {"status": "expired", "expired_at": timeutil.utcnow()})
    audit.record(doc, "expired", details={"expires_at": current["signing"]["expires_at"].isoformat()})
    return doc


def expire_due():
    """Every sent contract past its link's expiry becomes ``expired``; how many."""
    due = collection(CONTRACTS).find({"status": LIVE, "signing.expires_at": {"$lte": timeutil.utcnow()}},
                                     {"_id": 1, "status": 1, "signing": 1})
    return sum(1 for contract in list(due) if expire(contract)["status"] == "expired")


def events(user_id, contract_id):
    return audit.events_of(service.get_contract_doc(user_id, contract_id))

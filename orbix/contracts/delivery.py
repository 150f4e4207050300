"""E-mail about a contract: the signing link (``POST /api/contracts/{id}/send`` with ``to`` or
``message``) and, once every required party has signed, the signed PDF to both parties.

Both go through ``mail.messages.queue`` (a ``mail.send`` job). The signing link is made by the
job (``link_builder``), so the message record holds no token, and only while the round it was
queued for is still awaiting the signer: a message whose contract was signed, withdrawn or sent
again meanwhile is cancelled (``send_check``) instead of carrying a dead or stray link. The PDF
is rendered by the job too (``attachment_builder``), with the audit certificate as it stands."""

import logging

from bson import ObjectId

from ..auth.service import business_profile, find_user, settings_view
from ..common.exceptions import Unavailable
from ..db import collection
from ..locale import wording_for
from ..mail import messages
from ..public_links import links
from . import CONTRACTS, audit, service, signing
from .pdf import contract_pdf

log = logging.getLogger(__name__)

SIGNING_LINK = "contract_signing_page"
SIGNING_KIND = "contract"
SIGNED_KIND = "contract_signed"
ATTACHMENT = "contract_pdf"


def _contract(user_id, spec):
    return collection(CONTRACTS).find_one({"_id": ObjectId(spec["contract_id"]), "user_id": user_id})


def _mail_parts(user, contract):
    profile = business_profile(user)
    return {"sender_name": profile["business_name"], "reply_to": (profile["business_name"], profile["email"]),
            "ref": f"contract:{contract['_id']}"}


def _worded(wording):
    return {"t": wording.t, "lang": wording.language}


def queue_signing_email(user, contract, to, message, base_url):
    """Queue the e-mail carrying a new signing link of the contract's current round, in the
    client's language."""
    profile = business_profile(user)
    party_b = (contract.get("parties") or {}).get("party_b") or {}
    wording = service.client_wording(user, contract)
    return messages.queue(
        user_id=user["_id"],
        kind=SIGNING_KIND,
        to=to,
        subject=wording.t("subject_contract", title=contract["title"]),
        template="contract",
        context={**_worded(wording), "client_name": party_b.get("representative") or party_b.get("name"),
                 "title": contract["title"], "message": message,
                 "expires_on": wording.date(contract["signing"]["expires_at"]),
                 "business_name": profile["business_name"], "document_sha256": contract["content_sha256"]},
        links={"signing_url": {"type": SIGNING_LINK, "contract_id": str(contract["_id"]),
                               "round": contract["signing"]["round"], "base_url": base_url}},
        **_mail_parts(user, contract),
    )


def _round_over(contract, spec):
    if contract is None:
        return "the contract was deleted"
    if contract["status"] != signing.LIVE or contract["signing"]["round"] != spec["round"]:
        return f"the contract is {contract['status']} now (signed, withdrawn or sent again)"
    return None


@messages.send_check(SIGNING_KIND)
def signing_link_wanted(record):
    spec = next(link for link in record["links"] if link["type"] == SIGNING_LINK)
    return _round_over(_contract(record["user_id"], spec), spec)


@messages.link_builder(SIGNING_LINK)
def signing_page_url(user_id, spec):
    """A new link of the round the e-mail was queued for (``/c/<token>``)."""
    contract = _contract(user_id, spec)
    reason = _round_over(contract, spec)
    if reason:
        raise LookupError(reason)
    token, _link = links.issue(user_id, signing.KIND, contract["_id"])
    return signing.page_url(spec["base_url"], token)


def send_signed_copies(contract):
    """The signed PDF to the client's signer and to the freelancer. Signing has happened by now,
    so an e-mail that cannot be queued (mail not configured, queue away) is logged, not raised."""
    user = find_user(contract["user_id"])
    if user is None or not messages.configured():
        return []
    profile = business_profile(user)
    signer = contract.get("signed_by") or {}
    recipients = [(signer.get("email"), signer.get("name"), service.client_wording(user, contract)),
                  (profile["email"], profile["name"], wording_for(None, settings_view(user)))]
    queued = []
    for address, name, wording in recipients:
        if not address:
            continue
        try:
            queued.append(messages.queue(
                user_id=user["_id"],
                kind=SIGNED_KIND,
                to=[address],
                subject=wording.t("subject_contract_signed", title=contract["title"]),
                template="contract_signed",
                context={**_worded(wording), "client_name": name, "title": contract["title"],
                         "document_sha256": contract["content_sha256"]},
                attachments=[{"type": ATTACHMENT, "contract_id": str(contract["_id"]),
                              "filename": f"{contract['title']}.pdf"}],
                **_mail_parts(user, contract),
            ))
        except Unavailable:
            log.warning("signed copy of contract %s to one party could not be queued", contract["_id"])
    return queued


def document(user_id, contract_id):
    """(title, PDF bytes) of the contract as it stands, audit certificate included."""
    user = find_user(user_id)
    if user is None:
        raise LookupError("the account was deleted")
    contract, parties = service.pdf_parts(user, contract_id)
    style = service.document_style(user, contract)
    return contract["title"], contract_pdf(contract, parties, audit.events_of(contract), style)


@messages.attachment_builder(ATTACHMENT)
def signed_pdf(user_id, spec):
    """The contract's PDF as it stands when the message is sent."""
    return spec["filename"], "application/pdf", document(user_id, spec["contract_id"])[1]

"""Sending an estimate by e-mail (``POST /api/estimates/{id}/send``) and its message log.

As invoices do (``invoices.delivery``, whose document e-mail helper this uses): under the
estimate's lock a draft moves to sent, then the message is recorded and queued; if the queue
is unreachable the estimate is put back as it was (503, nothing half-done). The ``mail.send``
job builds the link to the public page (a new token, never stored in the message) and the PDF.
"""

from ..auth.service import business_profile, find_user
from ..common.documents import restore_fields
from ..common.exceptions import Unavailable
from ..invoices.delivery import queue_document_email, recipients, wording_of
from ..invoices.schemas import money_view
from ..mail import messages
from . import lifecycle, service, sharing
from .pdf import estimate_pdf as estimate_pdf_bytes

ATTACHMENT = "estimate_pdf"
PUBLIC_PAGE = "estimate_page"
FROZEN_ON_SEND = ("status", "sent_at", "client_snapshot", "business_snapshot")  # what service.mark_sent writes


@messages.link_builder(PUBLIC_PAGE)
def public_page_url(user_id, spec):
    """A new link to the estimate's public page (``/e/<token>``), made when the e-mail is sent."""
    estimate = service.find_estimate(user_id, spec["estimate_id"])
    token, _link = sharing.issue_link(user_id, estimate)
    return sharing.page_url(spec["base_url"], token)


@messages.attachment_builder(ATTACHMENT)
def estimate_pdf(user_id, spec):
    """The estimate's PDF as it stands when the message is sent."""
    estimate = service.find_estimate(user_id, spec["estimate_id"])
    user = find_user(user_id)
    if user is None:
        raise LookupError("the account was deleted")
    return spec["filename"], "application/pdf", estimate_pdf_bytes(service.present(estimate, user), user)


def summary_context(estimate, client, wording):
    """Whom the e-mail greets, and the number, total and last valid day it shows, worded and
    formatted for the client (``wording``: its language and locale)."""
    view = money_view(estimate)
    return {
        "t": wording.t,
        "lang": wording.language,
        "client_name": (client or {}).get("name"),
        "estimate_number": estimate["estimate_number"],
        "total": wording.money(view["total"], estimate["currency"]),
        "valid_until": wording.date(estimate["valid_until"]),
        "public_url": None,
    }


def send_estimate(user, estimate_id, data, base_url=None):
    """Queue the estimate e-mail (moving a draft to sent); returns the message record."""
    estimate = service.find_estimate(user["_id"], estimate_id)
    with service.estimate_lock(estimate["_id"]):
        estimate = service.find_estimate(user["_id"], estimate_id)
        view = service.present(estimate, user)
        to = recipients(data, view)
        before = dict(estimate)
        if estimate["status"] == lifecycle.DRAFT:
            estimate = service.mark_sent(estimate, user)
            view = service.present(estimate, user)
        sender = (view["business"] or business_profile(user))["business_name"]
        wording = wording_of(user, view)
        number = estimate["estimate_number"]
        subject = data.get("subject") or wording.t("subject_estimate", number=number, sender=sender)
        try:
            message = queue_document_email(
                user, estimate, view,
                about={"estimate_id": estimate["_id"]}, page=PUBLIC_PAGE, attachment=ATTACHMENT,
                number=estimate["estimate_number"], summary=summary_context(estimate, view["client"], wording),
                kind="estimate", to=to, cc=data.get("cc") or [],
                subject=subject,
                template="estimate", context={"message": data.get("message")}, attach_pdf=data["attach_pdf"],
                base_url=base_url,
            )
        except Unavailable:
            if before["status"] != estimate["status"]:
                restore_fields(service.COLLECTION, before, FROZEN_ON_SEND)
            raise
    service.announce_status(user, before["status"], estimate, view)
    return message


def messages_for(user, estimate_id):
    estimate = service.find_estimate(user["_id"], estimate_id)
    return messages.list_for(user["_id"], {"estimate_id": estimate["_id"]})

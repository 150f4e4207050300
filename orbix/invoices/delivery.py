"""Sending an invoice to the client by e-mail: ``POST /api/invoices/{id}/send``.

Under the invoice's lock: a draft is moved to ``sent`` (frozen, as a status change does),
then ``mail.messages.queue`` records the message and enqueues its job. If the queue is
unreachable the message record is gone already and the invoice is put back as it was, so a
503 leaves nothing half-done. The PDF is rendered, and the link to the public invoice page
issued, by the ``mail.send`` job (the invoice is frozen by then), not in the request.
``queue_email`` is how any e-mail about an invoice is queued (the invoice here; reminders and
thank-yous in ``reminders``): the same sender, reply-to, summary, page link and PDF attachment.
"""

from flask import current_app

from ..auth.service import business_profile, find_user, settings_view
from ..common.documents import restore_fields
from ..common.exceptions import Unavailable, conflict, unprocessable
from ..locale import wording_for
from ..mail import messages
from . import lifecycle, pdf, service, sharing
from .payments import invoice_lock
from .schemas import money_view

ATTACHMENT = "invoice_pdf"
PUBLIC_PAGE = "invoice_page"
FROZEN_ON_SEND = ("status", "sent_at", "client_snapshot", "business_snapshot")  # what service._send writes


@messages.link_builder(PUBLIC_PAGE)
def public_page_url(user_id, spec):
    """The link to the public invoice page (``/i/<token>``) that one e-mail carries: a new token
    each time an invoice e-mail is sent, made by the ``mail.send`` job (so the message record
    holds no token), on the base URL of the request that queued it (``PUBLIC_BASE_URL``)."""
    invoice = service.find_invoice(user_id, spec["invoice_id"])
    token, _link = sharing.issue_link(user_id, invoice)
    return sharing.page_url(spec["base_url"], token)


def wording_of(user, view):
    """The language and locale of what the client reads about this invoice (``view``: as
    ``service.present`` shows it, the client's choices frozen with it once sent)."""
    return wording_for(view["client"], settings_view(user))


def default_subject(invoice, profile, wording):
    return wording.t("subject_invoice", number=invoice["invoice_number"], sender=profile["business_name"])


def summary_context(invoice, client, wording):
    """What every e-mail about an invoice shows, worded and formatted for the client: whom it
    greets, number, amounts, due date, and ``t`` (the templates' wording)."""
    view = money_view(invoice)
    return {
        "t": wording.t,
        "lang": wording.language,
        "client_name": (client or {}).get("name"),
        "invoice_number": invoice["invoice_number"],
        "amount_due": wording.money(view["balance_due"], invoice["currency"]),
        "total": wording.money(view["total"], invoice["currency"]),
        "due_date": wording.date(invoice["due_date"]),
        "public_url": None,  # the link, when there is one, replaces this (``links`` in queue_email)
    }


def _link_base(doc, base_url, about):
    """Where the public page link points: the request's base when there is one, else
    ``PUBLIC_BASE_URL``, else the base the document's last e-mail used (jobs have no request)."""
    if base_url:
        return base_url
    return current_app.config.get("PUBLIC_BASE_URL") or messages.last_link_base(doc["user_id"], about=about)


def queue_document_email(user, doc, view, *, about, page, attachment, number, summary, kind, to, subject,
                         template, context, cc=(), attach_pdf=True, ref=None, base_url=None):
    """Record and enqueue an e-mail about a document sent to a client (an invoice, an estimate):
    from the user's business, replies going to the user, with a new link to its public page
    (``page``: the link builder's type; on ``base_url``, see ``_link_base``) and its PDF
    attached when asked (``attachment``: the attachment builder's type). ``about`` names the
    document in the message log (``{"invoice_id": id}``), ``summary`` is the template context
    every e-mail about it shows, ``view`` the document as presented (its ``business``)."""
    profile = business_profile(user)
    base = _link_base(doc, base_url, about)
    return messages.queue(
        user_id=user["_id"],
        kind=kind,
        **about,
        to=to,
        cc=cc,
        subject=subject,
        template=template,
        context={**summary, **context, "attached": attach_pdf},
        links={"public_url": {"type": page, **{k: str(v) for k, v in about.items()}, "base_url": base}}
        if base else None,
        sender_name=(view["business"] or profile)["business_name"],
        reply_to=(profile["business_name"], profile["email"]),
        attachments=[{"type": attachment, **{k: str(v) for k, v in about.items()}, "filename": f"{number}.pdf"}]
        if attach_pdf else [],
        ref=ref,
    )


def queue_email(user, invoice, view, *, kind, to, subject, template, context, cc=(), attach_pdf=True, ref=None,
                base_url=None):
    """Record and enqueue an e-mail about ``invoice`` (``view``: as ``service.present`` shows it),
    with the invoice summary, a new link to its public page and its PDF (``queue_document_email``)."""
    return queue_document_email(
        user, invoice, view, about={"invoice_id": invoice["_id"]}, page=PUBLIC_PAGE, attachment=ATTACHMENT,
        number=invoice["invoice_number"], summary=summary_context(invoice, view["client"], wording_of(user, view)),
        kind=kind, to=to,
        subject=subject, template=template, context=context, cc=cc, attach_pdf=attach_pdf, ref=ref, base_url=base_url,
    )


def recipients(data, view):
    """``to`` of a send body, else the client's e-mail address (422 when there is none)."""
    to = data.get("to") or ([view["client"]["email"]] if (view["client"] or {}).get("email") else [])
    if not to:
        unprocessable("to", "The client has no e-mail address; give the recipients in `to`.")
    return to


def send_invoice(user, invoice_id, data, base_url=None):
    """Queue the invoice e-mail (moving a draft to sent), linking to the public page on
    ``base_url`` (see ``_link_base``); returns the message record."""
    invoice = service.find_invoice(user["_id"], invoice_id)
    with invoice_lock(invoice["_id"]):
        invoice = service.find_invoice(user["_id"], invoice_id)
        status = lifecycle.effective_status(invoice)
        if status == lifecycle.VOID:
            conflict("A void invoice cannot be sent")
        view = service.present(invoice, user)
        to = recipients(data, view)
        before = dict(invoice)
        if status == lifecycle.DRAFT:
            invoice = service.change_status(invoice, lifecycle.SENT, user)
            view = service.present(invoice, user)
        try:
            message = queue_email(
                user, invoice, view,
                kind="invoice",
                to=to,
                cc=data.get("cc") or [],
                subject=data.get("subject") or default_subject(
                    invoice, view["business"] or business_profile(user), wording_of(user, view)
                ),
                template="invoice",
                context={"message": data.get("message")},
                attach_pdf=data["attach_pdf"],
                base_url=base_url,
            )
        except Unavailable:
            if before["status"] != invoice["status"]:
                restore_fields(service.COLLECTION, before, FROZEN_ON_SEND)
            raise
    service.announce_status(user, before["status"], invoice, view)
    return message


@messages.attachment_builder(ATTACHMENT)
def invoice_pdf(user_id, spec):
    """The invoice's PDF as it stands when the message is sent."""
    invoice = service.find_invoice(user_id, spec["invoice_id"])
    user = find_user(user_id)
    if user is None:
        raise LookupError("the account was deleted")
    view = service.present(invoice, user)
    return spec["filename"], "application/pdf", pdf.invoice_pdf(view, user)


def messages_for(user, invoice_id):
    invoice = service.find_invoice(user["_id"], invoice_id)
    return messages.list_for_invoice(user["_id"], invoice["_id"])

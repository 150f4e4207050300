"""The estimate as a PDF: the invoice's document layout (``invoices.pdf.render_document``)
titled "Estimate", with its valid-until date and terms, no payment details and no status word
(only drafts and dead estimates carry a watermark), in the client's language and the account's
branding."""

from ..branding.style import DocumentStyle, style_for
from ..invoices.pdf import render_document
from ..invoices.schemas import money_view
from . import lifecycle

WATERMARKS = {lifecycle.DRAFT: "watermark_draft", lifecycle.DECLINED: "watermark_declined",
              lifecycle.EXPIRED: "watermark_expired"}


def render(view, style=None):
    """PDF bytes of an estimate view (amounts in major units, with ``business`` and ``client``)."""
    style = style or DocumentStyle()
    words = style.wording
    t = words.t
    facts = [
        (t("estimate_number"), view["estimate_number"]),
        (t("issue_date"), words.date(view["date"])),
        (t("valid_until"), words.date(view["valid_until"])),
    ]
    notes = ((t("terms"), view.get("terms")), (t("notes"), view.get("notes")))
    stamp = t(WATERMARKS[view["status"]]) if view["status"] in WATERMARKS else None
    return render_document(view, title=t("estimate"), number=view["estimate_number"], facts=facts, notes=notes,
                           stamp=stamp, style=style)


def estimate_pdf(view, user):
    """PDF bytes of a presented estimate (``service.present``) in its client's language, with
    ``user``'s logo and accent colour."""
    return render(money_view(view), style_for(user, view["client"]))

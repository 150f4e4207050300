"""What the public estimate page shows (``/e/<token>``), as plain values for its template: the
parties, lines and totals as invoice pages show them (``invoices.page.document_context``),
the validity and terms, and whether the client can still answer."""

from ..auth.service import business_profile, settings_view
from ..invoices.page import document_context
from ..invoices.schemas import money_view
from ..locale import wording_for
from . import lifecycle

STATUS_LABELS = {
    lifecycle.SENT: "Awaiting your answer",
    lifecycle.ACCEPTED: "Accepted",
    lifecycle.DECLINED: "Declined",
    lifecycle.EXPIRED: "Expired",
}
BADGES = {lifecycle.ACCEPTED: "paid", lifecycle.DECLINED: "void", lifecycle.EXPIRED: "void"}


def page_context(view, user):
    """Template values for an estimate view (``service.present``) and its owner."""
    estimate = money_view(view)
    status = estimate["status"]
    return {
        **document_context(estimate, business_profile(user), wording_for(view["client"], settings_view(user))),
        "client_heading": "Prepared for",
        "number": estimate["estimate_number"],
        "status": status,
        "status_label": STATUS_LABELS.get(status, status.title()),
        "badge": BADGES.get(status, "open"),
        "valid_until": estimate["valid_until"].date().isoformat(),
        "answerable": status == lifecycle.SENT,
        "accepted_on": estimate["accepted_at"].date().isoformat() if estimate.get("accepted_at") else None,
        "declined_on": estimate["declined_at"].date().isoformat() if estimate.get("declined_at") else None,
        "decline_reason": estimate.get("decline_reason"),
        "terms": estimate.get("terms"),
    }

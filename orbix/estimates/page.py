"""What the public estimate page shows (``/e/<token>``), as plain values for its template: the
parties, lines and totals as invoice pages show them (``invoices.page.document_context``),
the validity and terms, and whether the client can still answer."""

from ..auth.service import business_profile, settings_view
from ..invoices.page import document_context
from ..invoices.schemas import money_view
from ..locale import wording_for
from . import lifecycle

STATUS_LABELS = {
    lifecycle.SENT: "estimate_status_sent",
    lifecycle.ACCEPTED: "estimate_status_accepted",
    lifecycle.DECLINED: "estimate_status_declined",
    lifecycle.EXPIRED: "estimate_status_expired",
}
BADGES = {lifecycle.ACCEPTED: "paid", lifecycle.DECLINED: "void", lifecycle.EXPIRED: "void"}


def page_context(view, user):
    """Template values for an estimate view (``service.present``) and its owner."""
    estimate = money_view(view)
    status = estimate["status"]
    words = wording_for(view["client"], settings_view(user))
    return {
        **document_context(estimate, business_profile(user), words),
        "client_heading": words.t("prepared_for"),
        "number": estimate["estimate_number"],
        "status": status,
        "status_label": words.t(STATUS_LABELS[status]) if status in STATUS_LABELS else status.title(),
        "badge": BADGES.get(status, "open"),
        "valid_until": words.date(estimate["valid_until"]),
        "answerable": status == lifecycle.SENT,
        "accepted_on": words.date(estimate["accepted_at"]) if estimate.get("accepted_at") else None,
        "declined_on": words.date(estimate["declined_at"]) if estimate.get("declined_at") else None,
        "decline_reason": estimate.get("decline_reason"),
        "terms": estimate.get("terms"),
    }

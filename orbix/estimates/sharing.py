"""The estimate's public page links and what the page does: ``/e/<token>`` shows the estimate,
and its Accept and Decline forms answer it.

A draft has no public page; each e-mail carries a new ``public_links`` token (only its hash is
stored). A view counts (``view_count``, first ``viewed_at``) under the estimate's lock. The
client answers once: under the lock, an estimate answered already is left as it is (the page
then shows its state), and an expired one cannot be accepted (409 page). An answer is the
``estimate.accepted`` / ``estimate.declined`` webhook event.
"""

from ..auth.service import find_user
from ..common.exceptions import conflict, not_found
from ..common.timeutil import utcnow
from ..db import collection
from ..public_links import links
from . import ESTIMATES, lifecycle, service

KIND = service.LINK_KIND
PAGE_PATH = "/e/"


def page_url(base_url, token):
    return f"{base_url}{PAGE_PATH}{token}"


def issue_link(user_id, estimate):
    """A new token for a sent estimate's public page; (token, link document)."""
    if estimate["status"] == lifecycle.DRAFT:
        conflict("A draft estimate has no public page: send it first (POST /api/estimates/{id}/send)")
    return links.issue(user_id, KIND, estimate["_id"])


def _shared(token):
    """(estimate, owner) that a live link opens; 404 for a wrong, revoked or unknown token and
    for an estimate that is gone or a draft."""
    link = links.resolve(token, KIND)
    estimate = collection(ESTIMATES).find_one({"_id": link["target_id"]}) if link else None
    user = find_user(link["user_id"]) if estimate else None
    if user is None or estimate["user_id"] != link["user_id"] or estimate["status"] == lifecycle.DRAFT:
        not_found("Estimate")
    return estimate, user


def shared_estimate(token, count_view=False):
    """(estimate view, owner) of a live link, the view counted when asked."""
    estimate, user = _shared(token)
    if count_view:
        with service.estimate_lock(estimate["_id"]):
            collection(ESTIMATES).update_one(
                {"_id": estimate["_id"]}, {"$inc": {"view_count": 1}, "$min": {"viewed_at": utcnow()}}
            )
    return service.present(estimate, user), user


def respond(token, accept, reason=None):
    """The client's answer through the page: (estimate view, owner, whether it was recorded now).
    A second answer (or declining an expired estimate) changes nothing; accepting an expired
    estimate is 409."""
    estimate, user = _shared(token)
    with service.estimate_lock(estimate["_id"]):
        estimate, user = _shared(token)
        before, status = estimate["status"], lifecycle.effective_status(estimate)
        recorded = status == lifecycle.SENT
        if recorded or (status == lifecycle.EXPIRED and accept):  # the latter: 409, expired
            estimate = service.answer(estimate, lifecycle.ACCEPTED if accept else lifecycle.DECLINED, reason)
    view = service.present(estimate, user)
    service.announce_status(user, before, estimate, view)
    return view, user, recorded

"""The contract signing page: ``GET /c/<token>`` and the plain HTML forms it posts,
``POST /c/<token>/sign`` and ``POST /c/<token>/decline``, opened by the client from the link
in the e-mail (or the ``signing_url`` of ``POST /api/contracts/{id}/send``), with no login.

Like the public invoice page: a plain Flask blueprint from ``page_blueprint`` (strict page CSP,
no JavaScript, our own stylesheet), rate-limited per client IP, and a wrong or revoked token
is the plain 404 page. A live link shows the parties, the text, its SHA-256 and both forms; once
the round is over the same link shows what happened (signed, declined, expired: 410). Forms
with errors come back with the values kept and each message beside its field (422). A post from
another site's page is refused (403, ``pages.cross_site_post``)."""

from flask import request, url_for
from marshmallow import ValidationError

from ..auth.service import find_user
from ..branding import page_assets
from ..common.exceptions import Invalid, NotFound
from ..common.timeutil import as_utc
from ..platform.downloads import pdf_response
from ..platform.requester import requester
from ..platform.security_headers import page_blueprint
from ..public_links.pages import cross_site_post, html_page, not_found_page
from . import delivery, service, signing
from .schemas import DeclineSchema, SignSchema

blp = page_blueprint("contract_pages", __name__, template_folder="templates")
blp.register_error_handler(NotFound, not_found_page)


def _owner(contract):
    user = find_user(contract["user_id"])
    if user is None:
        raise NotFound("Contract not found")
    return user


page_assets.add_routes(blp, signing.PAGE_PATH, lambda token: _owner(signing.open_link(token)[1]))

FORM_FIELDS = ("name", "email", "timezone", "reason")
# Once the client has signed, the link also downloads the signed PDF (the copy both parties get by e-mail).
DOWNLOADABLE = ("partially_signed", "signed", "active", "completed", "terminated")
RESULT_STATUS = {"expired": 410, "refused": 403}
# Statuses a finished link shows, worded in the client's language (others print as stored).
STATUS_KEYS = {f"contract_status_{status}" for status in ("signed", "partially_signed", "declined", "expired")}


def _stamp(moment):
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def _worded(user, contract):
    """Template values of the client's language: ``t`` and ``lang``, and the wording itself."""
    words = service.client_wording(user, contract)
    return words, {"t": words.t, "lang": words.language}


def _result(token, contract, state, status=200):
    """The page for a round that is over: ``state`` is what just happened or what had."""
    signer = contract.get("signed_by") or {}
    user = _owner(contract)
    words, worded = _worded(user, contract)
    status_key = f"contract_status_{contract['status']}"
    return html_page("contracts/result_page.html", {
        **worded, "state": state, "title": contract["title"], "status": contract["status"],
        "status_label": words.t(status_key) if status_key in STATUS_KEYS else
        contract["status"].replace("_", " ").capitalize(),
        "signer": signer.get("name"), "signed_at": _stamp(contract.get("signed_at")),
        "declined_at": _stamp(contract.get("declined_at")), "sha256": contract.get("content_sha256"),
        "awaiting_countersignature": contract["status"] == "partially_signed",
        "pdf_url": url_for(".contract_pdf", token=token) if contract["status"] in DOWNLOADABLE else None,
        **page_assets.urls(blp.name, token, user),
    }, RESULT_STATUS.get(state, status))


def _state_page(token, contract):
    """What a link shows once its contract no longer awaits the signer."""
    if contract["status"] == "declined":
        return _result(token, contract, "already_declined")
    if contract["status"] == "expired":
        return _result(token, contract, "expired")
    return _result(token, contract, "already_signed")


def _sign_page(token, contract, errors=None, values=None, status=200, failed=None):
    shown = service.view(contract)
    user = _owner(contract)
    words, worded = _worded(user, contract)
    return html_page("contracts/sign_page.html", {
        **worded, "contract": shown, "parties": contract.get("parties") or {},
        "value_text": words.money(shown["value"], shown["currency"]) if shown.get("value") is not None else "-",
        "starts_text": words.date(shown["start_date"]) if shown.get("start_date") else "-",
        "expires_at": _stamp(contract["signing"]["expires_at"]),
        "sign_url": url_for(".sign", token=token), "decline_url": url_for(".decline", token=token),
        "errors": errors or {}, "values": values or {}, "failed": failed,
        **page_assets.urls(blp.name, token, user),
    }, status)


@blp.route(signing.PAGE_PATH + "<token>", methods=["GET"])
def contract_page(token):
    link, contract = signing.open_link(token)
    if contract["status"] != signing.LIVE:
        return _state_page(token, contract)
    if request.method == "GET":
        signing.record_view(link, contract, requester())
    return _sign_page(token, contract)


def _form(schema, extra):
    """The posted form as the schema loads it (empty optional fields are absent)."""
    values = {field: request.form.get(field, "").strip() for field in FORM_FIELDS}
    data = {field: values[field] for field in schema.fields if field in values and values[field]}
    return values, schema.load({**data, **extra})


def _post(token, schema, extra, step, done_state):
    """Run ``step`` on the posted form: the result page, the form again with its errors (422),
    or the page of whatever ended the round meanwhile."""
    if cross_site_post():
        _link, contract = signing.open_link(token)
        return _result(token, contract, "refused")
    values = {}
    try:
        values, data = _form(schema, extra)
        contract = step(token, data)
    except ValidationError as error:
        _link, contract = signing.open_link(token)
        return _invalid(token, contract, error.messages, values, done_state)
    except Invalid as error:
        _link, contract = signing.open_link(token)
        return _invalid(token, contract, (error.errors or {}).get("json", {}), values, done_state)
    except NotFound:
        _link, contract = signing.open_link(token)  # 404 page unless the link still opens
        return _state_page(token, contract)
    return _result(token, contract, done_state)


def _invalid(token, contract, errors, values, failed):
    if contract["status"] != signing.LIVE:
        return _state_page(token, contract)
    return _sign_page(token, contract, errors, values, 422, failed)


def _signed(token, data):
    signing.sign(token, data, requester())
    return signing.open_link(token)[1]


def _declined(token, data):
    signing.decline(token, data, requester())
    return signing.open_link(token)[1]


@blp.route(signing.PAGE_PATH + "<token>/pdf", methods=["GET"])
def contract_pdf(token):
    _link, contract = signing.open_link(token)
    if contract["status"] not in DOWNLOADABLE:
        raise NotFound("Signed contract not found")
    title, pdf = delivery.document(contract["user_id"], contract["_id"])
    return pdf_response(pdf, f"{title}.pdf", inline=False)


@blp.route(signing.PAGE_PATH + "<token>/sign", methods=["POST"])
def sign(token):
    return _post(token, SignSchema(), {"agree": request.form.get("agree") == "yes"}, _signed, "signed")


@blp.route(signing.PAGE_PATH + "<token>/decline", methods=["POST"])
def decline(token):
    return _post(token, DeclineSchema(), {}, _declined, "declined")

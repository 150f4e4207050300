"""Contract rules and queries: composition from templates, lifecycle, CRUD.

Lifecycle (``TRANSITIONS``): a draft is edited, then sent for signature (``signing``: which
freezes its text and issues links) or marked active directly (signed elsewhere, as the
existing web client does). Every write to a contract (edit, status change, send, view, sign,
decline, countersign, expiry, delete) runs under that contract's lock (``common/locks.py``)
on a fresh read, and is also conditional on the status it read: FerretDB does not apply a
conditional update atomically, so without the lock a signature and a cancellation could both
be answered 200.
"""

import hashlib
from contextlib import contextmanager

from pymongo import ReturnDocument

from ..auth.service import business_profile, settings_view
from ..branding.style import style_for
from ..clients.service import client_stands, find_client, require_client
from ..common import lists, money, timeutil
from ..common.documents import delete_owned, insert_owned, restore_fields, update_owned
from ..common.exceptions import conflict, not_found, unprocessable
from ..common.locks import held
from ..common.ownership import find_owned, get_owned_or_404
from ..common.references import withdraw_unless_all_stand
from ..db import collection
from ..locale import wording_for
from ..projects.store import project_stands, require_project
from ..public_links import links
from . import CONTRACT_TEMPLATES, CONTRACTS, audit, rendering
from .builtin_templates import BUILTIN_TEMPLATES

COLLECTION = CONTRACTS
TEMPLATES = CONTRACT_TEMPLATES
LINK_KIND = "contract"
SORTABLE = {"created_at", "updated_at", "title", "status", "start_date", "end_date", "value"}
# The list leaves out the long text (the client lists title, value, status and dates).
LIST_PROJECTION = {"content": 0, "variables": 0, "parties": 0, "signing": 0}

TRANSITIONS = {
    "draft": {"sent", "active", "cancelled"},
    "sent": {"draft", "signed", "partially_signed", "declined", "expired", "cancelled"},
    "partially_signed": {"signed", "cancelled"},
    "signed": {"active", "completed", "terminated"},
    "active": {"completed", "terminated"},
    "declined": {"draft", "sent", "cancelled"},
    "expired": {"draft", "sent", "cancelled"},
    "completed": set(),
    "terminated": set(),
    "cancelled": set(),
}
# Moves that only a dedicated step may make (PUT cannot).
DEDICATED_STEP = {
    "sent": "POST /api/contracts/{id}/send",
    "signed": "the signer, through the signing link (and POST /api/contracts/{id}/countersign when required)",
    "partially_signed": "the signer, through the signing link",
    "declined": "the signer, through the signing link",
    "expired": "its signing link expiring",
}
DELETABLE = ("draft", "cancelled")
# Set by the freelancer while draft: the freelancer's signature is needed too; any e-mail may sign.
SIGNING_OPTIONS = ("countersign_required", "allow_any_signer")
# A move to one of these ends the signing links (a resend replaces them too).
LINKS_END = ("draft", "cancelled")
# Dropped when a draft's text changes: a countersignature covers the text it was given on.
COUNTERSIGNATURE = ("countersigned_at", "countersigned_by")


# ---- views -------------------------------------------------------------------------------

def view(doc):
    """A stored contract ready for the schema: the value back in major units."""
    shown = dict(doc)
    if shown.get("value") is not None:
        shown["value"] = money.from_minor(shown["value"], shown.get("currency") or money.DEFAULT_CURRENCY)
    return shown


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parties_for(user, client, variables=None):
    """Party A from the business profile, party B from the client: names, signatory, contact.

    A signatory entered in the contract's variables (``party_b_representative``) wins over
    the default: a client's ``name`` is often the company itself, not the person who signs."""
    profile = business_profile(user)
    parties = {"party_a": {"name": profile["business_name"], "representative": profile["name"],
                           "email": profile["email"], "address": profile["address"]}}
    if client:
        parties["party_b"] = {"name": client.get("company") or client["name"], "representative": client["name"],
                              "email": client.get("email"), "address": client.get("address")}
    for side, party in parties.items():
        party["representative"] = (variables or {}).get(f"{side}_representative") or party["representative"]
    return parties


# ---- templates ---------------------------------------------------------------------------

def _user_spec(doc):
    variables = tuple(rendering.Variable(**variable) for variable in doc.get("variables") or [])
    return rendering.TemplateSpec(key=str(doc["_id"]), title=doc["title"], description=doc.get("description") or "",
                                  variables=variables, body=doc["body"], builtin=False)


def template_view(doc):
    return {**doc, **_user_spec(doc).as_dict()}


def list_templates(user_id):
    """Built-in templates first, then the caller's own, oldest first."""
    own = collection(TEMPLATES).find({"user_id": user_id}).sort([("created_at", 1), ("_id", 1)]).limit(lists.LIST_CAP)
    return [spec.as_dict() for spec in BUILTIN_TEMPLATES.values()] + [template_view(doc) for doc in own]


def find_template(user_id, key):
    """A built-in template by key or one of the caller's by id; None when neither."""
    if key in BUILTIN_TEMPLATES:
        return BUILTIN_TEMPLATES[key]
    doc = find_owned(TEMPLATES, key, user_id)
    return _user_spec(doc) if doc else None


def get_template(user_id, key):
    spec = find_template(user_id, key)
    if spec is None:
        not_found("Template")
    return spec.as_dict()


def _declared_variables(body, variables):
    """Declared variables, or every placeholder as required text when none are declared;
    a placeholder that is not declared is a 422 naming it."""
    used = rendering.placeholders(body)
    if variables is None:
        variables = [{"name": name} for name in used]
    undeclared = [name for name in used if name not in {variable["name"] for variable in variables}]
    if undeclared:
        unprocessable("body", f"Uses undeclared variable(s): {', '.join(undeclared)}.")
    return [
        {"name": v["name"], "label": v.get("label") or v["name"].replace("_", " ").capitalize(),
         "type": v.get("type", "text"), "required": v.get("required", True), "default": v.get("default")}
        for v in variables
    ]


def _owned_template(user_id, template_id):
    if template_id in BUILTIN_TEMPLATES:
        conflict("Built-in templates are read-only; save a copy as your own template instead")
    return get_owned_or_404(TEMPLATES, template_id, user_id, "Template")


def create_template(user_id, data):
    data["variables"] = _declared_variables(data["body"], data.get("variables"))
    return template_view(insert_owned(TEMPLATES, user_id, data))


def update_template(user_id, template_id, changes):
    current = _owned_template(user_id, template_id)
    if "body" in changes or "variables" in changes:
        body = changes.get("body", current["body"])
        changes["variables"] = _declared_variables(body, changes.get("variables", current.get("variables")))
    return template_view(update_owned(TEMPLATES, current["_id"], user_id, changes, "Template"))


def delete_template(user_id, template_id):
    """Contracts made from it keep their rendered text."""
    delete_owned(TEMPLATES, _owned_template(user_id, template_id)["_id"], user_id, "Template")


# ---- composing terms and text ------------------------------------------------------------

def _references(user_id, terms):
    """The caller's client and project named in ``terms`` (422 when not theirs)."""
    client = require_client(user_id, terms.get("client_id"))
    project = require_project(user_id, terms.get("project_id"))
    if client and project and project.get("client_id") not in (None, client["_id"]):
        unprocessable("project_id", "The project belongs to a different client.")
    return client, project


def _as_date(value):
    return timeutil.parse_calendar_date(value) if value is not None else None


def _terms(user, terms, client, project):
    """Currency, value and dates: given ones, else the project's, else the client's or user's
    currency. Dates are ``date`` objects, the value a Decimal in major units."""
    project = project or {}
    currency = terms.get("currency") or project.get("currency") or (client or {}).get("currency") \
        or business_profile(user)["currency"]
    value = terms.get("value")
    if "value" not in terms and project.get("budget") is not None and project.get("currency", currency) == currency:
        value = money.from_minor(project["budget"], currency)
    start = terms["start_date"] if "start_date" in terms else _as_date(project.get("start_date"))
    end = terms["end_date"] if "end_date" in terms else _as_date(project.get("end_date"))
    if start and end and end < start:
        unprocessable("end_date", "Must not be before start_date.")
    return {"currency": currency, "value": value, "start_date": start, "end_date": end}


def _render(user, key, given, client, project, terms):
    """``(spec, stored variables, text)`` for a template with defaults from the parties,
    the project and the contract's terms (a money variable defaults to the value)."""
    spec = find_template(user["_id"], key)
    if spec is None:
        unprocessable("template", "Unknown template: use a key or id from GET /api/contracts/templates.")
    parties = parties_for(user, client)
    defaults = {f"{side}_{field}": text for side, party in parties.items() for field, text in party.items()}
    if project:
        defaults.update(project_name=project.get("name"), scope=project.get("description") or project.get("name"))
    defaults.update(
        start_date=terms["start_date"],
        end_date=terms["end_date"],
        effective_date=terms["start_date"] or timeutil.utcnow().date(),
    )
    if terms["value"] is not None:
        defaults.update({variable.name: terms["value"] for variable in spec.variables if variable.type == "money"})
    stored, text = rendering.render(spec, given or {}, defaults, terms["currency"])
    return spec, stored, text


def render_preview(user, data):
    """What ``POST /api/contracts`` would produce from a template, without saving."""
    client, project = _references(user["_id"], data)
    terms = _terms(user, data, client, project)
    spec, stored, text = _render(user, data["template"], data.get("variables"), client, project, terms)
    return {"template": data["template"], "title": spec.title, "variables": stored, "content": text}


def _stored_terms(terms):
    """Terms as MongoDB holds them: dates as UTC midnight, the value in minor units."""
    value = terms["value"]
    return {
        "currency": terms["currency"],
        "value": money.to_minor(value, terms["currency"]) if value is not None else None,
        "start_date": timeutil.date_to_datetime(terms["start_date"]),
        "end_date": timeutil.date_to_datetime(terms["end_date"]),
    }


def _compose(user, data, current=None):
    """Fields to store for a new contract or a draft's edit: references checked, terms
    defaulted, the text rendered from a template when one is given."""
    if "content" in data and ("template" in data or "variables" in data):
        unprocessable("content", "Send either content or a template with variables, not both.")
    merged = {**_current_terms(current), **data}
    client, project = _references(user["_id"], merged)
    terms = _terms(user, merged, client, project)
    fields = {key: data[key] for key in ("title", "content", *SIGNING_OPTIONS) if key in data}
    fields.update(client_id=client["_id"], project_id=project["_id"] if project else None, **_stored_terms(terms))
    if "template" in data or "variables" in data:
        key = data.get("template") or (current or {}).get("template")
        if not key:
            unprocessable("template", "This contract was not made from a template: send content instead.")
        spec, fields["variables"], fields["content"] = _render(user, key, data.get("variables"), client, project, terms)
        fields["template"] = key
        fields.setdefault("title", (current or {}).get("title") or spec.title)
    return fields


def _current_terms(current):
    """A stored contract's terms in the shape the schemas load (for merging an edit)."""
    if not current:
        return {}
    terms = {key: current.get(key) for key in ("client_id", "project_id", "currency")}
    terms.update(start_date=_as_date(current.get("start_date")), end_date=_as_date(current.get("end_date")))
    terms["value"] = view(current).get("value")
    return terms


# ---- CRUD --------------------------------------------------------------------------------


def list_contracts(user_id, args):
    query = {"user_id": user_id}
    for field in ("status", "client_id", "project_id"):
        if args.get(field) is not None:
            query[field] = args[field]
    query.update(lists.text_search(args.get("q"), ("title",)))
    docs, headers = lists.find_page(COLLECTION, query, args, SORTABLE, projection=LIST_PROJECTION)
    return [view(doc) for doc in docs], headers


def get_contract_doc(user_id, contract_id):
    return get_owned_or_404(COLLECTION, contract_id, user_id, "Contract")


def get_contract(user_id, contract_id):
    return view(get_contract_doc(user_id, contract_id))


def create_contract(user, data, requester=None):
    fields = _compose(user, data)
    fields.setdefault("template", None)
    fields.setdefault("variables", None)
    for option in SIGNING_OPTIONS:
        fields.setdefault(option, False)
    fields.update(status="draft", content_sha256=None, sent_at=None, signed_at=None, signed_by=None)
    contract = insert_owned(COLLECTION, user["_id"], fields)
    _references_stand(contract, lambda: delete_owned(COLLECTION, contract["_id"], user["_id"], "Contract"))
    audit.record(contract, "created", requester, name=business_profile(user)["name"], email=user["email"])
    return view(contract)


def _references_stand(fields, withdraw):
    """After writing a contract's client and project: withdraw it if either was deleted meanwhile."""
    withdraw_unless_all_stand(
        [
            (client_stands(fields.get("client_id")), "client_id", "client"),
            (project_stands(fields.get("project_id")), "project_id", "project"),
        ],
        withdraw,
    )


def lock(contract_id):
    return held(f"contract:{contract_id}", "This contract")


@contextmanager
def locked(user_id, contract_id):
    """The caller's contract, read again under its lock, so writes to it never interleave."""
    with lock(get_contract_doc(user_id, contract_id)["_id"]):
        yield get_contract_doc(user_id, contract_id)


def _check_move(current, target):
    if target == current:
        return
    if target in DEDICATED_STEP:
        conflict(f"A contract becomes {target} only through {DEDICATED_STEP[target]}")
    if target not in TRANSITIONS[current]:
        allowed = sorted(TRANSITIONS[current] - DEDICATED_STEP.keys())
        conflict(f"Cannot change a {current} contract to {target}; allowed: {', '.join(allowed) or 'none (final)'}")


def write(contract, fields, unset=()):
    """One conditional write on the status read: 409 if someone changed it meanwhile."""
    fields = {**fields, "updated_at": timeutil.utcnow()}
    update = {"$set": fields}
    if unset:
        update["$unset"] = {field: "" for field in unset}
    doc = collection(COLLECTION).find_one_and_update(
        {"_id": contract["_id"], "user_id": contract["user_id"], "status": contract["status"]},
        update,
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        conflict("The contract was changed by another request; reload it and try again")
    return doc


def update_contract(user, contract_id, changes):
    """Terms change only while draft; the status follows ``TRANSITIONS``. Leaving ``sent``
    for anything but ``signed`` withdraws the signing link."""
    with locked(user["_id"], contract_id) as contract:
        return _update_locked(user, contract, changes)


def _update_locked(user, contract, changes):
    current = contract["status"]
    target = changes.pop("status", current)
    _check_move(current, target)
    if changes and current != "draft":
        conflict(f"Only a draft's terms and text can change; this contract is {current}")
    fields = _compose(user, changes, contract) if changes else {}
    if not fields and target == current:
        return view(contract)
    fields["status"] = target
    unset = ()
    if target != current and target in LINKS_END and contract.get("signing"):
        unset = ("signing", "parties") if target == "draft" else ("signing",)
        if target == "draft":
            fields["content_sha256"] = None
    if "content" in fields and fields["content"] != contract["content"] and contract.get("countersigned_at"):
        unset = (*unset, *COUNTERSIGNATURE)
    doc = write(contract, fields, unset)
    if {"client_id", "project_id"} & fields.keys():
        _references_stand(doc, lambda: restore_fields(COLLECTION, contract, fields))
    if target != current and target in LINKS_END:
        links.revoke_all(LINK_KIND, contract["_id"])
    return view(doc)


def delete_contract(user_id, contract_id):
    with locked(user_id, contract_id) as contract:
        if contract["status"] not in DELETABLE:
            conflict(
                f"Only draft or cancelled contracts can be deleted; this one is {contract['status']} "
                "(cancel or terminate it instead)"
            )
        delete_owned(COLLECTION, contract["_id"], user_id, "Contract", extra_filter={"status": contract["status"]})
        links.forget(LINK_KIND, contract["_id"])
        audit.forget(contract)


def _client_of(user, contract):
    return find_client(user["_id"], contract["client_id"]) if contract.get("client_id") else None


def document_style(user, contract):
    """How the contract's PDF looks and reads: the account's logo and accent colour, in the
    language and locale of the contract's client (else the account's)."""
    return style_for(user, _client_of(user, contract))


def client_wording(user, contract):
    """The language and locale of what the contract's client reads (e-mails, the signing page):
    the client's, else the account's."""
    return wording_for(_client_of(user, contract), settings_view(user))


def pdf_parts(user, contract_id):
    """The contract and its parties as printed: the snapshot taken when sent, else live."""
    contract = get_contract_doc(user["_id"], contract_id)
    parties = contract.get("parties")
    if not parties:
        client = find_client(user["_id"], contract.get("client_id"))
        parties = parties_for(user, client, contract.get("variables"))
    return view(contract), parties

"""The parties printed on an invoice, frozen when it is sent.

Drafts show the live client and business details; sending copies them onto the
invoice so later edits to the client or the profile never rewrite an issued invoice. The
client's language and locale are frozen with them: an invoice sent in German stays German.
"""

from ..auth.service import EINVOICE_FIELDS, business_profile, settings_view
from ..clients.service import find_client
from ..einvoice.fields import PARTY_FIELDS
from ..locale import resolve

# The e-invoice data (legal names, structured addresses, VAT ids ...) is frozen with the rest.
CLIENT_FIELDS = ("name", "email", "company", "phone", "address", "tax_id", *PARTY_FIELDS, "buyer_reference",
                 "einvoice_xrechnung")
BUSINESS_FIELDS = ("business_name", "name", "email", "address", "tax_id", "phone", "website", "payment_details",
                   "iban", "bic", *EINVOICE_FIELDS)


def client_details(client, user):
    """The client as the invoice prints it, with the language and locale it is written in
    (the client's own, else the account's: ``locale.resolve``)."""
    details = {field: (client or {}).get(field) for field in CLIENT_FIELDS}
    details["language"], details["locale"] = resolve(client, settings_view(user))
    return details


def business_details(user):
    profile = business_profile(user)
    return {field: profile.get(field) for field in BUSINESS_FIELDS}


def parties(invoice, user):
    """(business, client) details to show: the snapshot if sent, else the live ones."""
    business = invoice.get("business_snapshot")
    client = invoice.get("client_snapshot")
    if business is None:
        business = business_details(user)
    if client is None:
        client = client_details(find_client(invoice["user_id"], invoice["client_id"]), user)
    return business, client

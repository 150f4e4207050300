"""Account rules: registration, credential checks, profile and settings."""

from flask_jwt_extended import get_jwt
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..common import money
from ..common.exceptions import NotAuthenticated, conflict, unprocessable
from ..common.timeutil import utcnow
from ..db import collection
from ..files.service import require_file
from ..reminders.schedule import DEFAULT_SCHEDULE
from . import passwords, sessions, tokens

USERS = tokens.USERS
SETTING_FIELDS = (
    "business_name", "address", "tax_id", "phone", "website", "default_currency",
    "default_hourly_rate", "payment_details", "invoice_prefix", "payment_terms", "timezone",
    "reminders_enabled", "reminder_schedule", "thank_you_enabled",
    "iban", "bic", "payment_link", "estimate_valid_days",
    "language", "locale", "accent_color", "logo_file_id",
    # e-invoices (orbix.einvoice): last, EINVOICE_FIELDS takes them from legal_name on
    "legal_name", "address_line1", "address_line2", "city", "postal_code", "country_code", "vat_id", "company_id",
    "peppol_id", "small_business", "default_tax_category", "default_tax_exemption_reason",
)
# What an unset (or null) setting means.
SETTING_DEFAULTS = {"estimate_valid_days": 30,
                    "reminders_enabled": True, "reminder_schedule": list(DEFAULT_SCHEDULE), "thank_you_enabled": True}
DEFAULT_INVOICE_PREFIX = "INV-"
EINVOICE_FIELDS = SETTING_FIELDS[SETTING_FIELDS.index("legal_name"):]


def public_user(user):
    return {"id": str(user["_id"]), "email": user["email"], "name": user["name"], "avatar": user.get("avatar")}


def auth_payload(user):
    access, refresh = tokens.issue_tokens(user)
    return {"user": public_user(user), "token": access, "refresh_token": refresh}


def register(name, email, password):
    now = utcnow()
    user = {
        "email": email,
        "name": name,
        "avatar": None,
        "password_hash": passwords.hash_password(password),
        "token_version": 0,
        "settings": {},
        "created_at": now,
        "updated_at": now,
    }
    try:
        user["_id"] = collection(USERS).insert_one(user).inserted_id
    except DuplicateKeyError:
        conflict("An account with this email already exists")
    return user


def authenticate(email, password):
    """The user for these credentials, else a 401 that does not say which part was wrong."""
    user = collection(USERS).find_one({"email": email})
    if user is None:
        passwords.burn_equal_time(password)
    elif passwords.check_password(password, user["password_hash"]):
        return user
    raise NotAuthenticated("Invalid email or password")


def logout(refresh_token=None):
    payload = get_jwt()
    tokens.revoke(payload)
    if refresh_token:
        refresh = tokens.decode_for_user(refresh_token, payload["sub"])
        if refresh is None:
            unprocessable("refresh_token", "Not a valid refresh token for this account.")
        tokens.revoke(refresh)


def settings_view(user):
    """Stored settings rendered for JSON (the hourly rate back in major units)."""
    stored = user.get("settings") or {}
    view = {field: stored.get(field) for field in SETTING_FIELDS}
    for field, default in SETTING_DEFAULTS.items():
        if view[field] is None:
            view[field] = list(default) if isinstance(default, list) else default
    view["default_hourly_rate"] = money.rate_from_store(stored.get("default_hourly_rate"))
    return view


def profile(user):
    return {
        **public_user(user),
        "_id": str(user["_id"]),
        "settings": settings_view(user),
        "created_at": user["created_at"].isoformat(),
        "updated_at": user["updated_at"].isoformat(),
    }


def update_profile(user, data):
    changes = {}
    for field in ("name", "avatar"):
        if field in data:
            changes[field] = data[field]
    incoming = {**{k: v for k, v in data.items() if k in SETTING_FIELDS}, **(data.get("settings") or {})}
    if incoming.get("logo_file_id") is not None:
        require_file(user["_id"], incoming["logo_file_id"], "logo", "logo_file_id")
    if incoming:
        merged = settings_view(user)
        merged.update(incoming)
        merged["default_hourly_rate"] = money.rate_to_store(merged.get("default_hourly_rate"))
        changes["settings"] = merged
    changes["updated_at"] = utcnow()
    updated = collection(USERS).find_one_and_update(
        {"_id": user["_id"]}, {"$set": changes}, return_document=ReturnDocument.AFTER
    )
    sessions.invalidate(user["_id"])
    return updated


def password_hash_of(user):
    """The stored hash (the request's user document is loaded without it)."""
    return collection(USERS).find_one({"_id": user["_id"]}, {"password_hash": 1})["password_hash"]


def require_password(user, password, field):
    """422 naming ``field`` unless ``password`` is the user's (for sensitive changes)."""
    if not passwords.check_password(password, password_hash_of(user)):
        unprocessable(field, "Password is incorrect.")


def change_password(user, current_password, new_password):
    """Set a new password and invalidate every token issued before it."""
    require_password(user, current_password, "current_password")
    updated = collection(USERS).find_one_and_update(
        {"_id": user["_id"]},
        {
            "$set": {"password_hash": passwords.hash_password(new_password), "updated_at": utcnow()},
            "$inc": {"token_version": 1},
        },
        return_document=ReturnDocument.AFTER,
    )
    sessions.invalidate(user["_id"])
    return updated


def find_user(user_id):
    """The account (without its password hash) for work done outside a request (jobs); None if deleted."""
    return collection(USERS).find_one({"_id": user_id}, {"password_hash": 0})


def users_by_id(ids):
    """{id: account} (without password hashes) for work over many accounts (jobs); one query."""
    return {user["_id"]: user for user in collection(USERS).find({"_id": {"$in": list(ids)}}, {"password_hash": 0})}


def business_profile(user):
    """What invoices and contracts print as the freelancer's side (party A)."""
    settings = settings_view(user)
    return {
        "name": user["name"],
        "email": user["email"],
        "business_name": settings.get("business_name") or user["name"],
        "address": settings.get("address"),
        "tax_id": settings.get("tax_id"),
        "phone": settings.get("phone"),
        "website": settings.get("website"),
        "payment_details": settings.get("payment_details"),
        "iban": settings.get("iban"),
        "bic": settings.get("bic"),
        "payment_link": settings.get("payment_link"),
        "currency": settings.get("default_currency") or money.DEFAULT_CURRENCY,
        "default_hourly_rate": settings.get("default_hourly_rate"),
        "invoice_prefix": settings.get("invoice_prefix") or DEFAULT_INVOICE_PREFIX,
        "payment_terms": settings.get("payment_terms"),
        "timezone": settings.get("timezone"),
        **{field: settings.get(field) for field in EINVOICE_FIELDS},
    }

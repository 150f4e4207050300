"""Who is calling: the authenticated user's id from the access token."""

from bson import ObjectId
from flask_jwt_extended import current_user, get_jwt_identity


def current_user_id():
    return ObjectId(get_jwt_identity())


def current_user_doc():
    """The caller's user document (loaded once per request by the JWT user loader)."""
    return current_user

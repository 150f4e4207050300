"""/api/auth: register, login, refresh, logout, profile and password."""

from flask_jwt_extended import current_user, get_jwt

from ..common.schemas import MessageSchema
from ..platform.blueprint import ResourceBlueprint
from ..platform.caller import current_user_doc
from . import account, service, tokens
from .schemas import (
    AccountDeleteSchema,
    AccountExportSchema,
    AuthResponseSchema,
    LoginSchema,
    LogoutSchema,
    PasswordChangeSchema,
    ProfileSchema,
    ProfileUpdateSchema,
    RefreshResponseSchema,
    RegisterSchema,
)

# No scope family: only a login session may log out, refresh, change the password or export or
# delete the account; the profile (/me) is open to personal access tokens with account scopes.
blp = ResourceBlueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")


@blp.route("/register", methods=["POST"])
@blp.public
@blp.arguments(RegisterSchema)
@blp.response(201, AuthResponseSchema)
@blp.errors(409)
def register(data):
    """Create an account and sign in"""
    user = service.register(data["name"], data["email"], data["password"])
    return service.auth_payload(user)


@blp.route("/login", methods=["POST"])
@blp.public
@blp.arguments(LoginSchema)
@blp.response(200, AuthResponseSchema)
@blp.errors(401)
def login(data):
    """Sign in with email and password"""
    user = service.authenticate(data["email"], data["password"])
    return service.auth_payload(user)


@blp.route("/refresh", methods=["POST"])
@blp.auth(refresh=True)
@blp.response(200, RefreshResponseSchema)
def refresh():
    """Exchange a refresh token (as the Bearer token) for a new access token"""
    return {"token": tokens.refreshed_access_token(get_jwt())}


@blp.route("/logout", methods=["POST"])
@blp.auth()
@blp.arguments(LogoutSchema, required=False)
@blp.response(200, MessageSchema)
def logout(data):
    """Revoke the presented token (and a refresh token given in the body)"""
    service.logout((data or {}).get("refresh_token"))
    return {"message": "Logged out"}


@blp.route("/me", methods=["GET"])
@blp.auth(family="account")
@blp.response(200, ProfileSchema)
def me():
    """The caller's profile and business settings"""
    return service.profile(current_user_doc())


@blp.route("/me", methods=["PATCH", "PUT"])
@blp.auth(family="account")
@blp.arguments(ProfileUpdateSchema)
@blp.response(200, ProfileSchema)
def update_me(data):
    """Update name, avatar and business settings"""
    return service.profile(service.update_profile(current_user_doc(), data))


@blp.route("/me/password", methods=["POST"])
@blp.auth()
@blp.arguments(PasswordChangeSchema)
@blp.response(200, AuthResponseSchema)
def change_password(data):
    """Change the password; every earlier token stops working, fresh tokens are returned"""
    user = service.change_password(current_user, data["current_password"], data["new_password"])
    return service.auth_payload(user)


@blp.route("/me/export", methods=["GET"])
@blp.auth()
@blp.response(200, AccountExportSchema)
def export_me():
    """Everything the account owns, as one JSON document"""
    return account.export_account(current_user)


@blp.route("/me", methods=["DELETE"])
@blp.auth()
@blp.arguments(AccountDeleteSchema)
@blp.response(200, MessageSchema)
def delete_me(data):
    """Delete the account and everything it owns (needs the password)"""
    service.require_password(current_user, data["password"], "password")
    account.delete_account(current_user, get_jwt())
    return {"message": "Account deleted"}

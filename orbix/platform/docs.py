"""Serves Swagger UI's assets from the flask-swagger-ui package, so /docs works offline."""

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, send_from_directory

ASSETS = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
ASSETS_URL = "/docs/assets/"

assets = Blueprint("swagger_assets", __name__)


@assets.route(ASSETS_URL + "<path:filename>")
def swagger_asset(filename):
    return send_from_directory(ASSETS, filename, max_age=86400)


OPENAPI_SETTINGS = {
    "API_TITLE": "Orbix API",
    "API_VERSION": "1.0.0",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": ASSETS_URL,
    "OPENAPI_SWAGGER_UI_CONFIG": {"persistAuthorization": True, "displayRequestDuration": True},
    "API_SPEC_OPTIONS": {
        "info": {"description": "Orbix: one API that runs a freelance business end to end."},
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT or personal access token",
                    "description": "A login's access token (a JWT from /api/auth/login or /register), or a "
                    "personal access token (`orbix_pat_...`, from POST /api/tokens) limited to its scopes: "
                    "`<family>:read` for GET, `<family>:write` for other methods (write includes read), "
                    "families account, clients, projects, time, invoices, contracts, resumes, ai, reports "
                    "(read only), or `*:read` / `*:write` for all. A token without the scope gets 403; "
                    "managing tokens, the password, logout, refresh and account export or deletion need a login.",
                }
            }
        },
    },
}

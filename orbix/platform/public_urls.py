"""The base of links the API hands out for people outside Orbix to open (contract signing,
public invoice pages): ``PUBLIC_BASE_URL``, else the host this request came to."""

from flask import current_app, request


def public_base_url():
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")

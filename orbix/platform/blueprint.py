"""The blueprint every resource uses: flask-smorest's, plus an ``auth`` decorator that
requires a valid access token (a login's JWT or a personal access token with the scope the
view's family needs) and documents the 401, 403 and bearer security, and query arguments whose
time zone defaults to the caller's own, and a ``multipart`` argument location (form fields and
files of one multipart/form-data body, in one schema).

Each blueprint names its scope family once (``family="clients"``: GET and HEAD need
``clients:read``, other methods ``clients:write``); a blueprint or view without one is for login
sessions only, so a new resource is closed to personal access tokens until it names its family."""

from functools import wraps

from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from ..access_tokens.scopes import FAMILIES
from ..common.timeutil import user_zone
from .caller import FAMILY_ATTRIBUTE, current_user_doc, require_scope, verify
from .extensions import ErrorSchema

BEARER = [{"bearerAuth": []}]
BINARY = {"type": "string", "format": "binary"}
_BLUEPRINT_FAMILY = object()


def _known(family):
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown scope family {family!r}: add it to access_tokens.scopes.FAMILIES")
    return family


def _documenting_only(decorator):
    """``decorator`` (flask-smorest's ``doc`` or ``alt_response``) applied for the documentation it
    records (``_apidoc``), returning the view itself instead of its pass-through wrapper."""

    def record(view):
        view._apidoc = decorator(view)._apidoc  # a copy: the wrapper started from the view's own
        return view

    return record


class ArgumentsParser(FlaskParser):
    """webargs' Flask parser plus ``location="multipart"``: flask-smorest documents one request
    body per operation, so an upload's file and its form fields are loaded by one schema."""

    __location_map__ = dict(multipart="load_multipart", **FlaskParser.__location_map__)

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class ResourceBlueprint(Blueprint):
    ARGUMENTS_PARSER = ArgumentsParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = _known(family)

    # flask-smorest's ``doc`` and ``alt_response`` record documentation on a pass-through
    # wrapper, one more call and ``current_app`` lookup on every request for each use (an
    # authenticated view had four). These record the same documentation on the view itself.
    @staticmethod
    def doc(**kwargs):
        return _documenting_only(Blueprint.doc(**kwargs))

    def alt_response(self, *args, **kwargs):
        return _documenting_only(super().alt_response(*args, **kwargs))

    def answers(self, status, schema):
        """Document the JSON answer of a view that builds its own ``Response``: flask-smorest's
        ``response`` would only pass that through, another call on every request."""
        return _documenting_only(super().response(status, schema))

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's, plus: a query schema with a ``tz`` field gets the caller's
        ``settings.timezone`` (then UTC) when the request names none, so dashboard, reports,
        summaries, lists and CSV exports all default to the user's zone."""
        decorator = super().arguments(schema, location=location, **kwargs)
        instance = schema() if isinstance(schema, type) else schema
        if location != "query" or "tz" not in instance.fields:
            return decorator

        def with_user_zone(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                query = args[-1]  # webargs appends the parsed arguments
                if query.get("tz") is None:
                    query["tz"] = user_zone(current_user_doc())
                return view(*args, **kwargs)

            return decorator(wrapper)

        return with_user_zone

    def auth(self, refresh=False, family=_BLUEPRINT_FAMILY):
        """Require an access token (or a refresh token with ``refresh=True``); a personal access
        token needs a scope of ``family`` (the blueprint's unless given; None: sessions only)."""
        family = self.family if family is _BLUEPRINT_FAMILY else _known(family)

        def decorator(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                verify(refresh)
                require_scope(family)
                return view(*args, **kwargs)

            setattr(wrapper, FAMILY_ATTRIBUTE, family)
            documented = self.alt_response(
                401, schema=ErrorSchema, description="Missing, invalid, expired or revoked token"
            )(wrapper)
            refused = (f"A personal access token without {family}:read (GET) or {family}:write (other methods)"
                       if family else "A personal access token: this needs a login session")
            documented = self.alt_response(403, schema=ErrorSchema, description=refused)(documented)
            return self.doc(security=BEARER)(documented)

        return decorator

    def public(self, view):
        """Mark an endpoint as needing no token in the OpenAPI document."""
        return self.doc(security=[])(view)

    def media(self, status, content_type, schema=None):
        """Document a non-JSON body of a response (CSV, PDF, HTML), beside or instead of the
        JSON one ``response`` documents: merged into that status code's ``content``.
        ``schema`` defaults to a string (text); pass ``BINARY`` for files such as PDFs."""
        return self.doc(responses={status: {"content": {content_type: {"schema": schema or {"type": "string"}}}}})

    def errors(self, *codes):
        """Document error responses (404, 409, ...) in the common shape."""

        def decorator(view):
            for code in codes:
                view = self.alt_response(code, schema=ErrorSchema)(view)
            return view

        return decorator

"""Flask's JSON responses through orjson.

Serialising a response with the standard library costs ~10x orjson's time (a page of 100
invoices: several ms), and every answer goes through here. Only ``response`` (what ``jsonify``
and returned dicts use) changes; ``dumps``/``loads`` (templates' ``tojson``, the rest) stay
Flask's. Values mean the same as with Flask's provider: marshmallow has already turned our
ObjectIds, timestamps (ISO 8601 with offset) and money (JSON numbers) into plain JSON, and what
reaches here unconverted is rendered by Flask's own fallback (dates as HTTP dates, ``Decimal``
and UUIDs as strings, dataclasses as objects). The one visible difference: non-ASCII text is
sent as UTF-8 instead of ``\\u`` escapes (the same JSON, shorter), and a NaN or infinity, which
Flask writes as invalid JSON, as null. Anything orjson refuses
(integers beyond 64 bits, debug-mode indenting) goes through Flask's provider unchanged.
"""

import orjson
from flask.json.provider import DefaultJSONProvider, _default

OPTIONS = (
    orjson.OPT_NON_STR_KEYS  # {1: x} as {"1": x}, like json.dumps
    | orjson.OPT_PASSTHROUGH_DATETIME  # dates through Flask's fallback (HTTP dates), not ISO
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_APPEND_NEWLINE  # Flask ends every JSON response with a newline
)


class OrjsonProvider(DefaultJSONProvider):
    def response(self, *args, **kwargs):
        if self.compact is False or (self.compact is None and self._app.debug) or self.sort_keys:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=_default, option=OPTIONS)
        except TypeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


"""Every response schema dumps stored documents exactly as marshmallow's own ``_serialize``
does (``common.dump_plan``), for documents with every kind of value, ``None`` and missing keys."""

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from importlib import import_module

import pytest
from bson import BSON, CodecOptions, ObjectId, decode
from marshmallow import Schema, fields

from orbix import app as app_module
from orbix.common import dump_plan, timeutil
from orbix.common.schemas import BaseSchema

SAMPLES_PER_SCHEMA = 40
# Left out, marshmallow would dump the dict's own method of that name (the one deliberate difference).
DICT_ATTRIBUTES = set(dir(dict))


def _schema_classes():
    """Every BaseSchema subclass the app defines, once every resource module is imported."""
    for name in (*app_module.BLUEPRINT_MODULES, *app_module.PAGE_MODULES, *app_module.JOB_MODULES):
        import_module(name)

    seen, stack = [], [BaseSchema]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _instances():
    for cls in _schema_classes():
        try:
            yield pytest.param(cls(), id=f"{cls.__module__}.{cls.__qualname__}")
        except TypeError:  # needs constructor arguments: not a response schema
            continue


def _scalar(field, rng):
    """A value of the kind a stored document holds for ``field`` (sometimes an odd one)."""
    if isinstance(field, fields.Boolean):
        return rng.choice([True, False])
    if isinstance(field, (fields.DateTime,)):
        moment = datetime(2020, 1, 1) + timedelta(seconds=rng.randrange(10**8))
        return rng.choice([moment, moment.replace(tzinfo=timezone.utc)])
    if isinstance(field, fields.Date):
        return date(2020, 1, 1) + timedelta(days=rng.randrange(3000))
    if isinstance(field, fields.Integer):
        return rng.randrange(-(10**6), 10**9)
    if isinstance(field, fields.Number):
        return rng.choice([rng.randrange(10**7), Decimal(rng.randrange(10**6)) / 100, 0, 12.5])
    if isinstance(field, fields.String):
        return rng.choice(["", "Work", "EUR", "Ünïcode <b>", "2025-01-02"])
    if isinstance(field, fields.Dict):
        return {"EUR": Decimal("1.50"), "USD": 3}
    if type(field).__name__ == "ObjectIdField":
        return ObjectId()
    return rng.choice([ObjectId(), "text", 7, Decimal("2.50"), {"a": 1}, [1, 2]])


def _value(field, rng, depth):
    if field.allow_none and rng.random() < 0.15:
        return None
    if isinstance(field, fields.Nested):
        nested = field.schema
        make = lambda: _document(nested, rng, depth + 1)  # noqa: E731
        return [make() for _ in range(rng.randrange(3))] if field.many else make()
    if isinstance(field, fields.List):
        return [_value(field.inner, rng, depth) for _ in range(rng.randrange(3))]
    if isinstance(field, fields.Tuple):
        return tuple(_value(inner, rng, depth) for inner in field.tuple_fields)
    return _scalar(field, rng)


def _document(schema, rng, depth=0):
    """A stored-document-like dict for ``schema``: every field's attribute, some left out."""
    document = {"unrelated": 1}
    for name, field in schema.dump_fields.items():
        attribute = field.attribute or name
        if depth > 3 or (rng.random() < 0.1 and attribute not in DICT_ATTRIBUTES):
            continue
        if "." in attribute:
            head, _, rest = attribute.partition(".")
            document.setdefault(head, {})[rest] = _value(field, rng, depth)
        else:
            document[attribute] = _value(field, rng, depth)
    return document


def _outcome(serialize, schema, document):
    try:
        return "ok", serialize(schema, document)
    except Exception as exc:  # noqa: BLE001 - any failure, as long as both paths fail alike
        return "error", type(exc).__name__


@pytest.mark.parametrize("schema", list(_instances()))
def test_a_schema_dumps_documents_as_marshmallow_does(schema):
    rng = random.Random(type(schema).__qualname__)
    for _ in range(SAMPLES_PER_SCHEMA):
        document = _document(schema, rng)
        expected = _outcome(lambda s, d: Schema._serialize(s, d), schema, document)
        assert _outcome(lambda s, d: s._serialize(d), schema, document) == expected, document


def test_the_plan_takes_the_shortcut_for_stored_fields_and_not_for_the_others():
    class Sample(BaseSchema):
        plain = fields.String()
        renamed = fields.Integer(data_key="count")
        dotted = fields.String(attribute="signing.expires_at")
        method = fields.Method("compute")

        def compute(self, obj):
            return obj["plain"] * 2

    plan = {name: shortcut for _key, name, _attribute, _field, shortcut in dump_plan.build(Sample())}
    assert plan == {"plain": True, "renamed": True, "dotted": False, "method": False}
    document = {"plain": "ab", "renamed": 3, "signing": {"expires_at": "soon"}}
    assert Sample().dump(document) == {"plain": "ab", "count": 3, "dotted": "soon", "method": "abab"}


def test_a_key_missing_from_a_document_is_left_out_not_read_as_a_dict_method():
    class WithItems(BaseSchema):
        items = fields.List(fields.Integer())
        values = fields.Raw()

    assert WithItems().dump({}) == {}
    assert WithItems().dump({"items": [1], "values": None}) == {"items": [1], "values": None}


def test_objects_that_are_not_plain_dicts_keep_marshmallows_path():
    class Point:
        x = 3

    class PointSchema(BaseSchema):
        x = fields.Integer()

    assert PointSchema().dump(Point()) == {"x": 3}
    assert PointSchema(many=True).dump([Point(), {"x": 4}]) == [{"x": 3}, {"x": 4}]


def test_stored_dates_render_as_the_utc_conversion_renders_them():
    stored = BSON.encode({"at": datetime(2025, 3, 4, 5, 6, 7, 123000)})
    read = decode(stored, CodecOptions(tz_aware=True))["at"]
    samples = [
        read,
        datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=timezone.utc),  # sub-millisecond: truncated
        datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2025, 3, 4, 5, 6, 7, 999),  # naive: taken as UTC
        datetime(1, 1, 1, tzinfo=timezone.utc),
    ]
    for value in samples:
        assert timeutil.utc_isoformat(value) == timeutil.as_utc(value).isoformat(), value
    assert timeutil.utc_isoformat(read) == "2025-03-04T05:06:07.123000+00:00"

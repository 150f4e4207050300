"""Dumping stored documents (plain dicts) without marshmallow's per-field indirection.

``Schema._serialize`` calls, for every field of every document, ``Field.serialize``, which
calls ``Field.get_value``, which calls the schema's accessor, which calls
``utils.get_value``, before the field's own ``_serialize`` does the work. For a list of a
thousand time entries that indirection was ~60% of the dump (~20 ms). A plan computed once
per schema instance reads each value with ``dict.get`` and calls the field's ``_serialize``
directly; anything the shortcut would not reproduce exactly keeps marshmallow's path:

* a field that overrides ``serialize`` or ``get_value``, reads no attribute
  (``Method``/``Function``), or names a dotted ``attribute`` goes through ``Field.serialize``;
* a schema with its own ``get_attribute``, or an object that is not a plain ``dict``, goes
  through ``Schema._serialize`` entirely (``BaseSchema`` decides).

One difference is deliberate: a key missing from a dict is missing, whereas marshmallow falls
back to ``getattr`` and would dump the dict's own ``items``, ``keys`` or ``values`` method for
a document stored without that key.
"""

from marshmallow import Schema, fields, missing


def _shortcut(field, attribute):
    """True when ``dict.get`` + ``field._serialize`` is exactly what ``field.serialize`` does."""
    cls = type(field)
    return (
        field._CHECK_ATTRIBUTE
        and "." not in attribute
        and cls.serialize is fields.Field.serialize
        and cls.get_value is fields.Field.get_value
    )


def build(schema):
    """``[(output key, field name, attribute, field, shortcut)]`` for ``schema.dump_fields``, in order."""
    plan = []
    for name, field in schema.dump_fields.items():
        attribute = field.attribute or name
        key = field.data_key if field.data_key is not None else name
        plan.append((key, name, attribute, field, _shortcut(field, attribute)))
    return plan


def applies_to(schema):
    """Whether the schema reads values the default way (else its own accessor must be used)."""
    return type(schema).get_attribute is Schema.get_attribute


def dump(schema, plan, document):
    """``schema``'s serialization of one plain dict, field by field as marshmallow would."""
    result = schema.dict_class()
    get = document.get
    for key, name, attribute, field, shortcut in plan:
        if shortcut:
            value = get(attribute, missing)
            if value is missing:
                default = field.dump_default
                value = default() if callable(default) else default
                if value is missing:
                    continue
            value = field._serialize(value, name, document)
        else:
            value = field.serialize(name, document, accessor=schema.get_attribute)
        if value is not missing:
            result[key] = value
    return result

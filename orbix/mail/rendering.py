"""Message bodies from the package's Jinja templates: ``<name>.txt`` (plain text) and
``<name>.html`` (autoescaped) under ``orbix/mail/templates/``."""

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..locale import Wording


@functools.cache
def environment():
    return Environment(
        loader=PackageLoader("orbix.mail", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name, **context):
    """(text, html) bodies of the template pair ``name``; messages not worded for a client's
    language (``t`` and ``lang`` in ``context``) are in English, which the shared layout needs."""
    env = environment()
    if "t" not in context:
        english = Wording()
        context = {"t": english.t, "lang": english.language, **context}
    return env.get_template(f"{name}.txt").render(**context), env.get_template(f"{name}.html").render(**context)

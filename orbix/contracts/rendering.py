"""Safe template rendering by plain substitution.

A template body is text with ``{{ name }}`` placeholders and nothing else: there is
no expression language, so a user's template cannot run code or loop forever, and
the substitution is a single pass, so a ``{{ ... }}`` or ``{% ... %}`` inside a
variable's value is inserted as literal text and never evaluated.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date

from marshmallow import ValidationError, validate

from ..common import money, timeutil
from ..common.exceptions import Invalid
from ..common.fields import Money

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]{0,49})\s*\}\}")
VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
VARIABLE_TYPES = ("text", "longtext", "date", "money", "number", "email")
MAX_LENGTH = {"text": 1000, "longtext": 20000, "email": 254}
MAX_NUMBER = 10**12
# A contract's text, written or rendered: without a cap on the rendered size, 2,000
# placeholders of one 20,000-character variable turned a 20 KB request into 40 MB of
# text (and a 14 MB contract took 630 s to print).
MAX_CONTENT = 200_000
# Placeholder occurrences in one template body (the built-in templates use under 40).
MAX_PLACEHOLDERS = 500
_email = validate.Email()


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    type: str = "text"
    required: bool = True
    default: str | None = None

    def as_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    title: str
    description: str
    variables: tuple
    body: str
    builtin: bool = True

    def as_dict(self):
        return {
            "key": self.key, "title": self.title, "description": self.description, "builtin": self.builtin,
            "variables": [variable.as_dict() for variable in self.variables], "body": self.body,
        }


def placeholders(body):
    """Variable names a body uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(body or "")))


def placeholder_limit(body):
    """Schema validator: at most MAX_PLACEHOLDERS placeholder occurrences in a body."""
    count = len(PLACEHOLDER.findall(body))
    if count > MAX_PLACEHOLDERS:
        raise ValidationError(f"At most {MAX_PLACEHOLDERS} placeholders per template; this body has {count}.")


def content_limit(length):
    """A 422 on ``content`` naming the cap when rendered text of ``length`` exceeds it."""
    if length > MAX_CONTENT:
        message = f"The rendered text is {length} characters; a contract's content is limited to {MAX_CONTENT}."
        raise Invalid(f"content: {message}", errors={"json": {"content": [message]}})


def long_date(day):
    """'1 March 2026': unambiguous in any English-speaking country."""
    return f"{day.day} {day:%B} {day.year}"


# The shared money field does the parsing (no floats, no booleans, a size limit).
_AMOUNT = Money(max_value=MAX_NUMBER)
_NUMBER = Money(allow_negative=True, max_value=MAX_NUMBER)


def normalize(variable, raw, currency):
    """``(stored, shown)`` text for one value, or ValidationError. ``stored`` re-validates."""
    kind = variable.type
    if kind == "date":
        try:
            day = raw if isinstance(raw, date) else timeutil.parse_calendar_date(raw)
        except (ValueError, TypeError) as exc:
            raise ValidationError("Not a valid date (YYYY-MM-DD).") from exc
        return day.isoformat(), long_date(day)
    if kind == "money":
        amount = money.quantize(_AMOUNT.deserialize(raw), currency)
        return str(amount), money.format_amount(amount, currency)
    if kind == "number":
        text = format(_NUMBER.deserialize(raw).normalize(), "f")
        return text, text
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ValidationError("Must be text.")
    text = str(raw).strip()
    if "\x00" in text:
        raise ValidationError("Must not contain NUL characters.")
    if len(text) > MAX_LENGTH[kind]:
        raise ValidationError(f"Longer than maximum length {MAX_LENGTH[kind]}.")
    if kind == "email":
        _email(text)
    return text, text


def _is_empty(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def resolve(spec, given, defaults, currency):
    """Values for every variable of ``spec``: given ones win (an explicit null or "" means
    empty), then ``defaults`` (business profile, client, project), then the variable's own
    default. Returns ``(stored, shown)`` dicts, or a 422 naming each bad or missing variable."""
    errors = {
        name: ["Not a variable of this template."] for name in given if name not in {v.name for v in spec.variables}
    }
    stored, shown = {}, {}
    for variable in spec.variables:
        raw = given[variable.name] if variable.name in given else defaults.get(variable.name)
        if _is_empty(raw):
            if variable.required:
                errors[variable.name] = ["Missing required variable."]
            else:
                stored[variable.name] = shown[variable.name] = variable.default or ""
            continue
        try:
            stored[variable.name], shown[variable.name] = normalize(variable, raw, currency)
        except ValidationError as exc:
            errors[variable.name] = exc.messages if isinstance(exc.messages, list) else [str(exc.messages)]
    if errors:
        missing = [name for name, messages in errors.items() if messages == ["Missing required variable."]]
        summary = f"missing required variable(s): {', '.join(missing)}" if missing else f"invalid: {', '.join(errors)}"
        raise Invalid(f"variables: {summary}", errors={"json": {"variables": errors}})
    return stored, shown


def substitute(body, shown):
    """One pass over the body: each known placeholder becomes its value, verbatim. The
    size of the result is worked out first, and a result over MAX_CONTENT is refused
    before it is built (templates stored before MAX_PLACEHOLDERS existed included)."""
    pieces, position = [], 0
    for match in PLACEHOLDER.finditer(body):
        pieces += (body[position:match.start()], shown.get(match.group(1), match.group(0)))
        position = match.end()
    pieces.append(body[position:])
    content_limit(sum(map(len, pieces)))
    return "".join(pieces)


def render(spec, given, defaults, currency):
    """``(stored variables, rendered text)`` for a template."""
    stored, shown = resolve(spec, given, defaults, currency)
    return stored, substitute(spec.body, shown)

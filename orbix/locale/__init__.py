"""Languages and locales of what clients read: invoice PDFs, public pages and e-mails.

A *language* picks the wording (``catalogue``: one dict per language, English when a key is
missing); a *locale* picks the formats of money and dates (Babel, from CLDR: ``1.234,50 €``
and ``28. November 2026`` in ``de_DE``). Clients and the account each may set both; what a
document uses is ``resolve``'s answer. No collections: nothing here touches the database.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, get_currency_symbol, parse_pattern

from ..common import money
from .catalogue import MESSAGES

LANGUAGES = ("en", "de", "fr", "es", "pt", "sw")
DEFAULT_LANGUAGE = "en"
# The locale a language formats with when none is set (Babel's "pt" is Brazilian Portuguese).
DEFAULT_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "pt": "pt_BR", "sw": "sw_KE"}
MAX_LOCALE_LENGTH = 20
LOCALE_SHAPE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


class LocaleError(ValueError):
    """A language or locale we do not write in."""


def parse_locale(text):
    """``text`` (``de_CH``, ``de-CH``, ``pt_BR``) as Babel's canonical identifier, if its
    language is one we write in; LocaleError otherwise."""
    if not isinstance(text, str) or len(text) > MAX_LOCALE_LENGTH or not LOCALE_SHAPE.match(text):
        raise LocaleError("Not a locale: give a language and optionally a region, such as de_DE or pt_BR.")
    wanted = text.replace("-", "_")
    try:
        parsed = Locale.parse(wanted)
    except (ValueError, TypeError, UnknownLocaleError) as exc:
        raise LocaleError(f"Unknown locale {text!r}.") from exc
    if str(parsed).lower() != wanted.lower():  # Babel falls back (de_ZZ -> de_DE): not what was asked
        raise LocaleError(f"Unknown locale {text!r}.")
    if parsed.language not in LANGUAGES:
        raise LocaleError(f"Locales of {', '.join(LANGUAGES)} only.")
    return str(parsed)


def language_of(locale):
    return locale.split("_", 1)[0] if locale else None


def resolve(party=None, settings=None):
    """(language, locale) for a document to a client: the client's (``party``) choices first,
    then the account's (``settings``), then English. A language without a locale takes the
    account's locale when that is in the same language, else the language's default."""
    party, settings = party or {}, settings or {}
    language = (party.get("language") or language_of(party.get("locale")) or settings.get("language")
                or language_of(settings.get("locale")) or DEFAULT_LANGUAGE)
    locale = party.get("locale")
    if not locale:
        own = settings.get("locale")
        locale = own if language_of(own) == language else DEFAULT_LOCALES[language]
    return language, locale


def format_money(amount, currency, locale):
    """``amount`` in ``currency`` as ``locale`` writes it, with the currency's ISO 4217
    decimals (the ones amounts are stored with): ``1.234,50 €`` (de_DE), ``€1,234.50`` (en_US)."""
    value = money.quantize(amount, currency)
    places = money.exponent(currency)
    babel_locale = Locale.parse(locale)
    pattern = parse_pattern(babel_locale.currency_formats["standard"])
    pattern.frac_prec = (places, places)
    return pattern.apply(value, babel_locale, currency=currency, currency_digits=False)


def format_number(value, locale):
    """A plain number (a quantity, a tax rate) as ``locale`` writes it: ``1,5`` in German."""
    return format_decimal(money.to_decimal(value), locale=locale, decimal_quantization=False)


def format_date(value, locale, format="long"):  # noqa: A002 - Babel's name for it
    """A calendar date (or a datetime's date) as ``locale`` writes it: ``28. November 2026``."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise TypeError("format_date takes a date")
    return babel_format_date(value, format=format, locale=locale)


def currency_symbol(currency, locale):
    return get_currency_symbol(currency, locale=locale)


def translate(language, key, **params):
    """The ``key`` message in ``language`` (English when it lacks it), ``{name}`` filled in."""
    text = MESSAGES.get(language, {}).get(key) or MESSAGES[DEFAULT_LANGUAGE][key]
    return text.format(**params) if params else text


@dataclass(frozen=True)
class Wording:
    """One document's language and locale: its words, money and dates (``t``, ``money``, ``date``)."""

    language: str = DEFAULT_LANGUAGE
    locale: str = DEFAULT_LOCALES[DEFAULT_LANGUAGE]

    def t(self, key, **params):
        return translate(self.language, key, **params)

    def money(self, amount, currency):
        return format_money(amount, currency, self.locale)

    def number(self, value):
        return format_number(value, self.locale)

    def date(self, value, format="long"):  # noqa: A002
        return format_date(value, self.locale, format)


def wording_for(party=None, settings=None):
    return Wording(*resolve(party, settings))

"""Exact money: Decimal arithmetic, ISO 4217 currencies, integer minor units.

Amounts arrive as JSON numbers in major units, are parsed to ``Decimal``, rounded
half-up to the currency's minor unit and stored as integers (cents), so sums
never drift. Rendering turns minor units back into a JSON number.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Active ISO 4217 codes. Value: number of minor-unit digits.
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL "
    "GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD "
    "LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN "
    "PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL "
    "THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)

CURRENCY_EXPONENTS = {
    **{code: 2 for code in _TWO.split()},
    **{code: 0 for code in _ZERO.split()},
    **{code: 3 for code in _THREE.split()},
    **{code: 4 for code in _FOUR.split()},
}

CURRENCY_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KES": "KSh",
    "NGN": "₦", "ZAR": "R", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "CHF": "CHF", "SEK": "kr",
    "NOK": "kr", "DKK": "kr", "PLN": "zł", "BRL": "R$", "MXN": "MX$", "KRW": "₩", "TRY": "₺",
    "UGX": "USh", "TZS": "TSh", "GHS": "GH₵", "ILS": "₪", "RUB": "₽", "UAH": "₴", "PHP": "₱",
    "THB": "฿", "VND": "₫",
}

DEFAULT_CURRENCY = "USD"


class MoneyError(ValueError):
    """An amount or currency that cannot be used."""


def is_currency(code):
    return isinstance(code, str) and code in CURRENCY_EXPONENTS


def exponent(currency):
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError as exc:
        raise MoneyError(f"Unknown currency {currency!r}") from exc


# Powers of ten beyond any amount (the largest accepted is 10**12) yet far inside Decimal's
# context: ``Decimal("1e999999999")`` parses, but abs(), quantize() and comparisons that
# round it raise Overflow, so a magnitude outside this is refused while parsing.
MAX_MAGNITUDE = 100


def to_decimal(value):
    """Parse a JSON number or numeric string to a finite Decimal (never via float arithmetic)
    within 10**MAX_MAGNITUDE of one (a zero is plain zero, whatever exponent it was written with)."""
    if isinstance(value, bool) or value is None:
        raise MoneyError("Not a valid amount.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, float, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise MoneyError("Not a valid amount.") from exc
    else:
        raise MoneyError("Not a valid amount.")
    if not result.is_finite():
        raise MoneyError("Not a valid amount.")
    if not result:
        return Decimal(0)
    if abs(result.adjusted()) > MAX_MAGNITUDE:
        raise MoneyError("Not a valid amount.")
    return result


def quantize(amount, currency):
    """Round half-up to the currency's minor unit."""
    step = Decimal(1).scaleb(-exponent(currency))
    return to_decimal(amount).quantize(step, rounding=ROUND_HALF_UP)


def to_minor(amount, currency):
    """Major-unit amount -> integer minor units (12.345 USD -> 1235)."""
    return int(quantize(amount, currency).scaleb(exponent(currency)))


def from_minor(minor, currency):
    """Integer minor units -> Decimal major units (1235 USD -> Decimal('12.35'))."""
    if minor is None:
        return None
    return Decimal(int(minor)).scaleb(-exponent(currency))


def to_json_number(amount):
    """A Decimal as a JSON-safe number: int when whole, else the shortest float that round-trips."""
    if amount is None:
        return None
    amount = to_decimal(amount)
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def plain(value, min_places=2):
    """A Decimal as plain text with at least ``min_places`` decimals (``120.00``, never ``1.2E+2``)."""
    amount = to_decimal(value)
    step = Decimal(1).scaleb(-min_places)
    if amount == amount.quantize(step):
        amount = amount.quantize(step)
    return format(amount, "f")


def minor_to_json(minor, currency):
    """Stored minor units straight to a JSON number in major units."""
    return to_json_number(from_minor(minor, currency)) if minor is not None else None


def percent_of(amount, rate, currency):
    """``rate`` percent of ``amount``, rounded to the currency."""
    return quantize(to_decimal(amount) * to_decimal(rate) / Decimal(100), currency)


def symbol(currency):
    return CURRENCY_SYMBOLS.get(currency, currency)


def format_amount(amount, currency):
    """Human text for documents: '€1,234.50', 'KSh 1,000.00', '¥1,000'."""
    places = exponent(currency)
    value = quantize(amount, currency)
    text = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    sym = symbol(currency)
    spacer = " " if len(sym) > 1 and sym.isalpha() else ""
    return f"{sign}{sym}{spacer}{text}"


# Hourly rates are prices, not amounts: they are multiplied before rounding, so they are
# stored currency-independently as integer ten-thousandths (85.5 -> 855000) and only the
# billed amount is rounded to the currency's minor unit.
RATE_SCALE = 4


def rate_to_store(rate):
    """Decimal rate (major units per hour) -> integer ten-thousandths; None stays None."""
    if rate is None:
        return None
    return int(to_decimal(rate).quantize(Decimal(1).scaleb(-RATE_SCALE), rounding=ROUND_HALF_UP).scaleb(RATE_SCALE))


def rate_from_store(stored):
    """Stored integer rate -> Decimal major units per hour."""
    if stored is None:
        return None
    return Decimal(int(stored)).scaleb(-RATE_SCALE).normalize()


def bill(seconds, rate, currency):
    """Amount for ``seconds`` of work at ``rate`` per hour, rounded to the currency."""
    return quantize(Decimal(int(seconds)) * to_decimal(rate) / Decimal(3600), currency)


# ``bill`` in integers: seconds x stored rate is exact below this, and so is the quotient that
# ``bill`` rounds (28 significant digits reach 10**-14 there, far finer than the 1 / 72e10 that
# separates any such quotient from a rounding tie). Larger products (and negative seconds or
# rates, which validation refuses) take ``bill`` itself.
BILL_EXACT_BELOW = 10**21
_BILL_DIVISOR = 3600 * 10**RATE_SCALE


def minor_biller(stored_rate, currency):
    """``bill`` at one stored rate in integer minor units, as a function of the seconds:
    ``to_minor(bill(seconds, rate_from_store(stored_rate), currency), currency)``, without
    Decimal (the reports price 20,000 entries per rebuild, at a few hundred rates)."""
    stored = int(stored_rate)
    scaled = 2 * stored * 10 ** exponent(currency)
    limit = BILL_EXACT_BELOW // max(stored, 1) if stored >= 0 else 0

    def minor(seconds):
        if 0 <= seconds < limit:
            return (seconds * scaled + _BILL_DIVISOR) // (2 * _BILL_DIVISOR)  # half-up, as ROUND_HALF_UP
        return to_minor(bill(seconds, rate_from_store(stored), currency), currency)

    return minor

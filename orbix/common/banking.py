"""Bank account identifiers: IBAN (ISO 13616, checked with its mod-97 check digits) and BIC
(ISO 9362). Both are stored normalised: upper case, no spaces."""

import re

IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")  # 15 (Norway) to 34 characters
BIC_SHAPE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")  # bank, country, location, branch?


def compact(value):
    """Upper case without spaces (as people write them: ``de89 3704 0044 0532 0130 00``)."""
    return "".join(value.split()).upper()


def iban_is_valid(iban):
    """Shape and mod-97 check digits of a compact IBAN: moved to the end, the country code and
    check digits make the number, with letters as 10-35, leave 1 when divided by 97."""
    if not IBAN_SHAPE.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def bic_is_valid(bic):
    return bool(BIC_SHAPE.match(bic))


def grouped(iban):
    """An IBAN as people read it: groups of four (``DE89 3704 0044 0532 0130 00``)."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))

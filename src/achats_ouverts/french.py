"""French wording shared by every stage: numbers, amounts, percentages and dates written the
French way (exactly as Babel writes them for fr_FR), plurals, quarters, and the accent- and
case-insensitive form of a text used to match names and values.

Downloads keep machine formats (`1234567.89`, ISO dates); these are for people.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"
Number = int | float | Decimal

GROUP_SEPARATOR = "\u202f"
"""Babel's digit group separator for fr_FR (narrow no-break space)."""


def grouped(integer: int) -> str:
    """An integer with French digit groups, exactly as Babel writes it for fr_FR, about 30 times
    faster: detail pages format hundreds of thousands of amounts."""
    return f"{integer:,}".replace(",", GROUP_SEPARATOR)


def _positive_decimal(value: float, digits: int) -> str:
    """What Babel writes for a non-negative float with `digits` decimals (it rounds the decimal
    form of the float half to even, as here), without its per-call pattern parsing."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{rounded:f}".partition(".")
    return grouped(int(whole)) + ("," + fraction if digits else "")


CENT = Decimal("0.01")


def to_cents(value: Number) -> Decimal:
    """An amount to the cent, half up (`2.675` -> `2.68`), read from its shortest decimal form:
    a float sum that should be `1234.5` but reads `1234.4999999999998` comes back to `1234.50`,
    the sum of the published CSV."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, int):
        exact = Decimal(value)
    else:  # a float, or a NumPy number
        exact = Decimal(repr(float(value)))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def euro_units(value: Number) -> int:
    """An amount to the euro, half up, after rounding it to the cent (`to_cents`): `2,50 €` gives
    3 (Python's `round` gives 2). `site_src/assets/explorateur.js` rounds the same way."""
    return int(to_cents(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(value: Number | None, cents: bool = False) -> str:
    """`1 234 567 €`, or `1 234 567,89 €` with the cents (narrow no-break spaces, no-break space
    before the sign), rounded half up (`euro_units`, `to_cents`)."""
    if value is None:
        return "—"
    if cents:
        exact = to_cents(value)
        whole, _, fraction = f"{abs(exact):f}".partition(".")
        sign = "-" if exact < 0 else ""
        return f"{sign}{grouped(int(whole))},{fraction}\xa0€"
    return grouped(euro_units(value)) + "\xa0€"


def number(value: Number | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    if digits == 0 and isinstance(value, int):
        return grouped(value)
    if isinstance(value, float) and 0 <= value < 1e15:
        return _positive_decimal(value, digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, locale=LOCALE, format=pattern))


def percent(value: Number | None, digits: int = 1) -> str:
    """A value already in percent (12.5) as `12,5 %`."""
    if value is None:
        return "—"
    return f"{number(value, digits)}\xa0%"


def signed_percent(value: Number | None, digits: int = 1) -> str:
    """A change in percent: `+12,3 %`, `−4,0 %` (minus sign), `0,0 %`."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    magnitude: Number = -value if value < 0 else value
    return sign + percent(magnitude, digits)


def french_date(value: date | str | None) -> str:
    """`12 mars 2024`, `1er mars 2024`."""
    if value is None or value == "":
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return _date_text(day)


@cache
def _date_text(day: date) -> str:
    """Dates repeat across thousands of pages: each is formatted by Babel once."""
    text = str(format_date(day, format="d MMMM y", locale=LOCALE))
    return "1er" + text[1:] if day.day == 1 else text


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 marché`, `2 700 marchés`: the count with French digit groups, a no-break space, and the
    singular for 0 and 1 as French does. `many` defaults to `one` + « s »."""
    word = one if count <= 1 else (many if many is not None else one + "s")
    return f"{number(count)}\u00a0{word}"


def quarter_code(day: date) -> str:
    """The quarter of a date as published in the data: `2027-T1`."""
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def quarter_label(code: str) -> str:
    """`2027-T1` as `1er trimestre 2027` (any other text unchanged)."""
    if len(code) != 7 or code[4:6] != "-T" or code[6] not in "1234":
        return code
    n = code[6]
    return f"{n}{'er' if n == '1' else 'e'} trimestre {code[:4]}"


def quarter_start(code: str) -> str:
    """The first day of a quarter `2027-T2` as an ISO date: `2027-04-01`."""
    month = (int(code[6]) - 1) * 3 + 1
    return f"{code[:4]}-{month:02d}-01"


def fold(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a text (« Œuvre » and « oeuvre »
    fold alike), to match headers, list values and names typed by people."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


SEARCH_STOPWORDS = frozenset(
    {
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "par",
        "pour",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
    }
)
"""Words too common to search on (`words_of` leaves them out, as the site's search does)."""


def search_text(text: str) -> str:
    """Lower case, no accents or ligatures, punctuation as spaces: « Maîtrise d’Œuvre » gives
    « maitrise d oeuvre ». The same as `normalize` in the site's scripts."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = re.sub("[\u0300-\u036f]", "", decomposed).lower()
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def words_of(text: str) -> list[str]:
    """The words the site's search indexes in `text`: two characters or more, not too common."""
    return [w for w in search_text(text).split() if len(w) > 1 and w not in SEARCH_STOPWORDS]


def euros_short(value: float) -> str:
    """An amount in a chart's label: `61,2 M€`, `1,3 Md€`; below a million, in full."""
    for size, unit in ((1e9, "Md€"), (1e6, "M€")):
        if abs(value) >= size:
            return f"{number(value / size, 1).removesuffix(',0')}\u00a0{unit}"
    return euros(value)

"""The plausible range of every value, written once: what `validate` accepts beyond the Table
Schemas, so that whatever it accepts, `build` publishes correctly.

The Table Schemas say what a value means; frictionless, which reads them, is generous: it takes
`1_000`, `١٢٣` (other digits), `Infinity`, `1e309` or 26 digits as numbers, integers beyond 64
bits, `2024-1-5` or the year 9999 as dates. Each of these passed validation and then broke the
build (MkDocs crashing past 2106, a build running for minutes over ten thousand years, `Infinity`
in JSON, Parquet overflowing). Here, per type of field:

- numbers: ASCII digits with an optional minus sign and decimal point, at most
  `NUMBER_INTEGER_DIGITS` digits before it and `NUMBER_DECIMALS` after (amounts below a thousand
  billion euros, to the cent and beyond);
- integers: ASCII digits, at most `INTEGER_DIGITS` of them, and per field a plausible maximum
  (`INTEGER_MAXIMA`: a duration of a century, ten thousand lots…);
- dates: `AAAA-MM-JJ` in ASCII digits, between `EARLIEST_DATE` and `LATEST_DATE`;
- web addresses (`uri` fields, the site address): `http(s)://host/path` made of the characters an
  address may hold unescaped (no `{`, `^`, `\\`, space or quote);
- text: no lone carriage return (a spreadsheet's line break is `\\n`; a lone `\\r` is read as the
  end of a row by some readers of the published CSV).

Each check returns None for a plausible value, else (the code's entry in the catalogue
`problem_codes`, message, fix in French).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from achats_ouverts.datafolder.problem_codes.checks import (
    ADRESSE_INVALIDE,
    DATE_NON_STANDARD,
    ENTIER_NON_STANDARD,
    NOMBRE_NON_STANDARD,
    RETOUR_CHARIOT_SEUL,
    VALEUR_IMPLAUSIBLE,
)
from achats_ouverts.datafolder.problem_codes.entries import Code

NUMBER_INTEGER_DIGITS = 12
NUMBER_DECIMALS = 6
INTEGER_DIGITS = 9
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
INTEGER_MAXIMA = {
    "offresRecues": 10_000,
    "dureeMois": 1_200,
    "dureeMoisActuelle": 1_200,
    "dureeMoisPrevue": 1_200,
    "nombreLots": 10_000,
    "modification_id": 10_000,
    "annee": LATEST_DATE.year,
}
"""Integers whose plausible maximum is below `INTEGER_DIGITS` digits (durations in months: a
century; the year of a declared value: LATEST_DATE's)."""

PLAIN_NUMBER = re.compile(
    rf"-?[0-9]{{1,{NUMBER_INTEGER_DIGITS}}}(\.[0-9]{{1,{NUMBER_DECIMALS}}})?", re.ASCII
)
PLAIN_INTEGER = re.compile(rf"-?[0-9]{{1,{INTEGER_DIGITS}}}", re.ASCII)
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
WEB_ADDRESS = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
    r"(?:/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?(?:\?[A-Za-z0-9._~%!$&()*+,;=:@/?-]*)?"
    r"(?:#[A-Za-z0-9._~%!$&()*+,;=:@/?-]*)?",
    re.ASCII,
)
"""An address whose characters need no escaping (RFC 3986, without quotes, spaces, braces,
carets, backslashes or other characters that some readers of feeds and calendars reject)."""

Verdict = tuple[Code, str, str] | None
"""None for a plausible value, else (the catalogue's entry, message, fix)."""


def check_number(text: str) -> Verdict:
    """A number as frictionless may read it must also be written plainly."""
    if PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return None  # not a number at all: the schema's type check reports it
    return (
        NOMBRE_NON_STANDARD,
        f"« {text} » n'est pas écrit comme un nombre simple",
        f"écrire des chiffres de 0 à 9 avec un point décimal, au plus {NUMBER_INTEGER_DIGITS} "
        f"chiffres avant le point et {NUMBER_DECIMALS} après (ex. 1234.56)",
    )


def check_integer(text: str, field: str) -> Verdict:
    if not PLAIN_INTEGER.fullmatch(text):
        try:
            int(text)
        except ValueError:
            return None  # not an integer at all: the schema's type check reports it
        return (
            ENTIER_NON_STANDARD,
            f"« {text} » n'est pas écrit comme un nombre entier simple",
            f"écrire au plus {INTEGER_DIGITS} chiffres de 0 à 9, sans espace ni séparateur",
        )
    maximum = INTEGER_MAXIMA.get(field)
    if maximum is not None and int(text) > maximum:
        return (
            VALEUR_IMPLAUSIBLE,
            f"« {text} » dépasse la valeur plausible la plus grande ({maximum})",
            "vérifier la valeur (une durée est en mois, une année sur 4 chiffres)",
        )
    return None


def check_date(text: str) -> Verdict:
    if not PLAIN_DATE.fullmatch(text):
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            return None  # not a date at all: the schema's type check reports it
        return (
            DATE_NON_STANDARD,
            f"« {text} » n'est pas écrit AAAA-MM-JJ",
            "écrire l'année sur 4 chiffres, le mois et le jour sur 2 (ex. 2024-03-05)",
        )
    if not EARLIEST_DATE.isoformat() <= text <= LATEST_DATE.isoformat():
        return (
            VALEUR_IMPLAUSIBLE,
            f"la date « {text} » est hors de la période plausible "
            f"({EARLIEST_DATE.year}-{LATEST_DATE.year})",
            "vérifier l'année (une faute de frappe ?)",
        )
    return None


def check_web_address(text: str) -> Verdict:
    if WEB_ADDRESS.fullmatch(text):
        return None
    return (
        ADRESSE_INVALIDE,
        f"« {text} » n'est pas une adresse web utilisable telle quelle",
        "écrire l'adresse complète en http(s), sans espace, guillemet, accolade, « ^ » ni « \\ » "
        "(les coder avec %, par ex. %20 pour une espace)",
    )


def check_text(text: str) -> Verdict:
    if "\r" in text.replace("\r\n", ""):
        return (
            RETOUR_CHARIOT_SEUL,
            "le texte contient un retour chariot seul (ancien saut de ligne Mac)",
            "remplacer le retour chariot par un saut de ligne ou une espace",
        )
    return None


def check(field: dict[str, object], text: str) -> Verdict:
    """The verdict on one non-empty cell of a field described by its Table Schema entry: only
    on values the schema accepts (what it refuses, its own checks report)."""
    kind = field.get("type")
    constraints = field.get("constraints")
    pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
    if isinstance(pattern, str) and not re.fullmatch(pattern, text):
        return None
    if kind == "number":
        return check_number(text)
    if kind == "integer":
        return check_integer(text, str(field.get("name")))
    if kind == "date":
        return check_date(text)
    if kind == "string":
        if field.get("format") == "uri":
            return check_web_address(text)
        return check_text(text)
    return None

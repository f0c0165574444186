"""Normalisation rules shared by every source format: small pure functions, one per kind of value.

Each function takes a value as found in a source (text, number, date, None) and returns the value
the Table Schemas expect, plus what was done to it. Nothing here knows about files or records:
`conversion` applies these rules field by field and keeps the account of corrections and
rejections.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import fold
from achats_ouverts.identifiers import siret_valid

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPREADSHEET_ERRORS = re.compile(
    r"^#(N/A|N/D|NA|VALEUR!|VALUE!|REF!|DIV/0!|NOM\?|NAME\?|NUL!|NULL!|NUM!|CHAMP!|SPILL!|CALC!)$",
    re.I,
)
SENTINELS = {"nc", "n/c", "non disponible", "non renseigné", "non renseigne", "null", "none", "nan"}
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
ISO_DATE_WITH_SUFFIX = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ].*|Z|[+-][0-9]{2}:?[0-9]{2}Z?)$"
)
FRENCH_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
IDENTIFIER_SPACES = re.compile(r"[\s.\u00a0\u202f]")
FIRST_YEAR = 1990
LAST_YEAR = 2100
OBJET_MAX = 1000
NOM_MAX = 250
LIEU_MAX = 10


class Unusable(ValueError):
    """A value that cannot be read: the message says why, in French."""


# --- Text --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    value: str
    cleaned: bool = False
    """Control characters were removed."""


def text(raw: Any) -> Text | None:
    """Trimmed text without control characters; None for an empty value, a sentinel or a
    spreadsheet error token (such as `#N/A`)."""
    if raw is None:
        return None
    if type(raw) is str:
        stripped = raw.strip()
    elif isinstance(raw, dict | list):
        return None
    elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        stripped = number_text(raw)
    else:
        stripped = str(raw).strip()
    if not stripped:
        return None
    cleaned = stripped
    if CONTROL_CHARS.search(stripped):
        cleaned = CONTROL_CHARS.sub("", stripped).strip()
    if (
        not cleaned
        or (len(cleaned) < 16 and cleaned.lower() in SENTINELS)
        or (cleaned[0] == "#" and SPREADSHEET_ERRORS.match(cleaned))
    ):
        return None
    return Text(cleaned, cleaned != stripped)


def truncate(value: str, limit: int) -> tuple[str, bool]:
    if len(value) <= limit:
        return value, False
    return value[: limit - 1].rstrip() + "…", True


# --- Numbers -----------------------------------------------------------------------------------


def number_text(value: int | float | Decimal) -> str:
    """A number written with a decimal point and no exponent (`1e17` -> `100000000000000000`)."""
    if isinstance(value, bool):
        raise Unusable("valeur logique au lieu d'un nombre")
    if isinstance(value, int):
        return str(value)
    dec = Decimal(repr(value)) if isinstance(value, float) else value
    if not dec.is_finite():
        raise Unusable("nombre infini ou indéfini")
    written = format(dec, "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return written


def parse_decimal(raw: Any, decimal_mark: str = ".", thousands: tuple[str, ...] = ()) -> Decimal:
    """A number from a JSON/XML/CSV value. `decimal_mark` and `thousands` describe an in-house
    export (`14 700,00` with decimal_mark="," and thousands=(" ", "\\u00a0", "\\u202f"))."""
    if isinstance(raw, bool):
        raise Unusable("valeur logique au lieu d'un nombre")
    if isinstance(raw, int | Decimal):
        dec = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise Unusable("nombre infini ou indéfini")
        dec = Decimal(repr(raw))
    else:
        value = str(raw).strip()
        for separator in thousands:
            value = value.replace(separator, "")
        if decimal_mark != ".":
            if "." in value and "." not in thousands:
                raise Unusable(f"« {raw} » : point inattendu (le séparateur décimal est « , »)")
            value = value.replace(decimal_mark, ".")
        if not PLAIN_NUMBER.match(value):
            raise Unusable(f"« {raw} » n'est pas un nombre")
        try:
            dec = Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already guards
            raise Unusable(f"« {raw} » n'est pas un nombre") from exc
    if not dec.is_finite():
        raise Unusable("nombre infini ou indéfini")
    return dec


def positive_amount(raw: Any) -> str:
    """An amount in euros HT, at least 1 (the DECP minimum)."""
    dec = parse_decimal(raw)
    if dec < 1:
        raise Unusable(f"montant {number_text(dec)} : 1 € HT au moins")
    return number_text(dec)


def fraction(raw: Any) -> str:
    """A rate or share between 0 and 1."""
    dec = parse_decimal(raw)
    if dec < 0 or dec > 1:
        raise Unusable(f"{number_text(dec)} n'est pas entre 0 et 1 (10 % s'écrit 0.1)")
    return number_text(dec)


def positive_integer(raw: Any) -> tuple[str, bool]:
    """An integer of at least 1; a fractional value is rounded up (DECP rule for durations).
    Returns (text, rounded)."""
    dec = parse_decimal(raw)
    whole = int(dec.to_integral_value(rounding="ROUND_CEILING"))
    if whole < 1:
        raise Unusable(f"{number_text(dec)} : un entier de 1 au moins est attendu")
    return str(whole), Decimal(whole) != dec


# --- Booleans ----------------------------------------------------------------------------------

TRUE_WORDS = {"true", "oui", "vrai", "1", "o", "yes", "y"}
FALSE_WORDS = {"false", "non", "faux", "0", "n", "no"}


def boolean(raw: Any) -> str:
    """`true` or `false` from JSON booleans and the XML/CSV spellings (oui/non, 1/0)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    value = str(raw).strip().lower()
    if value in TRUE_WORDS:
        return "true"
    if value in FALSE_WORDS:
        return "false"
    raise Unusable(f"« {raw} » n'est ni vrai ni faux")


# --- Dates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateValue:
    iso: str
    normalised: bool
    """The source wrote it otherwise (time zone suffix, time, dd/mm/yyyy)."""


def _checked(year: int, month: int, day: int, raw: Any) -> str:
    try:
        found = date(year, month, day)
    except ValueError as exc:
        raise Unusable(f"« {raw} » n'est pas une date existante") from exc
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Unusable(f"« {raw} » : année {year} invraisemblable")
    return found.isoformat()


def parse_date(raw: Any) -> DateValue:
    """An ISO date from `2024-03-12`, `2018-12-17+01:00`, `2024-03-12T10:00:00`, `12/03/2024` or
    a date object (spreadsheet cell)."""
    if isinstance(raw, datetime):
        return DateValue(
            _checked(raw.year, raw.month, raw.day, raw), raw.time() != datetime.min.time()
        )
    if isinstance(raw, date):
        return DateValue(_checked(raw.year, raw.month, raw.day, raw), False)
    value = str(raw).strip()
    match = ISO_DATE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return DateValue(_checked(year, month, day, raw), False)
    match = ISO_DATE_WITH_SUFFIX.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return DateValue(_checked(year, month, day, raw), True)
    match = FRENCH_DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return DateValue(_checked(year, month, day, raw), True)
    raise Unusable(f"« {raw} » n'est pas une date AAAA-MM-JJ")


def parse_date_format(raw: Any, pattern: str) -> Any:
    """Convert a date written with a strptime `pattern` (in-house exports) to ISO; any other
    value is returned unchanged, for `parse_date` to accept or explain."""
    if raw is None or isinstance(raw, date):
        return raw
    value = str(raw).strip()
    try:
        return datetime.strptime(value, pattern).date().isoformat()
    except ValueError:
        return raw


# --- Enumerations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    rewritten: bool
    """The source spelled it differently (case, accents, a known synonym)."""


def choice(raw: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> Choice:
    """Match a value against an enumeration, ignoring case, accents and punctuation; `aliases`
    maps folded synonyms to allowed values."""
    if raw in allowed:
        return Choice(raw, False)
    folded = fold(raw)
    for value in allowed:
        if fold(value) == folded:
            return Choice(value, True)
    if aliases and folded in aliases:
        return Choice(aliases[folded], True)
    listed = " ; ".join(f"« {a} »" for a in allowed)
    raise Unusable(f"« {raw} » n'est pas une valeur autorisée ({listed})")


def folded_aliases(pairs: dict[str, str]) -> dict[str, str]:
    return {fold(key): value for key, value in pairs.items()}


NATURE_2019 = {
    fold("Accord-cadre"): ("techniques", "Accord-cadre"),
    fold("Marché subséquent"): ("modalitesExecution", "Marchés subséquents"),
}
"""2019 natures that the 2022 format moved to techniques / modalitesExecution."""

FORME_PRIX_2019 = {
    fold("Ferme"): "Définitif ferme",
    fold("Ferme et actualisable"): "Définitif actualisable",
    fold("Révisable"): "Définitif révisable",
}
"""2019 `formePrix` values, which the 2022 format moved to `typesPrix`."""

PROCEDURES_ANCIENNES = folded_aliases(
    {
        "Procédure concurrentielle avec négociation": "Procédure avec négociation",
        "Procédure négociée avec mise en concurrence préalable": "Procédure avec négociation",
        "Marché négocié sans publicité ni mise en concurrence préalable": (
            "Marché passé sans publicité ni mise en concurrence préalable"
        ),
        "Marché public négocié sans publicité ni mise en concurrence préalable": (
            "Marché passé sans publicité ni mise en concurrence préalable"
        ),
        "Procédure négociée sans publicité ni mise en concurrence préalable": (
            "Marché passé sans publicité ni mise en concurrence préalable"
        ),
    }
)
"""Procedure names from before the 2019 reform, still found in real data, and their 2022 name."""

ALIASES: dict[str, dict[str, str]] = {
    "nature": folded_aliases(
        {"Marché de défense et de sécurité": "Marché de défense ou de sécurité"}
    ),
    "ccag": folded_aliases({"Sans objet": "Pas de CCAG", "Aucun": "Pas de CCAG"}),
    "considerationsSociales": folded_aliases({"Sans objet": v.PAS_DE_CONSIDERATION_SOCIALE}),
    "considerationsEnvironnementales": folded_aliases(
        {"Sans objet": v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE}
    ),
    "typeGroupementOperateurs": folded_aliases({"Sans objet": "Pas de groupement"}),
}

TYPES_IDENTIFIANT_ALIASES = folded_aliases(
    {
        "TVA intracommunautaire": "TVA",
        "TVA_INTRACOMMUNAUTAIRE": "TVA",
        "UE": "TVA",
        "Hors UE": "HORS-UE",
    }
)

MULTI_NONE = {
    "techniques": "Sans objet",
    "modalitesExecution": "Sans objet",
    "considerationsSociales": v.PAS_DE_CONSIDERATION_SOCIALE,
    "considerationsEnvironnementales": v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE,
}


def split_multi(raw: Any) -> list[str]:
    """The items of a multi-valued field: a list, or a text joined with `,` or `;`."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else re.split(r"[,;]", str(raw))
    found = []
    for item in items:
        cleaned = text(item)
        if cleaned is not None:
            found.append(cleaned.value)
    return found


# --- Identifiers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Siret:
    value: str
    repair: str | None = None
    """None, `siret-reformate` (spaces or dots removed) or `siret-zero-restaure`."""


def siret(raw: Any) -> Siret:
    """A 14-digit SIRET passing the Luhn check (La Poste's rule included), written as text."""
    if isinstance(raw, bool) or raw is None:
        raise Unusable("SIRET absent")
    return _siret(str(raw).strip() if not isinstance(raw, int) else str(raw))


@functools.lru_cache(maxsize=1 << 16)
def _siret(value: str) -> Siret:
    compact = IDENTIFIER_SPACES.sub("", value)
    repair = "siret-reformate" if compact != value else None
    if not compact.isdigit():
        raise Unusable(f"« {value} » n'est pas un SIRET : 14 chiffres attendus")
    if len(compact) == 13 and siret_valid("0" + compact):
        return Siret("0" + compact, "siret-zero-restaure")
    if len(compact) != 14:
        raise Unusable(f"« {value} » n'est pas un SIRET : {len(compact)} chiffres au lieu de 14")
    if not siret_valid(compact):
        raise Unusable(f"« {value} » : la clé de contrôle du SIRET est fausse")
    return Siret(compact, repair)


def supplier_identifier(raw: Any) -> str:
    """A non-SIRET supplier identifier (VAT number, foreign id): no spaces, no comma."""
    found = text(raw)
    if found is None:
        raise Unusable("identifiant absent")
    compact = IDENTIFIER_SPACES.sub("", found.value)
    if "," in compact or ":" in compact or len(compact) > 32:
        raise Unusable(f"« {found.value} » n'est pas un identifiant utilisable")
    return compact


@dataclass(frozen=True)
class Cpv:
    value: str
    zero_restored: bool


CPV_LOOSE = re.compile(r"^([0-9]{7,8})(?:-([0-9]))?$")


def cpv_code(raw: Any) -> Cpv:
    """A CPV code: 8 digits with or without its check digit; a code that lost its leading zero
    (7 digits) gets it back."""
    value = IDENTIFIER_SPACES.sub("", str(raw))
    match = CPV_LOOSE.match(value)
    if not match:
        raise Unusable(
            f"« {raw} » n'est pas un code CPV (8 chiffres, suivis ou non de « -chiffre »)"
        )
    digits, check = match.groups()
    restored = len(digits) == 7
    if restored:
        digits = "0" + digits
    if cpv.division(digits) not in cpv.DIVISIONS:
        raise Unusable(f"« {raw} » : la division CPV « {digits[:2]} » n'existe pas")
    return Cpv(digits + (f"-{check}" if check else ""), restored)


def geo_code(raw: Any, pattern: str, width: int) -> str:
    """A département or région code; a number that lost its leading zero gets it back."""
    found = text(raw)
    if found is None:
        raise Unusable("code absent")
    value = found.value.upper()
    if value.isdigit() and len(value) < width:
        value = value.zfill(width)
    if not re.match(pattern, value):
        raise Unusable(f"« {found.value} » n'est pas un code valide")
    return value

"""The kit the Table Schemas are written with: a field's JSON description from its name, type,
French title, description, example and constraints, and the descriptions and patterns several
datasets share."""

from __future__ import annotations

import re
from typing import Any

from achats_ouverts import vocabulary as v

Field = dict[str, Any]
"""A field of a Table Schema, as written in its JSON file."""


def define(
    name: str,
    type_: str,
    title: str,
    description: str,
    example: str,
    **constraints: Any,
) -> Field:
    """A field: `constraints` holds the Table Schema constraints, and `format`."""
    field: Field = {
        "name": name,
        "type": type_,
        "title": title,
        "description": description,
        "example": example,
    }
    fmt = constraints.pop("format", None)
    if fmt:
        field["format"] = fmt
    if type_ == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if constraints:
        field["constraints"] = constraints
    return field


def _multi_value_pattern(values: tuple[str, ...]) -> str:
    """Regex accepting one or more allowed values joined by the multi-value separator."""
    one = "(" + "|".join(re.escape(value) for value in values) + ")"
    return f"^{one}({re.escape(v.MULTI_SEPARATOR)}{one})*$"


def define_multi(
    name: str, title: str, description: str, values: tuple[str, ...], example: str
) -> Field:
    """A text field holding one or more of `values`, joined by the multi-value separator."""
    listed = " ; ".join(f"« {value} »" for value in values)
    text = (
        f"{description} Une ou plusieurs valeurs parmi : {listed}, "
        f"séparées par une virgule suivie d'une espace (« {v.MULTI_SEPARATOR} »)."
    )
    return define(name, "string", title, text, example, pattern=_multi_value_pattern(values))


SIRET_DESCRIPTION = (
    "Numéro SIRET à 14 chiffres, sans espace (9 chiffres du SIREN suivis des 5 chiffres du NIC), "
    "écrit comme du texte pour garder les zéros initiaux."
)
DATE_DESCRIPTION = "au format ISO 8601 AAAA-MM-JJ"
CPV_DESCRIPTION = (
    "Code du vocabulaire commun pour les marchés publics (CPV 2008) : 8 chiffres, suivis ou non "
    "d'un tiret et du chiffre de contrôle (« 45214200-2 » ou « 45214200 »)."
)
CPV_PATTERN = r"^[0-9]{8}(-[0-9])?$"
SIRET_PATTERN = r"^[0-9]{14}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

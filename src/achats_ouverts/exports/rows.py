"""Rows of the validated tables as plain Python values, for the writers of standard formats,
feeds and the changelog: rows as tuples or dicts, each contract's suppliers and modifications, and
the JSON forms of an amount and a date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas


def multi(value: str) -> list[str]:
    return value.split(v.MULTI_SEPARATOR) if value else []


def amount(value: float) -> int | float:
    """An amount as a JSON number: integral amounts without a trailing `.0`."""
    return int(value) if float(value).is_integer() else float(value)


def timestamp(day: str) -> str:
    """An ISO date as an RFC 3339 date-time at midnight UTC."""
    return f"{day}T00:00:00Z"


def column_lists(frame: pd.DataFrame, names: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of these columns as tuples, without a per-row pandas object."""
    yield from zip(*(frame[name].tolist() for name in names), strict=True)


def row_dicts(frame: pd.DataFrame, names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows of these columns (all by default) as dicts."""
    columns = list(frame.columns if names is None else names)
    return [dict(zip(columns, values, strict=True)) for values in column_lists(frame, columns)]


INITIAL = "titulaireInitial"
CURRENT = "titulaireActuel"


def suppliers_by_contract(
    contract_suppliers: pd.DataFrame, state: str = CURRENT
) -> dict[str, list[tuple[str, str]]]:
    """uid -> [(typeIdentifiant, id)] of the validated marches-titulaires rows whose `state`
    column (`INITIAL`: at notification, `CURRENT`: now) is true, in the order of the table."""
    chosen = contract_suppliers[contract_suppliers[state] == "true"]
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for uid, kind, ident in column_lists(
        chosen, ("uid", "titulaire_typeIdentifiant", "titulaire_id")
    ):
        result[uid].append((kind, ident))
    return result


def modifications_by_contract(text: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
    """uid -> modification rows (validated text), in `modification_id` order."""
    ordered = text.assign(_n=pd.to_numeric(text["modification_id"], errors="coerce"))
    ordered = ordered.sort_values(["uid", "_n"], kind="stable")
    names = [f for f in schemas.dataset("modifications").field_names if f != "uid"]
    result: dict[str, list[dict[str, str]]] = defaultdict(list)
    for uid, *values in column_lists(ordered, ("uid", *names)):
        result[uid].append(dict(zip(names, values, strict=True)))
    return result

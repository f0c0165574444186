"""What the two explorers (awarded contracts, upcoming purchases) share: the options of their
select boxes and their data, written as compact JSON shards of at most `SHARD_ROWS` rows, listed
in the page's configuration (`site_src/assets/explorateur.js` reads them).

A column of a shard that takes its values from a list (a procedure, a service…) holds the index of
the value in that list, `UNKNOWN` for a value outside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from achats_ouverts.output.listing import dates_of

PAGE_SIZE = 50
"""Rows of an explorer's first page (static HTML) and of each page the script shows."""
SHARD_ROWS = 5000
UNKNOWN = -1


def compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def isos(series: pd.Series) -> list[str]:
    """A datetime column as ISO dates, '' where missing."""
    return [day.isoformat() if day else "" for day in dates_of(series)]


def flag(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(bool(value))


def indexer(values: Sequence[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(values)}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Shard:
    """One file of explorer data: its path (relative to the explorer page), the year its rows
    were notified or planned in (None: several), and its content, column by column."""

    chemin: str
    annee: int | None
    lignes: int
    contenu: dict[str, Any]


def shard_manifest(shards: Sequence[Shard]) -> list[dict[str, Any]]:
    return [{"chemin": s.chemin, "annee": s.annee, "lignes": s.lignes} for s in shards]


def chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(start + size, total)

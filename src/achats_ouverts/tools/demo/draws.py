"""Small helpers every part of the generator draws and writes with: weighted draws, the text of
amounts, shares, flags and multi-valued cells, month arithmetic, shares of a total, yearly tables.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from achats_ouverts import vocabulary as v

T = TypeVar("T")
Row = tuple[str, ...]
"""A row of a table, in its schema's column order."""
INT_TEXT = tuple(str(i) for i in range(400))
"""The text of small integers, computed once (durations, counts and numbers repeat a lot)."""


def cumulative(weights: Iterable[float]) -> tuple[float, ...]:
    """Running totals, for weighted draws with `pick`."""
    total = 0.0
    result: list[float] = []
    for weight in weights:
        total += weight
        result.append(total)
    return tuple(result)


def pick(rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    """A weighted draw with precomputed cumulative weights."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1], 0, len(cum) - 1)]


def format_amount(value: float) -> str:
    return f"{value:.2f}"


def format_ratio(value: float) -> str:
    """A share between 0 and 1 with at most two decimals: 0.1, 0.05, 1, 0."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def join(values: Iterable[str], order: Sequence[str]) -> str:
    """Multi-valued cell in the vocabulary's order."""
    chosen = set(values)
    return v.MULTI_SEPARATOR.join(value for value in order if value in chosen)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def int_text(value: int) -> str:
    return INT_TEXT[value] if 0 <= value < len(INT_TEXT) else str(value)


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Integer counts summing to `total`, proportional to `weights` (ties go to the first)."""
    quotas = [total * weight / sum(weights) for weight in weights]
    counts = [math.floor(quota) for quota in quotas]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def by_year(table: Mapping[int, float], year: int) -> float:
    if year in table:
        return table[year]
    return table[min(table)] if year < min(table) else table[max(table)]

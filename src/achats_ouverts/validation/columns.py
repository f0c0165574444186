"""The kit the procurement checks share: text columns read fast, and rows flagged as problems.

A check keeps its Python definition (a `re` pattern, a comparison). To stay fast on a million
rows, it first narrows a column to candidates with a cheaper test that can only say "maybe" more
often than the exact one (an Arrow kernel, or one evaluation per distinct value), then applies the
exact test to the candidates alone: the result is the same as testing every cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.report import Problem
from achats_ouverts.validation.reading import Table

Message = Callable[[str], tuple[str, str]]
"""From a cell value to (message, fix)."""

STRICT_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def flag(
    table: Table, mask: pd.Series, field: str, code: Code, message: Message
) -> Iterator[Problem]:
    """One problem per row where `mask` is true, built from the cell of `field`."""
    assert table.frame is not None
    if not mask.any():
        return
    for row, value in table.frame.loc[mask, field].items():
        text, fix = message(str(value))
        yield code.problem(table.file, int(row), field, text, fix)


def fixed(message: str, fix: str) -> Message:
    """The same message and fix whatever the cell."""

    def build(_value: str) -> tuple[str, str]:
        return message, fix

    return build


def arrow_text(col: pd.Series) -> pa.Array:
    return pa.array(col.to_numpy(dtype=object), type=pa.large_string())


def rows_where(col: pd.Series, candidates: pa.Array) -> pd.Series:
    """The cells of `col` where the Arrow boolean array `candidates` is true."""
    index = np.flatnonzero(candidates.to_numpy(zero_copy_only=False))
    return col.iloc[index]


def widen(mask: pd.Series, index: pd.Index) -> pd.Series:
    """A mask over some rows extended to every row (false elsewhere)."""
    return mask.reindex(index, fill_value=False).astype(bool)


def by_value(col: pd.Series, test: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """An elementwise `test` evaluated once per distinct value: the same result as `test(col)`."""
    codes, uniques = pd.factorize(col)
    result = test(pd.Series(uniques, dtype=object))
    return pd.Series(result.to_numpy()[codes], index=col.index)


def not_matching(col: pd.Series, strict: str) -> pd.Series:
    """Cells that may fail the `re` pattern `strict`, found with RE2 first (`strict` must be an
    RE2 pattern stricter than or equal to the Python one, e.g. `[0-9]` for `\\d`)."""
    text = arrow_text(col)
    maybe = pc.and_(pc.not_equal(text, ""), pc.invert(pc.match_substring_regex(text, strict)))
    return rows_where(col, maybe)


def dates(col: pd.Series) -> pd.Series:
    """Cells written as ISO dates, as timestamps (NaT elsewhere)."""

    def parse(values: pd.Series) -> pd.Series:
        return pd.to_datetime(
            values.where(values.str.match(ISO_DATE), None), format="%Y-%m-%d", errors="coerce"
        )

    return by_value(col, parse)


def numbers(col: pd.Series) -> pd.Series:
    """Cells written as strict numbers, as floats (NaN elsewhere)."""
    text = arrow_text(col)
    sure = pc.match_substring_regex(text, r"^-?[0-9]+(\.[0-9]+)?$").to_numpy(zero_copy_only=False)
    strict = sure.copy()
    unsure = col[~sure]
    strict[~sure] = unsure.str.match(STRICT_NUMBER).to_numpy(dtype=bool)
    return pd.to_numeric(col.where(strict, None), errors="coerce")

"""The Table Schemas compiled to vectorised checks over the text cells the reader parsed.

Frictionless validates row by row in pure Python (about 20 000 rows per second here); this module
finds exactly the same errors (same row, field, cell and note, so the same translated problems)
column by column:
- types and cell constraints go through frictionless's own cell reader, called once per distinct
  value of a column, so their semantics are frictionless's by construction (a string column
  without pattern or format is checked with pandas instead, with the same rules: missing value
  `""`, `len()` for lengths, equality for `enum`);
- what does not depend on one cell alone is computed here with pandas, following
  `frictionless.resources.table` line by line: row shapes (`extra-cell`, `missing-cell`, rows
  whose cells are all missing), `unique` (each repeat names the previous occurrence), the primary
  key (a key whose cells are all missing is an error) and foreign keys (looked up in the referenced
  table's cast values, keys whose cells are all missing skipped).

It handles tables whose header is exactly the schema's columns, in order (what the importer, the
demonstration generator and `achats-ouverts schemas` write). For any other table the validation
falls back to frictionless for the whole package. `tests/test_schema_checks.py` runs both on a
corpus covering every type, format and constraint the schemas use, valid and with errors, and
asserts the same problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import frictionless
import numpy as np
import pandas as pd

from achats_ouverts.datafolder import Dataset, schemas
from achats_ouverts.validation.reading import Table

CellReader = Callable[[Any], tuple[Any, dict[str, str] | None]]
VECTORISED_STRING_CONSTRAINTS = {"required", "minLength", "maxLength", "enum", "unique"}
"""A string field (no format) with only these constraints is checked with pandas alone."""


@dataclass(frozen=True)
class SchemaError:
    """An error as frictionless reports it, reduced to what `runner.translate` reads."""

    type: str
    row_number: int | None
    field_name: str | None
    cell: str
    note: str


def handles(table: Table) -> bool:
    """Whether the compiled checks cover this table (else frictionless validates the package)."""
    return table.frame is not None and table.header == list(table.dataset.field_names)


def frictionless_schema(ds: Dataset) -> frictionless.Schema:
    return frictionless.Schema.from_descriptor(schemas.table_schema(ds))


@dataclass
class _Column:
    """One field of a table: its cell errors by row, and its cast values where keys need them."""

    errors: list[tuple[int, int, SchemaError]]
    cast: pd.Series | None


class _TableCheck:
    """The errors of one table, in frictionless's order: by row, then as `Row` appends them."""

    def __init__(self, table: Table, schema: frictionless.Schema) -> None:
        assert table.frame is not None
        self.table = table
        self.frame: pd.DataFrame = table.frame
        self.schema = schema
        self.fields: list[Any] = list(schema.fields)
        self.keyed: set[str] = set(schema.primary_key)
        for field in self.fields:
            if field.constraints.get("unique"):
                self.keyed.add(field.name)
        self.cast: dict[str, pd.Series] = {}
        self.ordered: list[tuple[int, tuple[int, ...], SchemaError]] = []

    def need_cast(self, names: Iterable[str]) -> None:
        self.keyed.update(names)

    def add(self, row: int, order: tuple[int, ...], error: SchemaError) -> None:
        self.ordered.append((row, order, error))

    # --- cells ------------------------------------------------------------------------------

    def check_cells(self) -> None:
        empty = pd.Series(True, index=self.frame.index)
        for position, field in enumerate(self.fields):
            col: pd.Series = self.frame[field.name]
            missing = col == ""
            empty &= missing
            if self._vectorised(field):
                self._check_string(position, field, col, missing)
            else:
                self._check_by_value(position, field, col)
        self.blank = empty

    @staticmethod
    def _vectorised(field: Any) -> bool:
        return (
            field.type == "string"
            and field.format in (None, "default")
            and set(field.constraints) <= VECTORISED_STRING_CONSTRAINTS
        )

    def _check_string(self, position: int, field: Any, col: pd.Series, missing: pd.Series) -> None:
        constraints: dict[str, Any] = field.constraints
        failed: list[tuple[str, pd.Series]] = []
        for name in field.supported_constraints:
            value = constraints.get(name)
            if value is None:
                continue
            if name == "required":
                mask = missing if value else None
            elif name == "minLength":
                mask = ~missing & (col.str.len() < value)
            elif name == "maxLength":
                mask = ~missing & (col.str.len() > value)
            elif name == "enum":
                allowed = [v for v in value if isinstance(v, str)]  # what the reader casts
                mask = ~missing & ~col.isin(allowed)
            else:  # pragma: no cover - excluded by _vectorised
                raise AssertionError(name)
            if mask is not None and mask.any():
                failed.append((name, mask))
        for name, mask in failed:
            note = f'constraint "{name}" is "{constraints[name]}"'
            order = field.supported_constraints.index(name)
            hits = col[mask]
            for row, cell in zip(hits.index.tolist(), hits.tolist(), strict=True):
                self.add(
                    row,
                    (0, position, 1 + order),
                    SchemaError("constraint-error", row, field.name, str(cell), note),
                )
        if field.name in self.keyed:
            values = col.to_numpy(dtype=object).copy()
            values[missing.to_numpy()] = None
            self.cast[field.name] = pd.Series(values, index=col.index, dtype=object)

    def _check_by_value(self, position: int, field: Any, col: pd.Series) -> None:
        codes, uniques = pd.factorize(col)
        reader: CellReader = field.create_cell_reader()
        results = [reader(value) for value in uniques]
        bad = [i for i, (_, notes) in enumerate(results) if notes]
        if bad:
            rows = col.index.to_numpy()
            hit = np.isin(codes, bad)
            for row, code in zip(rows[hit], codes[hit], strict=True):
                cell = str(uniques[code])
                notes = results[code][1]
                assert notes is not None
                for k, (name, note) in enumerate(notes.items()):
                    kind = "type-error" if name == "type" else "constraint-error"
                    self.add(
                        int(row),
                        (0, position, k),
                        SchemaError(kind, int(row), field.name, cell, note),
                    )
        if field.name in self.keyed:
            values = np.empty(len(results), dtype=object)
            for i, (value, _) in enumerate(results):
                values[i] = value
            self.cast[field.name] = pd.Series(values[codes], index=col.index, dtype=object)

    # --- row shapes ---------------------------------------------------------------------------

    def check_shapes(self) -> None:
        """Extra and missing cells; a row whose cells are all missing keeps no error of its own
        (frictionless replaces them with `blank-row`, which the reader reports itself)."""
        blank_rows = set(self.frame.index[self.blank.to_numpy()].tolist())
        if blank_rows:
            self.ordered = [item for item in self.ordered if item[0] not in blank_rows]
        width = len(self.fields)
        for row, cells in sorted(self.table.widths.items()):
            if row in blank_rows:
                continue
            for number in range(width + 1, cells + 1):
                self.add(row, (1, number), SchemaError("extra-cell", row, "", "", ""))
            for number in range(cells + 1, width + 1):
                name = self.fields[number - 1].name
                self.add(row, (2, number), SchemaError("missing-cell", row, name, "", ""))

    # --- keys ---------------------------------------------------------------------------------

    def check_unique(self) -> None:
        for position, field in enumerate(self.fields):
            if not field.constraints.get("unique"):
                continue
            for row, previous in repeats(self.cast[field.name]):
                note = f"the same as in the row at position {previous}"
                self.add(row, (3, position), SchemaError("unique-error", row, field.name, "", note))

    def check_primary_key(self) -> None:
        names = list(self.schema.primary_key)
        if not names:
            return
        keys = pd.DataFrame({name: self.cast[name] for name in names})
        none = keys.isna().all(axis=1)
        note = 'cells composing the primary keys are all "None"'
        for row in keys.index[none.to_numpy()]:
            self.add(int(row), (4,), SchemaError("primary-key", int(row), None, "", note))
        for row, previous in repeats_of_rows(keys[~none]):
            note = f"the same as in the row at position {previous}"
            self.add(row, (4,), SchemaError("primary-key", row, None, "", note))

    def check_foreign_keys(
        self, foreign_keys: Sequence[dict[str, Any]], lookups: Mapping[str, _TableCheck]
    ) -> None:
        for number, fk in enumerate(foreign_keys):
            target = list(fk["fields"])
            source_name = fk["reference"]["resource"]
            source = list(fk["reference"]["fields"])
            lookup = lookup_keys(lookups[source_name], source)
            cells = pd.DataFrame({name: self.cast[name] for name in target})
            present = ~cells.isna().all(axis=1)
            cells = cells[present]
            if len(target) == 1:
                values = cells[target[0]]
                missing = ~values.isin([key[0] for key in lookup])
                wrong: Iterable[tuple[Any, tuple[Any, ...]]] = (
                    (row, (value,)) for row, value in values[missing].items()
                )
            else:
                wrong = (
                    (row, key)
                    for row, key in zip(
                        cells.index, cells.itertuples(index=False, name=None), strict=True
                    )
                    if key not in lookup
                )
            for row, key in wrong:
                note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
                    ", ".join(target),
                    ", ".join(str(d) for d in key),
                    source_name,
                    ", ".join(source),
                )
                self.add(
                    int(row), (5, number), SchemaError("foreign-key", int(row), None, "", note)
                )

    def errors(self) -> list[SchemaError]:
        self.ordered.sort(key=lambda item: (item[0], item[1]))
        return [error for _, _, error in self.ordered]


def repeats(values: pd.Series) -> Iterable[tuple[int, int]]:
    """(row, previous row with the same value) for each repeat of a non-missing value."""
    present = values[values.notna()]
    return repeats_of_rows(present.to_frame())


def repeats_of_rows(keys: pd.DataFrame) -> Iterable[tuple[int, int]]:
    """(row, previous row with the same key) for each repeated key; missing cells are values."""
    if keys.empty:
        return []
    codes = pd.DataFrame(
        {
            str(i): pd.factorize(keys[name].to_numpy(), use_na_sentinel=False)[0]
            for i, name in enumerate(keys.columns)
        },
        index=keys.index,
    )
    repeated = codes.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    group = codes[repeated]
    rows = pd.Series(group.index.to_numpy(), index=group.index)
    previous = rows.groupby([group[c] for c in group.columns], sort=False).shift()
    found = previous.dropna()
    return [(int(r), int(p)) for r, p in zip(found.index, found.to_numpy(), strict=True)]


def lookup_keys(check: _TableCheck, names: list[str]) -> set[tuple[Any, ...]]:
    """The referenced table's keys (cast values), keys whose cells are all missing left out."""
    keys = pd.DataFrame({name: check.cast[name] for name in names})
    keys = keys[~keys.isna().all(axis=1)]
    return set(keys.itertuples(index=False, name=None))


def check(tables: Mapping[str, Table]) -> dict[str, list[SchemaError]]:
    """The errors frictionless would report for each readable table, by dataset name.

    Every readable table must be handled (`handles`); foreign keys to unreadable tables are left
    out, as the frictionless package leaves those tables out.
    """
    readable = {name for name, table in tables.items() if table.frame is not None}
    checks: dict[str, _TableCheck] = {}
    foreign: dict[str, list[dict[str, Any]]] = {}
    for ds in schemas.DATASETS:
        if ds.name not in readable:
            continue
        table = tables[ds.name]
        if not handles(table):
            raise ValueError(f"{ds.path} : en-tête non pris en charge par les contrôles compilés")
        checks[ds.name] = _TableCheck(table, frictionless_schema(ds))
        foreign[ds.name] = [
            fk
            for fk in schemas.table_schema(ds).get("foreignKeys", [])
            if fk["reference"]["resource"] in readable
        ]
    for name, fks in foreign.items():
        checks[name].need_cast(field for fk in fks for field in fk["fields"])
        for fk in fks:
            checks[fk["reference"]["resource"]].need_cast(fk["reference"]["fields"])
    for item in checks.values():
        item.check_cells()
        item.check_shapes()
        item.check_unique()
        item.check_primary_key()
    for name, item in checks.items():
        item.check_foreign_keys(foreign[name], checks)
    return {name: item.errors() for name, item in checks.items()}

"""Every cell against the plausible range of its field (`datafolder.ranges`), once per distinct
value of a column. Codes: the entries `ranges` gives, from the catalogue's plausible ranges
(`nombre-non-standard`, `entier-non-standard`, `date-non-standard`, `valeur-implausible`,
`adresse-invalide`, `retour-chariot-seul`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pandas as pd

from achats_ouverts.datafolder import ranges, schemas
from achats_ouverts.report import Problem, Severity
from achats_ouverts.validation.reading import Table


def check(tables: Mapping[str, Table], found: Iterable[Problem] = ()) -> list[Problem]:
    """Problems on cells that no error in `found` (the other checks') is about already."""
    taken = {(p.file, p.row, p.field) for p in found if p.severity is Severity.ERROR}
    return [
        problem
        for table in tables.values()
        for problem in _check_table(table)
        if (problem.file, problem.row, problem.field) not in taken
    ]


def _check_table(table: Table) -> Iterator[Problem]:
    if table.frame is None:
        return
    for field in schemas.table_schema(table.dataset)["fields"]:
        column: pd.Series = table.frame[field["name"]]
        if field["type"] == "string" and field.get("format") != "uri":
            column = column[column.str.contains("\r", regex=False)]  # only text can fail
        codes, uniques = pd.factorize(column)
        verdicts = {
            code: verdict
            for code, value in enumerate(uniques)
            if value and (verdict := ranges.check(field, str(value))) is not None
        }
        if not verdicts:
            continue
        for row, code in zip(column.index.tolist(), codes.tolist(), strict=True):
            found = verdicts.get(code)
            if found is not None:
                entry, message, fix = found
                yield entry.problem(table.file, int(row), field["name"], message, fix)

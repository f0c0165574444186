"""The data folder's own threshold tables: an optional `seuils.csv` (`table`, `valeur`, `debut`,
`fin`, `source`) that replaces, table by table, the tables shipped with the package
(`thresholds.TABLES`).

The file is checked against its Table Schema (`SCHEMA`, with frictionless, as the other CSV
files), then each table's periods must follow each other without gap nor overlap. Every problem
names the file, the line and the field, and says how to fix it.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import frictionless
from frictionless.resources import TableResource

from achats_ouverts.datafolder.problem_codes.configuration import (
    FICHIER_TROP_GROS,
    SEUIL_INVALIDE,
    SEUILS_PERIODES,
)
from achats_ouverts.datafolder.thresholds import TABLES, Threshold
from achats_ouverts.french import french_date
from achats_ouverts.report import Problem

THRESHOLD_FILE = "seuils.csv"
MAX_BYTES = 1 << 20
"""A threshold table holds a few lines: a bigger file is not the right one."""
OVERRIDABLE = tuple(sorted(name for name in TABLES if name != "publication-decp"))
"""The tables a data folder may replace: those of the analyses. The DECP publication threshold
is the validation's own and stays the package's."""

SCHEMA: dict[str, Any] = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "fields": [
        {
            "name": "table",
            "type": "string",
            "description": "La table des seuils que la ligne remplace.",
            "constraints": {"required": True, "enum": list(OVERRIDABLE)},
        },
        {
            "name": "valeur",
            "type": "integer",
            "description": "Le seuil en euros hors taxes.",
            "constraints": {"required": True, "minimum": 1},
        },
        {
            "name": "debut",
            "type": "date",
            "description": "Premier jour d'application (vide : depuis toujours).",
        },
        {
            "name": "fin",
            "type": "date",
            "description": "Dernier jour d'application, inclus (vide : jusqu'à nouvel ordre).",
        },
        {
            "name": "source",
            "type": "string",
            "description": "Le texte qui fixe le seuil, tel que le site le cite.",
            "constraints": {"required": True},
        },
    ],
    "missingValues": [""],
}
"""The Table Schema of `seuils.csv`."""

_FIELDS = tuple(f["name"] for f in SCHEMA["fields"])

_FIXES = {
    "table": "écrire l'une des tables : " + ", ".join(OVERRIDABLE),
    "valeur": "écrire un nombre entier d'euros HT, sans espace ni symbole, par ex. 40000",
    "debut": "écrire la date au format AAAA-MM-JJ, ou laisser vide pour la première période",
    "fin": "écrire la date au format AAAA-MM-JJ, ou laisser vide pour la dernière période",
    "source": "citer le texte qui fixe le seuil (décret, article du code)",
}


def read_thresholds(
    data_dir: Path,
) -> tuple[dict[str, tuple[Threshold, ...]] | None, list[Problem]]:
    """The tables of `seuils.csv` merged over the package's (None when the file is absent or
    has problems: the problems say why)."""
    path = data_dir / THRESHOLD_FILE
    if not path.exists() and not path.is_symlink():
        return dict(TABLES), []
    refused = _refused(path)
    if refused is not None:
        return None, [refused]
    rows, problems = _schema_rows(data_dir)
    if problems:
        return None, problems
    tables: dict[str, list[tuple[int, Threshold]]] = {}
    for line, row in rows:
        threshold = Threshold(row["valeur"], row["debut"], row["fin"], row["source"].strip())
        tables.setdefault(row["table"], []).append((line, threshold))
    for name, entries in tables.items():
        problems += _period_problems(name, entries)
    if problems:
        return None, problems
    merged = dict(TABLES)
    for name, entries in tables.items():
        merged[name] = tuple(t for _, t in sorted(entries, key=lambda e: _start_key(e[1])))
    return merged, []


def _refused(path: Path) -> Problem | None:
    """A problem when `seuils.csv` is not a regular file of at most `MAX_BYTES` bytes."""
    if not path.is_file():
        return SEUIL_INVALIDE.problem(
            THRESHOLD_FILE,
            None,
            None,
            "ce n'est pas un fichier ordinaire",
            "remplacer seuils.csv par un fichier CSV, ou le retirer",
        )
    if path.stat().st_size > MAX_BYTES:
        return FICHIER_TROP_GROS.problem(
            THRESHOLD_FILE,
            None,
            None,
            f"le fichier dépasse {MAX_BYTES // (1 << 20)} Mio",
            "une table des seuils tient en quelques lignes : vérifier qu'il s'agit du bon fichier",
        )
    return None


def _start_key(threshold: Threshold) -> date:
    return threshold.start or date.min


def _schema_rows(data_dir: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    resource = TableResource(
        path=THRESHOLD_FILE,
        basepath=str(data_dir),
        schema=frictionless.Schema.from_descriptor(SCHEMA),
        encoding="utf-8",
        dialect=frictionless.Dialect.from_descriptor({"csv": {"delimiter": ","}}),
    )
    report = resource.validate()
    problems: list[Problem] = []
    for task in report.tasks:
        problems += [_translated(error) for error in task.errors]
    if problems:
        return [], problems
    rows = [
        (int(row.row_number), {name: row[name] for name in _FIELDS}) for row in resource.read_rows()
    ]
    return rows, []


def _translated(error: frictionless.Error) -> Problem:
    row: int | None = getattr(error, "row_number", None)
    field: str | None = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    kind = error.type
    if kind in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "blank-label",
        "duplicate-label",
    }:
        return SEUIL_INVALIDE.problem(
            THRESHOLD_FILE,
            1,
            None,
            "l'en-tête doit être exactement « " + ",".join(_FIELDS) + " »",
            "recopier la ligne d'en-tête : " + ",".join(_FIELDS),
        )
    if isinstance(error, frictionless.errors.EncodingError):
        return SEUIL_INVALIDE.problem(
            THRESHOLD_FILE,
            None,
            None,
            "le fichier n'est pas en UTF-8",
            "l'enregistrer en UTF-8 (« CSV UTF-8 » dans un tableur)",
        )
    if field in _FIXES:
        if cell in (None, ""):
            message = "cellule obligatoire vide"
        elif isinstance(error, frictionless.errors.TypeError):
            expected = "un nombre entier" if field == "valeur" else "une date AAAA-MM-JJ"
            message = f"« {cell} » n'est pas {expected}"
        else:
            message = f"« {cell} » n'est pas autorisé"
        return SEUIL_INVALIDE.problem(THRESHOLD_FILE, row, field, message, _FIXES[field])
    return SEUIL_INVALIDE.problem(
        THRESHOLD_FILE,
        row,
        field,
        f"ligne illisible ({kind})",
        "écrire cinq cellules séparées par des virgules, en UTF-8",
    )


def _period_problems(name: str, entries: list[tuple[int, Threshold]]) -> list[Problem]:
    """Inverted periods, then gaps and overlaps between consecutive periods of one table."""
    problems = [
        SEUILS_PERIODES.problem(
            THRESHOLD_FILE,
            line,
            "fin",
            f"table {name} : la période finit le {french_date(t.end)}, avant de commencer le "
            f"{french_date(t.start)}",
            "corriger la date de début ou de fin",
        )
        for line, t in entries
        if t.start is not None and t.end is not None and t.end < t.start
    ]
    ordered = sorted(entries, key=lambda e: _start_key(e[1]))
    if ordered[0][1].start is not None:
        problems.append(
            SEUILS_PERIODES.problem(
                THRESHOLD_FILE,
                ordered[0][0],
                "debut",
                f"table {name} : aucun seuil avant le {french_date(ordered[0][1].start)}",
                "laisser vide le début de la première période",
            )
        )
    if ordered[-1][1].end is not None:
        problems.append(
            SEUILS_PERIODES.problem(
                THRESHOLD_FILE,
                ordered[-1][0],
                "fin",
                f"table {name} : aucun seuil après le {french_date(ordered[-1][1].end)}",
                "laisser vide la fin de la dernière période",
            )
        )
    for (_, before), (line, after) in pairwise(ordered):
        if before.end is None or after.start is None or (after.start - before.end).days != 1:
            problems.append(
                SEUILS_PERIODES.problem(
                    THRESHOLD_FILE,
                    line,
                    "debut",
                    f"table {name} : cette période ne commence pas le lendemain de la fin de la "
                    f"précédente ({before.period})",
                    "faire commencer la période le lendemain de la fin de la précédente, sans "
                    "chevauchement ni trou",
                )
            )
    return problems

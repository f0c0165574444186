"""The analyses as files: `analyses.json` (every analysis of `model.analyses.REGISTRY`, with the
publisher, the reference date and what generated it) and, per analysis, the CSV of the contracts
behind it with its Table Schema, so that it is a dataset of the Data Package like the others.

The CSV keeps the machine formats of the other downloads: ISO dates, a point as decimal
separator, `true` / `false`, an empty cell for a missing value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from achats_ouverts import __version__
from achats_ouverts.datafolder import Dataset, csv_text, schemas
from achats_ouverts.datafolder.config import Publisher
from achats_ouverts.datafolder.fields import Field, define
from achats_ouverts.model.analyses import (
    CONTRACT_COLUMNS,
    SIGNAL_NOT_PROOF,
    Analysis,
    document,
)

TITLE = "Concurrence et points d'attention"
YEAR_FIELD = define(
    "annee",
    "integer",
    "Année de notification",
    "Année de la date de notification (dateNotification) : l'année à laquelle le marché est "
    "compté.",
    "2024",
)


def _contract_field(name: str) -> Field:
    """A column of `marches.csv` as an analysis' CSV carries it: neither required nor unique
    (a contract may be listed once per supplier)."""
    if name == YEAR_FIELD["name"]:
        return YEAR_FIELD
    field = dict(schemas.dataset("marches").field(name))
    constraints = {
        k: c for k, c in field.pop("constraints", {}).items() if k not in ("required", "unique")
    }
    if constraints:
        field["constraints"] = constraints
    return field


def dataset(analysis: Analysis, name: str) -> Dataset:
    """The CSV of an analysis as the dataset `name`: the contract columns, then the analysis'
    own."""
    own = tuple(define(c.name, c.type, c.name, c.description, "") for c in analysis.columns)
    return Dataset(
        name,
        f"Analyse : {analysis.titre}",
        f"Les marchés derrière l'analyse « {analysis.titre} » ({analysis.question}) : les colonnes "
        f"de marches.csv puis celles de l'analyse, décrites ci-dessous. "
        f"{SIGNAL_NOT_PROOF}",
        (*(_contract_field(name) for name in CONTRACT_COLUMNS), *own),
        (),
    )


def table_schema(analysis: Analysis, name: str) -> dict[str, Any]:
    """The Table Schema of an analysis' CSV (no example file, no primary key: a contract may
    appear once per supplier)."""
    schema = schemas.table_schema(dataset(analysis, name))
    schema.pop("resources", None)
    schema.pop("primaryKey", None)
    return schema


def _number(value: float) -> str:
    """A number as the other downloads write it: `1234.5`, `1000` for a whole amount."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _column_text(column: pd.Series) -> list[str]:
    """A column's cells as CSV text: ISO dates, `true` / `false`, an empty cell for NA."""
    missing = column.isna().to_numpy()
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        return [str(cell) for cell in column.to_numpy(dtype=object, na_value="")]
    if pd.api.types.is_datetime64_any_dtype(column):
        text = column.dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_bool_dtype(column):
        text = column.map({True: "true", False: "false"})
    elif pd.api.types.is_integer_dtype(column):
        text = column.map(lambda v: str(int(v)), na_action="ignore")
    elif pd.api.types.is_float_dtype(column):
        text = column.map(lambda v: _number(float(v)), na_action="ignore")
    else:
        text = column.map(_cell, na_action="ignore")
    cells = text.to_numpy(dtype=object, na_value="")
    return ["" if gone else str(cell) for cell, gone in zip(cells, missing, strict=True)]


def _cell(value: Any) -> str:
    """A value of a column of mixed type (object dtype)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if math.isnan(value) else _number(value)
    return str(value)


def csv_bytes(analysis: Analysis) -> bytes:
    """The contracts behind an analysis, as canonical CSV."""
    columns = [*CONTRACT_COLUMNS, *(c.name for c in analysis.columns)]
    cells = [_column_text(analysis.contracts[name]) for name in columns]
    return csv_text(columns, zip(*cells, strict=True)).encode("utf-8")


def json_document(
    analyses: tuple[Analysis, ...],
    publisher: Publisher,
    reference: date,
    files: Mapping[str, tuple[str, str]],
) -> dict[str, Any]:
    """The content of `analyses.json`: each analysis' entry (`document`) with the paths of its
    CSV and of its Table Schema (`files`, by id, relative to the downloads' folder)."""
    return {
        "titre": TITLE,
        "editeur": {"nom": publisher.nom, "siret": publisher.siret, "site": publisher.url_site},
        "date_reference": reference.isoformat(),
        "genere_par": f"achats-ouverts {__version__}",
        "avertissement": SIGNAL_NOT_PROOF,
        "analyses": [
            {
                **document(a),
                "fichier": files[a.id][0],
                "schema": files[a.id][1],
            }
            for a in analyses
        ],
    }

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


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "item"):
        return _cell(value.item())
    return str(value)


def csv_bytes(analysis: Analysis) -> bytes:
    """The contracts behind an analysis, as canonical CSV."""
    frame = analysis.contracts
    columns = [*CONTRACT_COLUMNS, *(c.name for c in analysis.columns)]
    rows = (
        [_cell(value) for value in row]
        for row in frame[columns].astype(object).itertuples(index=False, name=None)
    )
    return csv_text(columns, rows).encode("utf-8")


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

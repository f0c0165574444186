"""What every analysis is made of: its inputs, its figures per year, its breakdowns and the
contracts behind it.

An analysis is a pure function `Inputs -> Analysis`. It never reads files and never formats
text for HTML: pages turn an `Analysis` into plain values, `document()` turns it into its entry of
`analyses.json`, and `Analysis.contracts` is published as `/donnees/analyses/<id>.csv`.

A figure per year says what it counts (`numerateur`) out of what (`denominateur`) and its value
(`valeur`: a share in %, a count, an index…, per `Analysis.unite`). A year with nothing to count
has no value (None), never 0. The year that is not over at the data's reference date is flagged
`en_cours`: it is shown, never judged against a band.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from achats_ouverts.datafolder.thresholds import Threshold
from achats_ouverts.model.indicators import clean

Unit = Literal["%", "marchés", "indice", "€"]

SIGNAL_NOT_PROOF = "Un signal n'est pas une preuve d'irrégularité."
"""The sentence every analysis page, CSV description and JSON entry carries."""

CONTRACT_COLUMNS: tuple[str, ...] = (
    "uid",
    "id",
    "annee",
    "dateNotification",
    "acheteur_service_id",
    "objet",
    "nature",
    "procedure",
    "codeCPV",
    "offresRecues",
    "montant",
    "montantActuel",
    "dureeMois",
    "dureeMoisActuelle",
)
"""The columns every `/donnees/analyses/<id>.csv` starts with, named as in `marches.csv` (DECP
fields), in this order; an analysis adds its own columns after them (`Analysis.columns`)."""


@dataclass(frozen=True)
class Inputs:
    """What the analyses read: the typed tables of the data folder (`model.Data`) and the
    dated thresholds in force (package defaults, or the data folder's own table)."""

    contracts: pd.DataFrame
    """`marches`, with `annee`, `cpv_division` and `categorie` (Travaux, Fournitures,
    Services)."""
    contract_suppliers: pd.DataFrame
    """The current suppliers of each contract (`Data.contract_suppliers`)."""
    initial_suppliers: pd.DataFrame
    """The suppliers at notification (`Data.initial_suppliers`)."""
    suppliers: pd.DataFrame
    modifications: pd.DataFrame
    services: pd.DataFrame
    thresholds: Mapping[str, tuple[Threshold, ...]]
    """Dated threshold tables by name (see `datafolder.thresholds`)."""
    reference_date: date


@dataclass(frozen=True)
class Band:
    """A benchmark band: values up to `upto` (included; None: no upper bound) read `label`."""

    upto: float | None
    label: str
    """`bon`, `moyen`, `faible`…"""


@dataclass(frozen=True)
class Benchmark:
    """Reference bands a value is read against, and where they come from."""

    bands: tuple[Band, ...]
    source: str

    def label(self, value: float | None) -> str | None:
        if value is None:
            return None
        for band in self.bands:
            if band.upto is None or value <= band.upto:
                return band.label
        return None


@dataclass(frozen=True)
class YearFigure:
    annee: int
    valeur: float | None
    numerateur: float | None
    denominateur: float | None
    en_cours: bool = False
    details: tuple[tuple[str, float | None], ...] = ()
    """Further named figures of that year (for concentration: the top supplier's share…)."""
    note: str = ""
    """Why a year has no value when it is not for lack of contracts (« moins de 30 marchés »),
    in plain French; empty otherwise."""


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    annees: tuple[YearFigure, ...]


@dataclass(frozen=True)
class Breakdown:
    """The same figure per group: per buying service (always the first breakdown), per
    procedure, per CPV division…"""

    id: str
    """`service`, `procedure`, `cpv_division`…"""
    titre: str
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class Column:
    """A column an analysis adds to its CSV, documented in the data dictionary."""

    name: str
    type: str
    """A Table Schema type: string, number, integer, boolean, date."""
    description: str


@dataclass(frozen=True)
class Analysis:
    id: str
    titre: str
    question: str
    """What it answers, in one plain French sentence."""
    unite: Unit
    methode: str
    limites: tuple[str, ...]
    annees: tuple[YearFigure, ...]
    breakdowns: tuple[Breakdown, ...]
    contracts: pd.DataFrame
    """The contracts behind the figures: `CONTRACT_COLUMNS` then `columns`, sorted by
    notification date then uid."""
    columns: tuple[Column, ...] = ()
    benchmark: Benchmark | None = None
    sources: tuple[str, ...] = field(default=())
    """The legal texts and references the method relies on, as cited on the site."""

    def year(self, annee: int) -> YearFigure | None:
        return next((y for y in self.annees if y.annee == annee), None)


AnalysisFunction = Callable[[Inputs], Analysis]


# --- Shared helpers ------------------------------------------------------------------------------


def contract_rows(contracts: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """`CONTRACT_COLUMNS` of `contracts` (then `extra`'s columns, aligned on the index), sorted
    by notification date then uid."""
    rows = contracts[list(CONTRACT_COLUMNS)]
    if extra is not None:
        rows = rows.join(extra)
    return rows.sort_values(["dateNotification", "uid"], kind="stable").reset_index(drop=True)


def document(analysis: Analysis) -> dict[str, Any]:
    """The entry of `analyses.json` for one analysis (plain JSON values)."""

    def year(y: YearFigure) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "annee": y.annee,
            "valeur": clean(y.valeur),
            "numerateur": clean(y.numerateur),
            "denominateur": clean(y.denominateur),
            "en_cours": y.en_cours,
        }
        if y.details:
            entry["details"] = {name: clean(value) for name, value in y.details}
        if y.note:
            entry["note"] = y.note
        return entry

    entry: dict[str, Any] = {
        "id": analysis.id,
        "titre": analysis.titre,
        "question": analysis.question,
        "unite": analysis.unite,
        "methode": analysis.methode,
        "limites": list(analysis.limites),
        "avertissement": SIGNAL_NOT_PROOF,
        "annees": [year(y) for y in analysis.annees],
        "ventilations": [
            {
                "id": b.id,
                "titre": b.titre,
                "lignes": [
                    {"cle": r.key, "libelle": r.label, "annees": [year(y) for y in r.annees]}
                    for r in b.rows
                ],
            }
            for b in analysis.breakdowns
        ],
        "marches": len(analysis.contracts),
        "sources": list(analysis.sources),
    }
    if analysis.benchmark is not None:
        entry["reference"] = {
            "source": analysis.benchmark.source,
            "bandes": [{"jusqua": b.upto, "libelle": b.label} for b in analysis.benchmark.bands],
        }
    return entry

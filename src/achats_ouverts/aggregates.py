"""Aggregations: pure functions from DataFrames to DataFrames, no I/O and no templates."""

from __future__ import annotations

import pandas as pd

from achats_ouverts import vocabulary as v

OPEN_STATUSES = ("prévu", "lancé")


def yearly_totals(contracts: pd.DataFrame) -> pd.DataFrame:
    """Number and total amount of contracts per year of notification, oldest first."""
    dated = contracts.dropna(subset=["annee"])
    grouped = dated.groupby("annee", sort=True).agg(
        marches=("uid", "size"), montant=("montant", "sum")
    )
    return grouped.reset_index().astype({"annee": "int64", "marches": "int64"})


def has_environmental_consideration(contracts: pd.DataFrame) -> pd.Series:
    """True / False where the field is filled, NA where it is missing (never read as "no")."""
    col = contracts["considerationsEnvironnementales"]
    result = pd.Series(pd.NA, index=contracts.index, dtype="boolean")
    filled = col != ""
    result[filled] = col[filled] != v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE
    return result


def share(flags: pd.Series) -> float | None:
    """Percentage of True among known values, None when nothing is known."""
    known = flags.dropna()
    return None if known.empty else float(known.astype(bool).mean() * 100)


def latest_year(contracts: pd.DataFrame) -> int | None:
    years = contracts["annee"].dropna()
    return None if years.empty else int(years.max())


def open_upcoming(upcoming: pd.DataFrame) -> pd.DataFrame:
    return upcoming[upcoming["statut"].isin(OPEN_STATUSES)]


def distinct_suppliers(contract_suppliers: pd.DataFrame, uids: pd.Series) -> int:
    linked = contract_suppliers[contract_suppliers["uid"].isin(uids)]
    return int(linked[["titulaire_typeIdentifiant", "titulaire_id"]].drop_duplicates().shape[0])

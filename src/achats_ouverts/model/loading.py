"""Loading validated tables into typed DataFrames.

Types come from the Table Schemas: dates become datetimes, numbers floats, integers nullable
integers, booleans nullable booleans; text stays text with "" for a missing value. Nothing is
guessed by pandas. The validated text frames are kept too, so that published CSVs stay faithful.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.datafolder import Dataset, Policy, Publisher, schemas
from achats_ouverts.datafolder.thresholds import TABLES, Threshold
from achats_ouverts.errors import DataError
from achats_ouverts.model.aggregates import programme_columns
from achats_ouverts.settings import source_date_epoch
from achats_ouverts.validation import Validation


@dataclass(frozen=True)
class Data:
    """Everything the site is built from, typed and validated."""

    publisher: Publisher
    policy: Policy
    nomenclature: cpv.Nomenclature
    tables: dict[str, pd.DataFrame]
    text: dict[str, pd.DataFrame]
    reference_date: date
    thresholds: dict[str, tuple[Threshold, ...]] = dataclasses.field(
        default_factory=lambda: dict(TABLES)
    )
    """The dated thresholds of the analyses (`datafolder.thresholds`, or the folder's
    `seuils.csv`)."""

    @property
    def contracts(self) -> pd.DataFrame:
        return self.tables["marches"]

    @property
    def contract_suppliers(self) -> pd.DataFrame:
        """The current suppliers of each contract (`titulaireActuel`): those every list, page
        and indicator uses unless it says otherwise."""
        links = self.tables["marches-titulaires"]
        return links[links["titulaireActuel"].fillna(False).to_numpy(dtype=bool)]

    @property
    def initial_suppliers(self) -> pd.DataFrame:
        """The suppliers of each contract at its notification (`titulaireInitial`)."""
        links = self.tables["marches-titulaires"]
        return links[links["titulaireInitial"].fillna(False).to_numpy(dtype=bool)]

    @property
    def modifications(self) -> pd.DataFrame:
        return self.tables["modifications"]

    @property
    def suppliers(self) -> pd.DataFrame:
        return self.tables["titulaires"]

    @property
    def services(self) -> pd.DataFrame:
        return self.tables["services"]

    @property
    def upcoming(self) -> pd.DataFrame:
        """The programme, with what it means at the reference date (`etat`, `en_retard`,
        `adapte_pme`…: `aggregates.programme_columns`)."""
        return self.tables["achats-a-venir"]

    @property
    def declared(self) -> pd.DataFrame:
        return self.tables["indicateurs-declares"]


def typed_frame(text: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Convert validated text cells to the types of the schema."""
    columns: dict[str, pd.Series] = {}
    for field in ds.fields:
        name: str = field["name"]
        kind: str = field["type"]
        col: pd.Series = text[name]
        if kind == "date":
            columns[name] = pd.to_datetime(
                col.replace("", None), format="%Y-%m-%d", errors="coerce"
            )
        elif kind == "number":
            columns[name] = pd.to_numeric(col.replace("", None), errors="coerce").astype("float64")
        elif kind == "integer":
            columns[name] = pd.to_numeric(col.replace("", None), errors="coerce").astype("Int64")
        elif kind == "boolean":
            columns[name] = col.map({"true": True, "false": False}).astype("boolean")
        else:
            columns[name] = col.astype(object)
    frame = pd.DataFrame(columns, index=text.index)
    frame.index.name = "ligne"
    return frame


def with_contract_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Derived columns every page uses: year of notification, CPV division and category."""
    year = frame["dateNotification"].dt.year.astype("Int64")
    division = frame["codeCPV"].str.slice(0, 2)
    return frame.assign(
        annee=year,
        cpv_division=division,
        categorie=frame["codeCPV"].map(cpv.category).astype(object),
    )


def reference_date(contracts_frame: pd.DataFrame) -> date:
    """The date the data describes: the latest notification or publication date in the data, or
    SOURCE_DATE_EPOCH when it is later (a build on a fixed later day). An epoch earlier than the
    data never wins: the data shows it describes a later day, and a year it covers would read as
    not yet begun or still running."""
    dates = pd.concat(
        [contracts_frame["dateNotification"], contracts_frame["datePublicationDonnees"]]
    ).dropna()
    latest = dates.max().date() if not dates.empty else None
    epoch = source_date_epoch()
    fixed = datetime.fromtimestamp(epoch, tz=UTC).date() if epoch is not None else None
    candidates = [d for d in (latest, fixed) if d is not None]
    return max(candidates) if candidates else date(2000, 1, 1)


def load(validation: Validation) -> Data:
    """Typed tables from a successful validation. Raises DataError if it had errors."""
    if not validation.ok or validation.publisher is None or validation.policy is None:
        raise DataError(validation.report)
    text: dict[str, pd.DataFrame] = {}
    tables: dict[str, pd.DataFrame] = {}
    for ds in schemas.DATASETS:
        frame = validation.tables[ds.name].frame
        assert frame is not None
        text[ds.name] = frame
        tables[ds.name] = typed_frame(frame, ds)
    tables["marches"] = with_contract_columns(tables["marches"])
    reference = reference_date(tables["marches"])
    upcoming = tables["achats-a-venir"]
    tables["achats-a-venir"] = upcoming.join(programme_columns(upcoming, pd.Timestamp(reference)))
    return Data(
        publisher=validation.publisher,
        policy=validation.policy,
        nomenclature=validation.nomenclature,
        tables=tables,
        text=text,
        reference_date=reference,
        thresholds=validation.thresholds if validation.thresholds is not None else dict(TABLES),
    )

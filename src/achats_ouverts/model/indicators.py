"""The indicator engine: every indicator of the policy, per year and per buying service.

A computed indicator runs its calculation (`calculations.REGISTRY`) and sums the per-contract
frame by year and by service (`summarise`); the same frame gives the rows behind each number
(`counted_rows`). Declared indicators come from the declared-values table. Everything here is
pure: no I/O, no templates; results are frozen dataclasses of plain values, serialised by
`document()` into `indicateurs.json` and `csv_rows()` into `indicateurs.csv`, and rendered by the
pages.

Public face: `compute`, `counted_rows`, `document`, `csv_rows`, the result types, and, since its
callers need them to run it, the calculations' `Tables`, `REGISTRY` and `evaluate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import Indicator, Policy
from achats_ouverts.model.calculations import BASE_COLUMNS, REGISTRY, Statistic, Tables, evaluate

__all__ = [
    "CSV_COLUMNS",
    "DIGITS",
    "NO_SERVICE",
    "NO_SERVICE_LABEL",
    "REGISTRY",
    "IndicatorResult",
    "ServiceSeries",
    "Status",
    "Tables",
    "YearValue",
    "compute",
    "counted_rows",
    "csv_rows",
    "document",
    "evaluate",
    "group_keys",
    "meets",
    "running",
    "running_year",
    "status",
    "status_of",
    "summarise",
    "verdict",
    "year_verdict",
]

DIGITS: dict[str, int] = {"%": 1, "€": 0, "jours": 1, "nombre": 0, "heures": 0, "offres": 1}
"""Display precision per unit; a target is met when the value rounded to it reaches the target."""
NO_SERVICE = ""
NO_SERVICE_LABEL = "Service non renseigné"


# --- Summaries ----------------------------------------------------------------------------------


def group_keys(contracts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "annee": contracts["annee"],
            "service_id": contracts["acheteur_service_id"].fillna(NO_SERVICE).astype(str),
        },
        index=contracts.index,
    )


def summarise(
    rows: pd.DataFrame, keys: pd.DataFrame, by: list[str], statistic: Statistic
) -> pd.DataFrame:
    """Per group: `valeur`, `numerateur`, `denominateur`, `marches` (contracts counted) and
    `exclus` (contracts in scope whose fields are missing). Groups with nothing counted have no
    value (NaN), never 0."""
    frame = rows[list(BASE_COLUMNS)].join(keys[by])
    frame = frame[frame["champ"] & frame[by].notna().all(axis=1)]
    counted_rows = frame[frame["connu"]]
    grouped = counted_rows.groupby(by, sort=True)
    result = grouped.agg(
        numerateur=("numerateur", "sum"),
        denominateur=("denominateur", "sum"),
        marches=("connu", "size"),
    )
    if statistic == "mediane":
        result["mediane"] = grouped["numerateur"].median()
    excluded = frame[~frame["connu"]].groupby(by, sort=True).size().rename("exclus")
    result = result.join(excluded, how="outer")
    result[["marches", "exclus"]] = result[["marches", "exclus"]].fillna(0).astype("int64")
    result[["numerateur", "denominateur"]] = result[["numerateur", "denominateur"]].fillna(0.0)
    positive = result["denominateur"] > 0
    if statistic == "part":
        result["valeur"] = (result["numerateur"] / result["denominateur"] * 100).where(positive)
    elif statistic == "moyenne":
        result["valeur"] = (result["numerateur"] / result["denominateur"]).where(positive)
    else:
        result["valeur"] = result["mediane"].where(result["marches"] > 0)
    return result


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearValue:
    """One year of an indicator: its value (None when nothing was measured) and target."""

    annee: int
    valeur: float | None
    cible: float | None
    marches: int | None = None
    exclus: int | None = None
    numerateur: float | None = None
    denominateur: float | None = None
    source: str = ""
    commentaire: str = ""
    a_venir: bool = False
    partielle: bool = False


@dataclass(frozen=True)
class ServiceSeries:
    service_id: str
    service_nom: str
    annees: tuple[YearValue, ...]


@dataclass(frozen=True)
class Status:
    """The latest value against the target that applies to it (that year's, else the next one).

    A value of the current, incomplete year is not final: it gets no verdict (`atteinte` None,
    `en_cours` True), only a comparison in words; `bilan` is then the status of the latest
    complete year with a value, whose verdict stands."""

    valeur: YearValue | None
    cible_annee: int | None
    cible: float | None
    atteinte: bool | None
    en_cours: bool = False
    bilan: Status | None = None


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    titre: str
    unite: str
    sens: str
    type: str
    calcul: str
    statistique: str
    methode: str
    description: str
    axes: tuple[str, ...]
    actions: tuple[str, ...]
    cibles: tuple[tuple[int, float], ...]
    annees: tuple[YearValue, ...]
    services: tuple[ServiceSeries, ...]
    champs: tuple[str, ...]
    date_reference: date
    """The date the data describe: a year that ends after it is still running."""

    @property
    def computed(self) -> bool:
        return self.type == "calculé"

    @property
    def status(self) -> Status:
        return status(self)

    def year(self, annee: int) -> YearValue | None:
        return next((y for y in self.annees if y.annee == annee), None)


def meets(value: float, target: float, unit: str, direction: str) -> bool:
    shown = round(value, DIGITS.get(unit, 1))
    return shown >= target if direction == "hausse" else shown <= target


def verdict(year: YearValue, target: float | None, unit: str, direction: str) -> bool | None:
    """Whether a year's value meets `target`: None without a value or a target, and None for the
    current, incomplete year, whose value is not final: a running year is never « non
    atteinte » (nor « atteinte »). The one rule every page, file and sentence follows."""
    if year.valeur is None or target is None or year.partielle or year.a_venir:
        return None
    return meets(year.valeur, target, unit, direction)


def year_verdict(result: IndicatorResult, year: YearValue) -> bool | None:
    """The verdict of one year against that year's own target (see `verdict`)."""
    return verdict(year, year.cible, result.unite, result.sens)


def status_of(result: IndicatorResult, year: YearValue | None) -> Status:
    """`year`'s value against the target of that year, else the next target (see `Status`)."""
    targets = dict(result.cibles)
    if year is None:
        upcoming = sorted(targets)
    else:
        upcoming = (
            [year.annee] if year.annee in targets else sorted(y for y in targets if y > year.annee)
        )
    if not upcoming:
        return Status(year, None, None, None, en_cours=year is not None and year.partielle)
    target_year = upcoming[0]
    target = targets[target_year]
    met = verdict(year, target, result.unite, result.sens) if year is not None else None
    return Status(year, target_year, target, met, en_cours=year is not None and year.partielle)


def status(result: IndicatorResult) -> Status:
    measured = [y for y in result.annees if y.valeur is not None and not y.a_venir]
    latest = measured[-1] if measured else None
    current = status_of(result, latest)
    if not current.en_cours:
        return current
    complete = [y for y in measured if not y.partielle]
    return replace(current, bilan=status_of(result, complete[-1]) if complete else None)


def running(year: int, reference: date) -> bool:
    """Whether `year` is the current year and not over at `reference` (its figures are partial)."""
    return year == reference.year and reference < date(year, 12, 31)


def running_year(reference: date) -> str | None:
    """The year not over at `reference`, as the tables write it; None on 31 December."""
    return str(reference.year) if running(reference.year, reference) else None


def clean(value: float | None, digits: int = 6) -> float | None:
    """A float rounded against binary noise; NaN becomes None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def indicator_years(contracts: pd.DataFrame, policy: Policy) -> tuple[int, ...]:
    """Every year from the policy's start (or the first contract) to its end (or the last
    contract, or the last target), with no gap: a year without contracts is shown as such."""
    years = [policy.periode_debut, policy.periode_fin]
    known = contracts["annee"].dropna()
    if not known.empty:
        years += [int(known.min()), int(known.max())]
    for indicator in policy.indicateurs:
        years += [year for year, _ in indicator.cibles]
    years = [y for y in years if y > 0]
    return tuple(range(min(years), max(years) + 1)) if years else ()


def computed_series(
    summary: pd.DataFrame, years: tuple[int, ...], indicator: Indicator, reference: date
) -> tuple[YearValue, ...]:
    records: dict[Any, dict[Any, Any]] = summary.to_dict("index")
    by_year = {int(k): row for k, row in records.items()}
    mediane = "mediane" in summary.columns
    values = []
    for year in years:
        row = by_year.get(year)
        values.append(
            YearValue(
                annee=year,
                valeur=clean(row["valeur"]) if row is not None else None,
                cible=indicator.target(year),
                marches=int(row["marches"]) if row is not None else 0,
                exclus=int(row["exclus"]) if row is not None else 0,
                numerateur=None if row is None or mediane else clean(row["numerateur"]),
                denominateur=None if row is None or mediane else clean(row["denominateur"]),
                a_venir=year > reference.year,
                partielle=running(year, reference),
            )
        )
    return tuple(values)


def declared_series(
    declared: pd.DataFrame, years: tuple[int, ...], indicator: Indicator, reference: date
) -> tuple[YearValue, ...]:
    rows = declared[declared["indicateur_id"] == indicator.id]
    records: list[dict[Any, Any]] = rows.to_dict("records")
    by_year = {int(r["annee"]): r for r in records}
    span = sorted(set(years) | set(by_year))
    values = []
    for year in span:
        row = by_year.get(year)
        values.append(
            YearValue(
                annee=year,
                valeur=clean(row["valeur"]) if row is not None else None,
                cible=indicator.target(year),
                source=str(row["source"]) if row is not None else "",
                commentaire=str(row["commentaire"]) if row is not None else "",
                a_venir=year > reference.year and row is None,
                partielle=running(year, reference),
            )
        )
    return tuple(values)


def compute(
    policy: Policy,
    tables: Tables,
    declared: pd.DataFrame,
    services: pd.DataFrame,
    reference: date,
) -> tuple[IndicatorResult, ...]:
    """Every indicator of the policy, in the policy's order."""
    years = indicator_years(tables.contracts, policy)
    keys = group_keys(tables.contracts)
    names = dict(zip(services["service_id"], services["service_nom"], strict=True))
    used = sorted(set(keys["service_id"]))
    owners: dict[str, list[tuple[str, str]]] = {}
    for axis, action in policy.actions():
        for ref in action.indicateurs:
            owners.setdefault(ref, []).append((axis.id, action.id))
    results = []
    for indicator in policy.indicateurs:
        service_series: list[ServiceSeries] = []
        fields: tuple[str, ...] = ()
        statistic: Statistic = "part"
        if indicator.computed:
            calculation = REGISTRY[indicator.calcul]
            statistic, fields = calculation.statistic, calculation.fields
            rows = calculation.function(tables)
            overall = summarise(rows, keys, ["annee"], statistic)
            series = computed_series(overall, years, indicator, reference)
            per_service = summarise(rows, keys, ["service_id", "annee"], statistic)
            empty = per_service.iloc[0:0].droplevel("service_id")
            parts = {
                str(service_id): part.droplevel("service_id")
                for service_id, part in per_service.groupby(level="service_id", sort=True)
            }
            for service_id in used:
                service_series.append(
                    ServiceSeries(
                        service_id,
                        names.get(service_id, NO_SERVICE_LABEL),
                        computed_series(parts.get(service_id, empty), years, indicator, reference),
                    )
                )
        else:
            series = declared_series(declared, years, indicator, reference)
        own = owners.get(indicator.id, [])
        results.append(
            IndicatorResult(
                id=indicator.id,
                titre=indicator.titre,
                unite=indicator.unite,
                sens=indicator.sens,
                type=indicator.type,
                calcul=indicator.calcul,
                statistique=statistic if indicator.computed else "",
                methode=indicator.methode,
                description=indicator.description,
                axes=tuple(dict.fromkeys(axis for axis, _ in own)),
                actions=tuple(action for _, action in own),
                cibles=indicator.cibles,
                annees=series,
                services=tuple(service_series),
                champs=fields,
                date_reference=reference,
            )
        )
    return tuple(results)


def counted_rows(name: str, tables: Tables, text: pd.DataFrame) -> pd.DataFrame:
    """Exactly the contracts counted by a calculation, with the published text of the fields it
    reads, what each adds to the numerator and the denominator, in the file's order."""
    calculation = REGISTRY[name]
    rows = calculation.function(tables)
    keep = rows["connu"]
    details = [c for c in rows.columns if c not in BASE_COLUMNS]
    frame = pd.DataFrame(
        {
            "uid": text["uid"],
            "annee": tables.contracts["annee"],
            "acheteur_service_id": text["acheteur_service_id"],
            **{name: text[name] for name in calculation.fields},
            **{name: rows[name] for name in details},
            "numerateur": rows["numerateur"],
            "denominateur": rows["denominateur"],
        },
        index=rows.index,
    )
    return frame[keep]


# --- Machine-readable output --------------------------------------------------------------------


def year_dict(year: YearValue, computed: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"annee": year.annee, "valeur": year.valeur, "cible": year.cible}
    if computed:
        entry |= {
            "marches": year.marches,
            "exclus": year.exclus,
            "numerateur": year.numerateur,
            "denominateur": year.denominateur,
        }
    else:
        entry |= {"source": year.source, "commentaire": year.commentaire}
    entry |= {"a_venir": year.a_venir, "partielle": year.partielle}
    return entry


def overall_year_dict(result: IndicatorResult, year: YearValue) -> dict[str, Any]:
    """A year of the whole buyer, with its verdict against its own target (`atteinte`: null
    without a value or a target, and for the current, incomplete year)."""
    return year_dict(year, result.computed) | {"atteinte": year_verdict(result, year)}


def status_dict(st: Status) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "annee": st.valeur.annee if st.valeur else None,
        "valeur": st.valeur.valeur if st.valeur else None,
        "cible_annee": st.cible_annee,
        "cible": st.cible,
        "atteinte": st.atteinte,
        "en_cours": st.en_cours,
    }
    if st.en_cours:
        entry["bilan"] = status_dict(st.bilan) if st.bilan else None
    return entry


def document(
    policy: Policy,
    results: tuple[IndicatorResult, ...],
    reference: date,
    rows_paths: dict[str, str],
) -> dict[str, Any]:
    """The content of `indicateurs.json`: the policy's axes and actions and every indicator."""
    indicators = []
    for r in results:
        st = r.status
        indicators.append(
            {
                "id": r.id,
                "titre": r.titre,
                "axes": list(r.axes),
                "actions": list(r.actions),
                "unite": r.unite,
                "sens": r.sens,
                "type": r.type,
                "calcul": r.calcul or None,
                "statistique": r.statistique or None,
                "methode": r.methode,
                "cibles": {str(year): value for year, value in r.cibles},
                "derniere_valeur": status_dict(st),
                "annees": [overall_year_dict(r, y) for y in r.annees],
                "services": [
                    {
                        "service_id": s.service_id,
                        "service_nom": s.service_nom,
                        "annees": [year_dict(y, True) for y in s.annees],
                    }
                    for s in r.services
                ],
                "lignes_comptees": rows_paths.get(r.id),
            }
        )
    return {
        "titre": policy.titre,
        "periode": {"debut": policy.periode_debut, "fin": policy.periode_fin},
        "date_reference": reference.isoformat(),
        "axes": [
            {
                "id": axis.id,
                "numero": axis.numero,
                "titre": axis.titre,
                "actions": [
                    {
                        "id": action.id,
                        "numero": action.numero,
                        "titre": action.titre,
                        "indicateurs": list(action.indicateurs),
                    }
                    for action in axis.actions
                ],
            }
            for axis in policy.axes
        ],
        "indicateurs": indicators,
    }


CSV_COLUMNS = (
    "indicateur_id",
    "titre",
    "axes",
    "actions",
    "unite",
    "sens",
    "type",
    "annee",
    "perimetre",
    "service_id",
    "valeur",
    "cible",
    "marches",
    "exclus",
    "numerateur",
    "denominateur",
    "source",
)


def csv_rows(results: tuple[IndicatorResult, ...]) -> list[list[str]]:
    """`indicateurs.csv`: one row per indicator, year and scope: the whole buyer
    (`perimetre` "ensemble") or one buying service (`perimetre` "service")."""

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return repr(value)
        return str(value)

    rows = []
    for r in results:
        series = [("ensemble", NO_SERVICE, r.annees)] + [
            ("service", s.service_id, s.annees) for s in r.services
        ]
        for scope, service_id, years in series:
            for y in years:
                rows.append(
                    [
                        r.id,
                        r.titre,
                        v.MULTI_SEPARATOR.join(r.axes),
                        v.MULTI_SEPARATOR.join(r.actions),
                        r.unite,
                        r.sens,
                        r.type,
                        str(y.annee),
                        scope,
                        service_id,
                        cell(y.valeur),
                        cell(y.cible),
                        cell(y.marches),
                        cell(y.exclus),
                        cell(y.numerateur),
                        cell(y.denominateur),
                        y.source,
                    ]
                )
    return rows

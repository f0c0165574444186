"""Counting kit shared by the analyses of this package: the notification years, a share per
year, and the same figures per buying service or per any other group (`breakdown`, which takes
any function from a group of contracts to its figures: a share, an index with its details…).

A share counts the contracts flagged (`flagged`, a boolean per contract) among those that can
be judged (`judged`); a year without any contract to judge has no value (None), never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from achats_ouverts.model.analyses.base import Breakdown, BreakdownRow, Inputs, YearFigure
from achats_ouverts.model.indicators import running

NO_SERVICE = "Service non renseigné"


def years_of(contracts: pd.DataFrame) -> tuple[int, ...]:
    """The notification years present in the contracts, ascending."""
    return tuple(sorted(int(y) for y in contracts["annee"].dropna().unique()))


def share_figures(
    inputs: Inputs,
    years: tuple[int, ...],
    flagged: pd.Series,
    judged: pd.Series,
    details: Iterable[tuple[str, pd.Series]] = (),
) -> tuple[YearFigure, ...]:
    """Per year, the share (%) of `judged` contracts that are `flagged`; `details` are further
    counts per year (a boolean per contract, counted among the judged ones)."""
    contracts = inputs.contracts
    extra = tuple(details)
    figures = []
    for year in years:
        in_year = (contracts["annee"] == year).fillna(False).to_numpy(dtype=bool)
        base = judged.to_numpy(dtype=bool) & in_year
        denominator = int(base.sum())
        numerator = int((flagged.to_numpy(dtype=bool) & base).sum())
        figures.append(
            YearFigure(
                annee=year,
                valeur=100 * numerator / denominator if denominator else None,
                numerateur=float(numerator) if denominator else None,
                denominateur=float(denominator),
                en_cours=running(year, inputs.reference_date),
                details=tuple(
                    (name, float((mask.to_numpy(dtype=bool) & base).sum()) if denominator else None)
                    for name, mask in extra
                ),
            )
        )
    return tuple(figures)


def service_labels(inputs: Inputs) -> pd.Series:
    """Per contract, the key of its buying service (`""` when blank)."""
    return inputs.contracts["acheteur_service_id"].fillna("").astype(str).str.strip()


def service_names(inputs: Inputs) -> dict[str, str]:
    """The name of each buying service by its key, in the order of `services`."""
    services = inputs.services
    return dict(zip(services["service_id"].astype(str), services["service_nom"], strict=True))


def breakdown(
    id: str,
    titre: str,
    frame: pd.DataFrame,
    column: str,
    labels: Mapping[str, str],
    blank: str,
    figures: Callable[[pd.DataFrame], tuple[YearFigure, ...]],
    order: tuple[str, ...] = (),
) -> Breakdown:
    """The figures of each group of `frame`'s rows by `column`: the keys of `order` first (the
    services in the order of `services`), then the others by label, the blank group last
    (labelled `blank`)."""
    keys = frame[column].fillna("").astype(str).str.strip()
    rank = {key: n for n, key in enumerate(order)}
    named = sorted(
        set(keys),
        key=lambda k: (k == "", rank.get(k, len(rank)), labels.get(k, k).casefold(), k),
    )
    rows = tuple(
        BreakdownRow(key, labels.get(key, key) if key else blank, figures(frame[keys == key]))
        for key in named
    )
    return Breakdown(id, titre, rows)


def service_breakdown(
    inputs: Inputs, years: tuple[int, ...], flagged: pd.Series, judged: pd.Series
) -> Breakdown:
    """The share per buying service (`service_nom`), services in the order of `services`, then
    any service the contracts name that `services` lacks, then the blank service."""
    names = service_names(inputs)
    contracts = inputs.contracts

    def figures(group: pd.DataFrame) -> tuple[YearFigure, ...]:
        return share_figures(inputs, years, flagged, judged & contracts.index.isin(group.index))

    return breakdown(
        "service",
        "Par service acheteur",
        contracts,
        "acheteur_service_id",
        names,
        NO_SERVICE,
        figures,
        tuple(names),
    )


def group_breakdown(
    inputs: Inputs,
    years: tuple[int, ...],
    breakdown: tuple[str, str],
    groups: Iterable[tuple[str, str, pd.Series, pd.Series]],
) -> Breakdown:
    """One row per named group (`key`, `label`, the contracts it flags, the contracts it judges:
    all of them for a reason or a threshold, those of the group for a category)."""
    rows = tuple(
        BreakdownRow(key=key, label=label, annees=share_figures(inputs, years, flagged, judged))
        for key, label, flagged, judged in groups
    )
    return Breakdown(id=breakdown[0], titre=breakdown[1], rows=rows)

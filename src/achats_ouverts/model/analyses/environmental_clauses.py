"""The environmental considerations that are mandatory from 21 August 2026
(`clauses-environnementales-2026`): the share of contracts notified from that day whose
essential data say « Pas de considération environnementale », per year and per buying service.

The day and its legal texts are declared once, in `datafolder.obligations`; validation flags the
same contracts with the warning `consideration-environnementale-a-verifier`.
"""

from __future__ import annotations

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder.obligations import ENVIRONMENTAL_CONSIDERATIONS
from achats_ouverts.french import french_date
from achats_ouverts.model import aggregates
from achats_ouverts.model.analyses.base import (
    Analysis,
    Breakdown,
    BreakdownRow,
    Column,
    Inputs,
    YearFigure,
    contract_rows,
)
from achats_ouverts.model.indicators import NO_SERVICE, NO_SERVICE_LABEL, clean, running

ID = "clauses-environnementales-2026"
START = ENVIRONMENTAL_CONSIDERATIONS.start


def _flags(contracts: pd.DataFrame) -> pd.DataFrame:
    """Per contract: in scope (notified from the day), field known, field says « none »."""
    in_scope = (contracts["dateNotification"] >= pd.Timestamp(START)).fillna(False).astype(bool)
    consideration = aggregates.has_environmental_consideration(contracts)
    known = in_scope & consideration.notna().to_numpy()
    without = known & ~consideration.fillna(True).astype(bool)
    return pd.DataFrame({"champ": in_scope, "connu": known, "sans": without}, index=contracts.index)


def counts(contracts: pd.DataFrame) -> tuple[int, int, int]:
    """Contracts notified from the day, those whose field is filled, and those among them that
    declare no environmental consideration (the quality page's figures)."""
    flags = _flags(contracts)
    return int(flags["champ"].sum()), int(flags["connu"].sum()), int(flags["sans"].sum())


def _years(
    flags: pd.DataFrame, years: pd.Series, all_years: tuple[int, ...], inputs: Inputs
) -> tuple[YearFigure, ...]:
    known = flags[flags["connu"]]
    counts = years[known.index].value_counts()
    without = years[known[known["sans"]].index].value_counts()
    figures = []
    for year in all_years:
        total = int(counts.get(year, 0))
        part = int(without.get(year, 0))
        figures.append(
            YearFigure(
                annee=year,
                valeur=clean(part / total * 100) if total else None,
                numerateur=float(part),
                denominateur=float(total),
                en_cours=running(year, inputs.reference_date),
            )
        )
    return tuple(figures)


def _service_breakdown(
    contracts: pd.DataFrame, flags: pd.DataFrame, all_years: tuple[int, ...], inputs: Inputs
) -> Breakdown:
    service = contracts["acheteur_service_id"].fillna(NO_SERVICE).astype(str)
    names = dict(zip(inputs.services["service_id"], inputs.services["service_nom"], strict=True))
    in_scope = service[flags["champ"]]
    rows = []
    for key in sorted(set(in_scope)):
        mine = service == key
        rows.append(
            BreakdownRow(
                key=key,
                label=names.get(key, NO_SERVICE_LABEL) if key else NO_SERVICE_LABEL,
                annees=_years(flags[mine], contracts["annee"], all_years, inputs),
            )
        )
    return Breakdown("service", "Par service acheteur", tuple(rows))


def environmental_clauses_2026(inputs: Inputs) -> Analysis:
    """Share of contracts notified from 21 August 2026 without environmental consideration."""
    contracts = inputs.contracts
    flags = _flags(contracts)
    years = contracts["annee"]
    all_years = tuple(sorted(int(y) for y in years.dropna().unique()))
    behind = contracts[flags["champ"] & contracts["annee"].notna().to_numpy()]
    extra = pd.DataFrame(
        {
            "considerationsEnvironnementales": behind["considerationsEnvironnementales"],
            "sans_consideration_environnementale": flags.loc[behind.index, "sans"].where(
                flags.loc[behind.index, "connu"]
            ),
        },
        index=behind.index,
    )
    start = french_date(START)
    return Analysis(
        id=ID,
        titre="Marchés sans considération environnementale depuis le " + start,
        question=(
            f"Parmi les marchés notifiés depuis le {start}, quelle part déclare « "
            f"{v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE} » alors que la loi impose désormais d'en "
            "prendre en compte ?"
        ),
        unite="%",
        methode=(
            f"{ENVIRONMENTAL_CONSIDERATIONS.rule} Sont comptés les marchés notifiés depuis le "
            f"{start} dont le champ considerationsEnvironnementales est renseigné ; la part est "
            f"celle qui déclare « {v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE} ». Un marché sans "
            "valeur dans ce champ n'est pas compté : une absence de réponse n'est pas un « non ». "
            "Chaque marché compté est signalé « à vérifier » par la validation des données "
            "(code consideration-environnementale-a-verifier)."
        ),
        limites=(
            ENVIRONMENTAL_CONSIDERATIONS.approximation,
            "Les années avant 2026 n'ont pas de valeur : la règle ne s'y applique pas. L'année "
            "2026 ne compte que les marchés notifiés depuis le " + start + ".",
            "Le champ dit si une considération environnementale figure au marché (clause, "
            "critère), pas sa portée : une clause de pure forme compte comme une considération.",
        ),
        annees=_years(flags, years, all_years, inputs),
        breakdowns=(_service_breakdown(contracts, flags, all_years, inputs),),
        contracts=contract_rows(behind, extra),
        columns=(
            Column(
                "considerationsEnvironnementales",
                "string",
                "Les considérations environnementales déclarées (champ DECP), telles que "
                "publiées dans marches.csv.",
            ),
            Column(
                "sans_consideration_environnementale",
                "boolean",
                "Vrai quand le marché déclare « Pas de considération environnementale » (compté "
                "au numérateur) ; vide quand le champ n'est pas renseigné (marché non compté).",
            ),
        ),
        sources=ENVIRONMENTAL_CONSIDERATIONS.sources,
    )

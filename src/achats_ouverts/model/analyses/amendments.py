"""Amendments: contracts whose amount or duration grew through modifications beyond what the
code allows for small modifications, and beyond half of the initial amount.
"""

from __future__ import annotations

import pandas as pd

from achats_ouverts.model.analyses.base import Analysis, Column, Inputs, contract_rows
from achats_ouverts.model.analyses.counting import (
    group_breakdown,
    service_breakdown,
    share_figures,
    years_of,
)

SMALL_SUPPLIES_SERVICES = 10.0
"""Percent of the initial amount a small modification stays under (supplies, services)."""
SMALL_WORKS = 15.0
"""The same for works."""
HALF = 50.0
"""Percent of the initial amount a modification for unforeseen circumstances or additional
work stays under, each time."""


def growth(initial: pd.Series, current: pd.Series) -> pd.Series:
    """Growth in % from `initial` to `current`; NaN where `initial` is not positive or either
    is unknown."""
    start = initial.where(initial > 0)
    return (current - start) / start * 100


def small_bound(categories: pd.Series) -> pd.Series:
    """Per contract, the small-modification bound in % (15 for works, 10 otherwise)."""
    works = categories.fillna("").eq("Travaux")
    return pd.Series(SMALL_SUPPLIES_SERVICES, index=categories.index).where(~works, SMALL_WORKS)


def hausse_par_modifications(inputs: Inputs) -> Analysis:
    contracts = inputs.contracts
    years = years_of(contracts)
    amount = growth(contracts["montant"], contracts["montantActuel"])
    duration = growth(
        contracts["dureeMois"].astype("float64"), contracts["dureeMoisActuelle"].astype("float64")
    )
    bound = small_bound(contracts["categorie"])
    amount_over = (amount > bound).fillna(False)
    amount_half = (amount > HALF).fillna(False)
    duration_over = (duration > bound).fillna(False)
    duration_half = (duration > HALF).fillna(False)
    judged = amount.notna()
    duration_judged = duration.notna()
    counts = (
        inputs.modifications.groupby("uid").size()
        if len(inputs.modifications)
        else pd.Series(dtype="int64")
    )
    behind = amount_over | duration_over
    extra = pd.DataFrame(
        {
            "modifications": contracts["uid"].map(counts).fillna(0).astype("int64"),
            "hausse_montant_pourcent": amount.round(2),
            "hausse_duree_pourcent": duration.round(2),
            "seuil_pourcent": bound,
            "montant_au_dela_du_seuil": amount_over,
            "montant_plus_de_50_pourcent": amount_half,
            "duree_au_dela_du_seuil": duration_over,
            "duree_plus_de_50_pourcent": duration_half,
        },
        index=contracts.index,
    )
    return Analysis(
        id="hausse-par-modifications",
        titre="Hausses par modification",
        question=(
            "Quelle part des marchés a vu son montant augmenter par modification au-delà de "
            "10 % (fournitures et services) ou 15 % (travaux) du montant initial ?"
        ),
        unite="%",
        methode=(
            "Pour chaque marché dont le montant à la notification (montant) est connu et "
            "positif, la hausse est l'écart entre le montant actuel (montantActuel, après les "
            "modifications publiées) et le montant à la notification, en pourcentage de ce "
            "dernier. Le chiffre est la part des marchés dont la hausse dépasse 10 % pour les "
            "fournitures et les services ou 15 % pour les travaux (catégorie déduite du code "
            "CPV, division 45 pour les travaux) : ce sont les plafonds des modifications de "
            "faible montant de l'article R2194-8 du code de la commande publique. Les détails "
            "comptent aussi les hausses de plus de 50 %, plafond de chaque modification pour "
            "prestations supplémentaires ou circonstances imprévues (articles R2194-2 et "
            "R2194-5, plafond fixé par l'article R2194-3), et les mêmes hausses de la durée "
            "(dureeMois et dureeMoisActuelle). "
            "L'année est celle de la notification du marché."
        ),
        limites=(
            "Le montant actuel cumule toutes les modifications. L'article R2194-9 cumule bien "
            "les modifications de faible montant entre elles, mais une hausse au-delà de 10 % ou "
            "15 % peut réunir des modifications régulières fondées sur d'autres articles "
            "(R2194-1 à R2194-7 : clause de réexamen, prestations supplémentaires, circonstances "
            "imprévues, modification non substantielle…).",
            "Le plafond de 50 % s'apprécie modification par modification, pas sur leur cumul.",
            "Une modification non publiée n'est pas comptée ; une révision de prix prévue au "
            "marché n'est pas une modification et n'apparaît pas dans les données.",
            "La durée n'a pas de plafond légal propre : ses hausses sont montrées pour repérer "
            "les marchés prolongés.",
        ),
        annees=share_figures(
            inputs,
            years,
            amount_over,
            judged,
            (
                ("montant_plus_de_50_pourcent", amount_half),
                ("duree_au_dela_du_seuil", duration_over & duration_judged),
                ("duree_plus_de_50_pourcent", duration_half & duration_judged),
            ),
        ),
        breakdowns=(
            service_breakdown(inputs, years, amount_over, judged),
            group_breakdown(
                inputs,
                years,
                ("categorie", "Par catégorie"),
                (
                    (c, c, amount_over, judged & contracts["categorie"].fillna("").eq(c))
                    for c in ("Travaux", "Fournitures", "Services")
                ),
            ),
        ),
        contracts=contract_rows(contracts[behind], extra[behind]),
        columns=(
            Column("modifications", "integer", "Nombre de modifications publiées du marché."),
            Column(
                "hausse_montant_pourcent",
                "number",
                "Hausse du montant, de la notification (montant) au montant actuel "
                "(montantActuel), en % du montant à la notification.",
            ),
            Column(
                "hausse_duree_pourcent",
                "number",
                "Hausse de la durée (dureeMois vers dureeMoisActuelle), en %.",
            ),
            Column(
                "seuil_pourcent",
                "number",
                "Plafond des modifications de faible montant : 15 pour les travaux, 10 sinon.",
            ),
            Column(
                "montant_au_dela_du_seuil", "boolean", "La hausse du montant dépasse le plafond."
            ),
            Column("montant_plus_de_50_pourcent", "boolean", "La hausse du montant dépasse 50 %."),
            Column(
                "duree_au_dela_du_seuil", "boolean", "La hausse de la durée dépasse le plafond."
            ),
            Column("duree_plus_de_50_pourcent", "boolean", "La hausse de la durée dépasse 50 %."),
        ),
        sources=(
            "Code de la commande publique, articles R2194-2, R2194-3, R2194-5, R2194-8 et R2194-9",
            "Directive 2014/24/UE, article 72",
        ),
    )

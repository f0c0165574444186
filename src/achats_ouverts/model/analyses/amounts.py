"""Amounts to check: amounts at notification that look like placeholders or typing errors
(1 € or less, 100 M€ or more, over a hundred times the median of their CPV group).
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

PLACEHOLDER = 1.0
"""An amount of this many euros or less is a placeholder."""
HUGE = 100_000_000.0
"""An amount of this many euros or more is checked."""
TIMES_MEDIAN = 100.0
"""An amount over this many times the median of its CPV group is checked."""

REASONS: tuple[tuple[str, str], ...] = (
    ("un-euro-ou-moins", "1 € ou moins"),
    ("cent-millions-ou-plus", "100 M€ ou plus"),
    ("cent-fois-la-mediane", "Plus de 100 fois la médiane du groupe CPV"),
)


def cpv_group_medians(contracts: pd.DataFrame) -> pd.Series:
    """Per contract, the median amount at notification of its CPV group (3 first digits),
    over the amounts above 1 € (placeholders would pull it down); NaN without a CPV group."""
    group = contracts["codeCPV"].fillna("").astype(str).str.slice(0, 3)
    group = group.where(group.str.fullmatch(r"[0-9]{3}"))
    amounts = contracts["montant"].where(contracts["montant"] > PLACEHOLDER)
    return amounts.groupby(group).transform("median")


def _joined(reasons: pd.DataFrame) -> pd.Series:
    """Per contract, its reasons in the order of `REASONS`, separated by « ; »."""
    joined = pd.Series("", index=reasons.index, dtype=object)
    for key, _ in REASONS:
        joined = joined.mask(reasons[key], joined + ";" + key)
    return joined.str.removeprefix(";")


def montants_a_verifier(inputs: Inputs) -> Analysis:
    contracts = inputs.contracts
    years = years_of(contracts)
    amount = contracts["montant"]
    median = cpv_group_medians(contracts)
    reasons = pd.DataFrame(
        {
            "un-euro-ou-moins": (amount <= PLACEHOLDER).fillna(False),
            "cent-millions-ou-plus": (amount >= HUGE).fillna(False),
            "cent-fois-la-mediane": (amount > TIMES_MEDIAN * median).fillna(False),
        },
        index=contracts.index,
    )
    flagged = reasons.any(axis=1)
    judged = amount.notna()
    extra = pd.DataFrame(
        {
            "motifs": _joined(reasons),
            "groupe_cpv": contracts["codeCPV"].fillna("").astype(str).str.slice(0, 3),
            "mediane_groupe_cpv": median.round(2),
        },
        index=contracts.index,
    )
    return Analysis(
        id="montants-a-verifier",
        titre="Montants à vérifier",
        question=(
            "Quelle part des marchés a un montant à la notification qui ressemble à une valeur "
            "d'attente ou à une erreur de saisie ?"
        ),
        unite="%",
        methode=(
            "Un marché est compté quand son montant à la notification (montant) vaut 1 € ou "
            "moins (valeur d'attente), 100 millions d'euros ou plus, ou plus de 100 fois la "
            "médiane des montants de son groupe CPV (les trois premiers chiffres du code CPV) "
            "dans le dossier de données ; la médiane ne compte que les montants supérieurs à "
            "1 €. Le chiffre est la part de ces marchés parmi ceux dont le montant est connu, "
            "par année de notification ; la seconde ventilation donne chaque motif. Ces "
            "valeurs faussent les totaux nationaux : les vérifier avant de les additionner."
        ),
        limites=(
            "Un montant très élevé peut être juste (accord-cadre à maximum, grand chantier) : "
            "le signal invite à vérifier, pas à corriger.",
            "La médiane d'un groupe CPV de peu de marchés est fragile ; avec moins de trois "
            "marchés, aucun ne peut dépasser 100 fois la médiane.",
            "Un accord-cadre sans minimum ni maximum peut être publié à 1 € en attendant les "
            "bons de commande. La validation refuse les montants inférieurs à 1 € : dans un "
            "dossier validé, « 1 € ou moins » veut dire exactement 1 €.",
        ),
        annees=share_figures(
            inputs, years, flagged, judged, ((key, reasons[key]) for key, _ in REASONS)
        ),
        breakdowns=(
            service_breakdown(inputs, years, flagged, judged),
            group_breakdown(
                inputs,
                years,
                ("motif", "Par motif"),
                ((key, label, reasons[key], judged) for key, label in REASONS),
            ),
        ),
        contracts=contract_rows(contracts[flagged], extra[flagged]),
        columns=(
            Column(
                "motifs",
                "string",
                "Les motifs, séparés par « ; » : un-euro-ou-moins, cent-millions-ou-plus, "
                "cent-fois-la-mediane.",
            ),
            Column("groupe_cpv", "string", "Le groupe CPV (trois premiers chiffres du code)."),
            Column(
                "mediane_groupe_cpv",
                "number",
                "La médiane des montants à la notification supérieurs à 1 € de ce groupe.",
            ),
        ),
        sources=(
            "decp.info, « À propos » (montants aberrants des données essentielles)",
            "Éclaireur Public, méthode (montants de plus de 100 M€ signalés)",
        ),
    )

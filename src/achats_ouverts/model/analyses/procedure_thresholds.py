"""Amounts near a threshold and possible splitting: contracts notified just below a procedure
or EU threshold in force at their notification date, and groups of small contracts of one
buying service with one supplier in one CPV group whose sum goes over a threshold.

The thresholds come from `Inputs.thresholds` (`datafolder.thresholds`, or the data folder's
`seuils.csv`): per contract, the one in force at its notification date for its category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from achats_ouverts.datafolder.thresholds import values_by_date
from achats_ouverts.model.aggregates import NO_COMPETITION
from achats_ouverts.model.analyses.base import Analysis, Column, Inputs, contract_rows
from achats_ouverts.model.analyses.counting import (
    group_breakdown,
    service_breakdown,
    service_labels,
    share_figures,
    years_of,
)

KINDS: tuple[tuple[str, str], ...] = (
    ("dispense", "Dispense de publicité et de mise en concurrence"),
    ("publicite", "Publicité obligatoire en procédure adaptée"),
    ("ue", "Seuil européen de procédure formalisée"),
)
"""The thresholds a contract is compared with, in increasing order of value."""

NEAR = 5.0
"""A contract is near a threshold when its amount is below it by at most this percent."""

ADAPTED = "Procédure adaptée"
LIGHTER: dict[str, tuple[str, ...]] = {
    "dispense": (NO_COMPETITION,),
    "publicite": (NO_COMPETITION, ADAPTED),
    "ue": (NO_COMPETITION, ADAPTED),
}
"""Per kind, the procedures that staying below the threshold allows and passing it would not:
only a contract passed with one of them (or with no procedure given) can be part of a possible
splitting; a contract passed with a formalised procedure avoided nothing."""

WINDOW_MONTHS = 12
"""The contracts of one possible splitting are notified within this many months of the first."""

_TABLES = {
    "dispense": ("dispense-travaux", "dispense-fournitures-services"),
    "publicite": ("publicite", "publicite"),
    "ue": ("ue-travaux", "ue-fournitures-services"),
}
"""Per kind, the table for works and the one for supplies and services."""


def threshold_values(inputs: Inputs) -> pd.DataFrame:
    """Per contract (rows of `inputs.contracts`) and kind, the threshold in force at its
    notification date for its category; NaN where the category (from the CPV code) is
    unknown."""
    contracts = inputs.contracts
    category = contracts["categorie"].fillna("")
    days = contracts["dateNotification"]
    columns = {}
    for kind, (works, others) in _TABLES.items():
        works_values = values_by_date(inputs.thresholds[works], days)
        other_values = values_by_date(inputs.thresholds[others], days)
        values = works_values.where(category.eq("Travaux"), other_values)
        columns[kind] = values.where(category.ne(""))
    return pd.DataFrame(columns, index=contracts.index)


def _methode_seuils() -> str:
    return (
        "Chaque marché est comparé aux seuils en vigueur à sa date de notification, selon sa "
        "catégorie (travaux : division CPV 45 ; fournitures et services sinon) : le seuil de "
        "dispense de publicité et de mise en concurrence (article R2122-8 du code de la "
        "commande publique), le seuil de publicité des procédures adaptées (90 000 € HT, "
        "article R2131-12) et le seuil européen de procédure formalisée (annexe 2 du code, "
        "règlements délégués de la Commission européenne ; pour les fournitures et services, "
        "celui des autorités centrales si l'éditeur en est une, celui des autres pouvoirs "
        "adjudicateurs sinon). Les seuils et leurs dates figurent dans la table des seuils "
        "publiée avec l'outil, que le dossier de données peut remplacer (seuils.csv)."
    )


def proches_des_seuils(inputs: Inputs) -> Analysis:
    contracts = inputs.contracts
    years = years_of(contracts)
    amount = contracts["montant"]
    values = threshold_values(inputs)
    near = pd.DataFrame(
        {
            kind: ((amount < values[kind]) & (amount >= values[kind] * (1 - NEAR / 100))).fillna(
                False
            )
            for kind, _ in KINDS
        },
        index=contracts.index,
    )
    flagged = near.any(axis=1)
    judged = amount.notna() & values.notna().any(axis=1)
    first = pd.Series(None, index=contracts.index, dtype=object)
    limit = pd.Series(float("nan"), index=contracts.index, dtype="float64")
    for kind, _ in reversed(KINDS):
        first = first.mask(near[kind], kind)
        limit = limit.mask(near[kind], values[kind])
    extra = pd.DataFrame(
        {
            "seuil": first,
            "seuil_montant": limit,
            "ecart_pourcent": ((limit - amount) / limit * 100).round(2),
        },
        index=contracts.index,
    )
    return Analysis(
        id="proches-des-seuils",
        titre="Montants juste sous un seuil",
        question=(
            "Quelle part des marchés a un montant à la notification compris dans les 5 % sous "
            "un seuil de procédure ou un seuil européen ?"
        ),
        unite="%",
        methode=(
            _methode_seuils()
            + " Un marché est compté quand son montant à la notification (montant) est "
            "inférieur au seuil d'au plus 5 %. Le chiffre est la part de ces marchés parmi "
            "ceux dont le montant et la catégorie sont connus, par année de notification ; la "
            "seconde ventilation donne la même part pour chaque seuil."
        ),
        limites=(
            "Les seuils s'appliquent à la valeur estimée du besoin au lancement de la "
            "consultation, que les données ne donnent pas : le montant à la notification et "
            "la date de notification en sont des approximations.",
            "Un montant juste sous un seuil est souvent régulier : le budget du besoin ou les "
            "offres reçues peuvent l'expliquer.",
            "Le seuil s'apprécie sur l'ensemble des lots et des besoins de même nature de "
            "l'acheteur : un marché isolé ne dit rien de ce total.",
        ),
        annees=share_figures(inputs, years, flagged, judged),
        breakdowns=(
            service_breakdown(inputs, years, flagged, judged),
            group_breakdown(
                inputs,
                years,
                ("seuil", "Par seuil"),
                ((kind, label, near[kind], judged) for kind, label in KINDS),
            ),
        ),
        contracts=contract_rows(contracts[flagged], extra[flagged]),
        columns=(
            Column("seuil", "string", "Le seuil approché : dispense, publicite ou ue."),
            Column(
                "seuil_montant",
                "number",
                "Sa valeur en euros HT, en vigueur à la date de notification.",
            ),
            Column(
                "ecart_pourcent", "number", "L'écart entre le seuil et le montant, en % du seuil."
            ),
        ),
        sources=(
            "Code de la commande publique, articles R2122-8, R2131-12 et annexe 2",
            "Règlements délégués (UE) 2017/2365, 2019/1828, 2021/1952, 2023/2495 et 2025/2152",
        ),
    )


GROUP_COLUMNS = [
    "ligne",
    "groupe",
    "seuil",
    "seuil_montant",
    "titulaire_id",
    "groupe_cpv",
    "groupe_marches",
    "groupe_montant",
]


def splitting_groups(inputs: Inputs, values: pd.DataFrame) -> pd.DataFrame:
    """The possible splittings: per kind, the contracts below their threshold, passed with a
    procedure the threshold would have ruled out above it (`LIGHTER`), of one buying
    service with one supplier at notification in one CPV group (3 first digits), cut into
    windows of twelve months from the first contract of each window; a window of two contracts
    or more whose amounts add up over the threshold in force at its first contract is kept.
    One row per contract and window (`GROUP_COLUMNS`; `ligne` is the contract's row), groups
    numbered by their first notification date, then kind, then first uid."""
    contracts = inputs.contracts
    base = pd.DataFrame(
        {
            "service": service_labels(inputs),
            "groupe_cpv": contracts["codeCPV"].fillna("").astype(str).str.slice(0, 3),
            "date": contracts["dateNotification"],
            "uid": contracts["uid"],
            "montant": contracts["montant"],
            "procedure": contracts["procedure"].fillna("").astype(str),
        },
        index=contracts.index,
    )
    base.index.name = "ligne"
    suppliers = inputs.initial_suppliers[["uid", "titulaire_id"]].dropna().drop_duplicates()
    linked = base.reset_index().merge(suppliers, on="uid", how="inner")
    linked = linked[linked["groupe_cpv"].str.fullmatch(r"[0-9]{3}") & linked["date"].notna()]
    found = []
    count = 0
    for kind, _ in KINDS:
        limit = linked["ligne"].map(values[kind])
        lighter = linked["procedure"].isin(LIGHTER[kind]) | linked["procedure"].eq("")
        below = linked[(linked["montant"] > 0) & (linked["montant"] < limit) & lighter].assign(
            seuil=kind, seuil_montant=limit
        )
        below = below.sort_values(
            ["service", "titulaire_id", "groupe_cpv", "date", "uid"], kind="stable"
        ).reset_index(drop=True)
        window = np.full(len(below), -1)
        for first, last in _windows(below):
            window[first : last + 1] = count
            count += 1
        found.append(below[window >= 0].assign(fenetre=window[window >= 0]))
    rows = pd.concat(found, ignore_index=True)
    if rows.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    groups = rows.groupby("fenetre").agg(
        date=("date", "first"),
        seuil=("seuil", "first"),
        uid=("uid", "first"),
        marches=("uid", "size"),
        total=("montant", "sum"),
        limite=("seuil_montant", "first"),
    )
    groups = groups.sort_values(["date", "seuil", "uid"], kind="stable")
    groups["groupe"] = [f"F{n:04d}" for n in range(1, len(groups) + 1)]
    rows = rows.assign(
        groupe=rows["fenetre"].map(groups["groupe"]),
        groupe_marches=rows["fenetre"].map(groups["marches"]),
        groupe_montant=rows["fenetre"].map(groups["total"]).round(2),
        seuil_montant=rows["fenetre"].map(groups["limite"]),
    )
    return rows.sort_values("groupe", kind="stable").reset_index(drop=True)[GROUP_COLUMNS]


def _windows(below: pd.DataFrame) -> list[tuple[int, int]]:
    """The (first, last) positions of the windows kept in `below`, sorted by service, supplier,
    CPV group and date: one pass, each window opened by the first contract not yet in one."""
    keys = below.groupby(["service", "titulaire_id", "groupe_cpv"], sort=False).ngroup().tolist()
    dates = below["date"].tolist()
    ends = (below["date"] + pd.DateOffset(months=WINDOW_MONTHS)).tolist()
    amounts = below["montant"].tolist()
    limits = below["seuil_montant"].tolist()
    kept = []
    first = 0
    while first < len(keys):
        last, total = first, amounts[first]
        while (
            last + 1 < len(keys) and keys[last + 1] == keys[first] and dates[last + 1] < ends[first]
        ):
            last += 1
            total += amounts[last]
        if last > first and total > limits[first]:
            kept.append((first, last))
        first = last + 1
    return kept


def fractionnement_possible(inputs: Inputs) -> Analysis:
    contracts = inputs.contracts
    years = years_of(contracts)
    values = threshold_values(inputs)
    groups = splitting_groups(inputs, values)
    judged = contracts["montant"].notna()
    in_group = pd.Series(contracts.index.isin(groups["ligne"]), index=contracts.index)
    by_kind = (
        (
            kind,
            label,
            pd.Series(
                contracts.index.isin(groups.loc[groups["seuil"] == kind, "ligne"]),
                index=contracts.index,
            ),
            judged,
        )
        for kind, label in KINDS
    )
    extra = groups.set_index("ligne")
    extra.index.name = contracts.index.name
    return Analysis(
        id="fractionnement-possible",
        titre="Fractionnements possibles",
        question=(
            "Quelle part des marchés appartient à un groupe de marchés d'un même service avec "
            "un même titulaire dans un même groupe CPV, notifiés en douze mois, chacun sous un "
            "seuil et passé selon la procédure allégée qu'il permet, mais dont la somme le "
            "dépasse ?"
        ),
        unite="%",
        methode=(
            _methode_seuils()
            + " Pour chaque seuil, les marchés dont le montant à la notification est inférieur "
            "au seuil et qui ont été passés selon une procédure que le dépassement du seuil "
            "aurait interdite (sans publicité ni mise en concurrence pour le seuil de dispense ; "
            "procédure adaptée ou sans mise en concurrence pour le seuil de publicité et le seuil "
            "européen ; procédure non renseignée comprise) sont regroupés par service acheteur, "
            "titulaire à la notification et "
            "groupe CPV (les trois premiers chiffres du code CPV, plus fin que la division). "
            "Dans chaque regroupement, une fenêtre s'ouvre au premier marché et réunit ceux "
            "notifiés dans les douze mois qui suivent ; le marché suivant ouvre la fenêtre "
            "suivante. Une fenêtre d'au moins deux marchés dont la somme des montants dépasse "
            "le seuil en vigueur à son premier marché est un fractionnement possible. Le "
            "chiffre est la part des marchés qui appartiennent à au moins un tel groupe ; le "
            "fichier des marchés donne chaque marché avec l'identifiant de son groupe."
        ),
        limites=(
            "Le code (articles R2121-1 à R2121-9) apprécie le seuil sur la valeur totale des "
            "besoins homogènes de l'acheteur sur un an, tous titulaires confondus : un "
            "regroupement par titulaire et par groupe CPV n'en est qu'une approximation.",
            "Des fenêtres fixes de douze mois peuvent séparer deux marchés proches dans le "
            "temps ; des besoins distincts peuvent partager un groupe CPV.",
            "Les marchés sans titulaire, sans code CPV ou sans date de notification ne sont "
            "pas regroupés ; un marché à plusieurs titulaires est regroupé avec chacun.",
            "Un marché peut appartenir à plusieurs groupes, un par seuil.",
        ),
        annees=share_figures(inputs, years, in_group, judged),
        breakdowns=(
            service_breakdown(inputs, years, in_group, judged),
            group_breakdown(inputs, years, ("seuil", "Par seuil"), by_kind),
        ),
        contracts=contract_rows(contracts[in_group], extra),
        columns=(
            Column("groupe", "string", "L'identifiant du groupe de marchés (F0001…)."),
            Column("seuil", "string", "Le seuil dépassé par la somme : dispense, publicite ou ue."),
            Column(
                "seuil_montant",
                "number",
                "Sa valeur en euros HT, en vigueur à la notification du premier marché du groupe.",
            ),
            Column("titulaire_id", "string", "Le titulaire commun, à la notification."),
            Column("groupe_cpv", "string", "Le groupe CPV commun (trois premiers chiffres)."),
            Column("groupe_marches", "integer", "Le nombre de marchés du groupe."),
            Column(
                "groupe_montant", "number", "La somme des montants à la notification du groupe."
            ),
        ),
        sources=(
            "Code de la commande publique, articles R2121-1 à R2121-9 (calcul de la valeur "
            "estimée), R2122-8, R2131-12 et annexe 2",
            "Open Contracting Partnership, Cardinal, red flag R055",
        ),
    )

"""Transparency self-audit: the Éclaireur Public grade (A to E) computed on the buyer's own data.

Éclaireur Public (Transparency International France, Anticor, Data For Good) grades how a public
buyer publishes its contracts. Its published criteria are applied here as a ladder, per year and
per buying service: each grade needs every criterion of the grades below it.

- E: no contract published;
- D: contracts published, but not both at or above the DECP publication threshold in force at
  their notification (`datafolder.thresholds`: 25 000 € HT until 2019, 40 000 € HT since 2020)
  and below it;
- C: both sizes published, but some contract lacks one of the 10 key fields;
- B: the 10 key fields filled on every contract, but the mean publication delay exceeds two months;
- A: every criterion met.

Pure functions from DataFrames to DataFrames; no I/O, no templates.
"""

from __future__ import annotations

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import thresholds
from achats_ouverts.model import aggregates

GRADES = "EDCBA"
CRITERIA: tuple[tuple[str, str], ...] = (
    ("critere_publication", "Des marchés sont publiés"),
    (
        "critere_tailles",
        "Des marchés au seuil de publication des DECP ou au-dessus et des marchés sous ce seuil "
        "sont publiés",
    ),
    ("critere_champs", "Les 10 champs clés sont renseignés sur chaque marché"),
    ("critere_delai", "Le délai moyen de publication ne dépasse pas deux mois"),
)


def above_decp_threshold(contracts: pd.DataFrame) -> pd.Series:
    """True for a contract whose amount at notification (`montant`) reaches the DECP publication
    threshold in force on its notification date."""
    limit = thresholds.values_by_date(thresholds.DECP_PUBLICATION, contracts["dateNotification"])
    return (contracts["montant"] >= limit).fillna(False).astype(bool)


def contract_checks(contracts: pd.DataFrame, contract_suppliers: pd.DataFrame) -> pd.DataFrame:
    """Per contract: year, service, size class, missing key fields and publication delay.

    `en_retard` is True when the data were published more than two calendar months after the
    notification, or not dated at all (the delay cannot be shown)."""
    filled = aggregates.key_fields_filled(contracts, contract_suppliers)
    days = aggregates.publication_delay_days(contracts)
    in_time = aggregates.published_within_two_months(contracts)
    return pd.DataFrame(
        {
            "annee": contracts["annee"],
            "service_id": contracts["acheteur_service_id"].astype(str),
            "au_dessus_seuil": above_decp_threshold(contracts),
            "complet": filled.all(axis=1),
            "champs_manquants": aggregates.missing_key_fields(filled),
            "delai_jours": days,
            "delai_connu": days.notna() & (days >= 0),
            "en_retard": ~in_time.fillna(False).astype(bool),
        },
        index=contracts.index,
    )


def grades(checks: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group: counts behind each criterion, the criteria met and the grade (A to E)."""
    frame = checks.assign(
        sous_seuil=~checks["au_dessus_seuil"],
        incomplet=~checks["complet"],
        delai_mesure=checks["delai_jours"].where(checks["delai_connu"]),
    )
    result = frame.groupby(by, sort=True).agg(
        marches=("complet", "size"),
        au_dessus_seuil=("au_dessus_seuil", "sum"),
        sous_seuil=("sous_seuil", "sum"),
        incomplets=("incomplet", "sum"),
        en_retard=("en_retard", "sum"),
        delai_moyen=("delai_mesure", "mean"),
    )
    result = result.astype(
        {
            "marches": "int64",
            "au_dessus_seuil": "int64",
            "sous_seuil": "int64",
            "incomplets": "int64",
            "en_retard": "int64",
            "delai_moyen": "float64",
        }
    )
    return with_grades(result)


def with_grades(counts: pd.DataFrame) -> pd.DataFrame:
    """The four criteria and the grade from the counts of `grades`."""
    result = counts.copy()
    result["critere_publication"] = result["marches"] > 0
    result["critere_tailles"] = (result["au_dessus_seuil"] > 0) & (result["sous_seuil"] > 0)
    result["critere_champs"] = result["incomplets"] == 0
    result["critere_delai"] = (result["delai_moyen"] <= v.DELAI_PUBLICATION_JOURS).fillna(False)
    ladder = pd.Series(0, index=result.index, dtype="int64")
    still = pd.Series(True, index=result.index)
    for name, _ in CRITERIA:
        still = still & result[name].astype(bool)
        ladder = ladder + still.astype("int64")
    result["note"] = ladder.map(lambda n: GRADES[int(n)])
    return result


def empty_grade() -> pd.DataFrame:
    """The grade of a group with no contract at all: E."""
    counts = pd.DataFrame(
        {
            "marches": [0],
            "au_dessus_seuil": [0],
            "sous_seuil": [0],
            "incomplets": [0],
            "en_retard": [0],
            "delai_moyen": [float("nan")],
        }
    )
    return with_grades(counts)

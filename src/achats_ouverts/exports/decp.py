"""The official DECP 2022 JSON (`{"marches": {"marche": [...]}}`), streamed from the validated
tables; contracts lacking a field the format requires are left out and counted by reason.

The official semantics: a `marche` carries its values at notification (`montant`, `dureeMois` and
the suppliers at notification of the data folder), each modification the values it set. Importing
the file gives back the current values (`montantActuel`, `dureeMoisActuelle`, current suppliers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pandas as pd

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas
from achats_ouverts.exports.rows import (
    INITIAL,
    amount,
    column_lists,
    modifications_by_contract,
    multi,
    suppliers_by_contract,
)
from achats_ouverts.exports.tables import write_json_array
from achats_ouverts.model import Data

DECP_SCHEMA_URL = (
    "https://raw.githubusercontent.com/139bercy/format-commande-publique/master/"
    "schema_decp_v2.0.3.json"
)

DECP_REQUIRED = (
    "nature",
    "codeCPV",
    "techniques",
    "modalitesExecution",
    "marcheInnovant",
    "ccag",
    "offresRecues",
    "attributionAvance",
    "typeGroupementOperateurs",
    "procedure",
    "lieuExecution_code",
    "lieuExecution_typeCode",
    "dureeMois",
    "datePublicationDonnees",
    "typesPrix",
    "formePrix",
    "sousTraitanceDeclaree",
    "considerationsSociales",
    "considerationsEnvironnementales",
)
"""Columns the DECP 2022 format requires that our CSV allows to be empty."""


def decp_gaps(
    text: pd.DataFrame, suppliers: dict[str, list[tuple[str, str]]], modifications: pd.DataFrame
) -> pd.Series:
    """Per contract, the first reason it cannot be written in the DECP format ('' if none)."""
    reason = pd.Series("", index=text.index, dtype=object)
    for name in reversed(DECP_REQUIRED):
        reason = reason.mask(text[name] == "", f"champ « {name} » vide")
    long_id = text["id"].str.len() > 16
    reason = reason.mask(long_id & (reason == ""), "identifiant « id » de plus de 16 caractères")
    no_supplier = ~text["uid"].isin(list(suppliers))
    reason = reason.mask(no_supplier & (reason == ""), "aucun titulaire")
    undated = modifications.loc[modifications["datePublicationDonneesModification"] == "", "uid"]
    reason = reason.mask(
        text["uid"].isin(undated) & (reason == ""),
        "modification sans date de publication",
    )
    return reason


def decp_titulaires(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"titulaire": {"typeIdentifiant": kind, "id": ident}} for kind, ident in pairs]


def decp_modification(row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": int(row["modification_id"]),
        "dateNotificationModification": row["dateNotificationModification"],
        "datePublicationDonneesModification": row["datePublicationDonneesModification"],
    }
    if row["dureeMois"]:
        item["dureeMois"] = int(row["dureeMois"])
    if row["montant"]:
        item["montant"] = amount(float(row["montant"]))
    if row["titulaires"]:
        pairs = [tuple(x.split(":", 1)) for x in row["titulaires"].split(v.MULTI_SEPARATOR)]
        item["titulaires"] = decp_titulaires([(a, b) for a, b in pairs])
    return {"modification": item}


def decp_record(
    row: dict[str, str],
    suppliers: list[tuple[str, str]],
    modifications: list[dict[str, str]],
) -> dict[str, Any]:
    """A contract in the DECP 2022 `marche` form, from its validated CSV row.

    Its values are those at notification (`montant`, `dureeMois`, the suppliers at
    notification); each modification carries the new values it set, as published in
    `modifications.csv`.
    """
    record: dict[str, Any] = {
        "id": row["id"],
        "acheteur": {"id": row["acheteur_id"]},
        "nature": row["nature"],
        "objet": row["objet"],
        "codeCPV": row["codeCPV"],
        "techniques": {"technique": multi(row["techniques"])},
        "modalitesExecution": {"modaliteExecution": multi(row["modalitesExecution"])},
    }
    if row["idAccordCadre"]:
        record["idAccordCadre"] = row["idAccordCadre"]
    record.update(
        {
            "marcheInnovant": row["marcheInnovant"] == "true",
            "ccag": row["ccag"],
            "offresRecues": int(row["offresRecues"]),
            "attributionAvance": row["attributionAvance"] == "true",
        }
    )
    if row["tauxAvance"]:
        record["tauxAvance"] = float(row["tauxAvance"])
    record.update(
        {
            "typeGroupementOperateurs": row["typeGroupementOperateurs"],
            "sousTraitanceDeclaree": row["sousTraitanceDeclaree"] == "true",
            "procedure": row["procedure"],
            "lieuExecution": {
                "code": row["lieuExecution_code"],
                "typeCode": row["lieuExecution_typeCode"],
            },
            "dureeMois": int(row["dureeMois"]),
            "dateNotification": row["dateNotification"],
            "datePublicationDonnees": row["datePublicationDonnees"],
            "montant": amount(float(row["montant"])),
            "typesPrix": {"typePrix": multi(row["typesPrix"])},
            "formePrix": row["formePrix"],
        }
    )
    for name in ("origineUE", "origineFrance"):
        if row[name]:
            record[name] = float(row[name])
    record["titulaires"] = decp_titulaires(suppliers)
    record["considerationsSociales"] = {
        "considerationSociale": multi(row["considerationsSociales"])
    }
    record["considerationsEnvironnementales"] = {
        "considerationEnvironnementale": multi(row["considerationsEnvironnementales"])
    }
    if modifications:
        record["modifications"] = [decp_modification(m) for m in modifications]
    return record


@dataclass(frozen=True)
class DecpSummary:
    """How many contracts decp.json holds, and why the others could not be written."""

    publies: int
    exclus: int
    raisons: tuple[tuple[str, int], ...]


def decp_records(data: Data) -> tuple[Iterator[dict[str, Any]], DecpSummary]:
    text = data.text["marches"]
    suppliers = suppliers_by_contract(data.text["marches-titulaires"], INITIAL)
    modifications = data.text["modifications"]
    gaps = decp_gaps(text, suppliers, modifications)
    counts = gaps[gaps != ""].value_counts()
    summary = DecpSummary(
        publies=int((gaps == "").sum()),
        exclus=int((gaps != "").sum()),
        raisons=tuple(sorted(((str(k), int(n)) for k, n in counts.items()), key=lambda x: x[0])),
    )
    complete = text[gaps == ""]
    by_uid = modifications_by_contract(modifications)
    names = list(schemas.dataset("marches").field_names)

    def generate() -> Iterator[dict[str, Any]]:
        for values in column_lists(complete, names):
            row = dict(zip(names, values, strict=True))
            yield decp_record(row, suppliers[row["uid"]], by_uid.get(row["uid"], []))

    return generate(), summary


def write_decp(handle: BinaryIO, data: Data) -> DecpSummary:
    """`{"marches": {"marche": [...]}}`, streamed."""
    items, summary = decp_records(data)
    handle.write(b'{"marches": {"marche": ')
    write_json_array(handle, items)
    handle.write(b"}}\n")
    return summary

"""Helpers for the importer tests: tiny source files written by the tests, and a DECP 2022 JSON
export of a data folder's CSVs (the standard `{"marches": {"marche": [...]}}` shape)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

from tests.support import BUYER, SUPPLIER

MULTI = {
    "techniques": "technique",
    "modalitesExecution": "modaliteExecution",
    "typesPrix": "typePrix",
    "considerationsSociales": "considerationSociale",
    "considerationsEnvironnementales": "considerationEnvironnementale",
}


def marche(ident: str = "2024-001", **changes: Any) -> dict[str, Any]:
    """A valid DECP 2022 `marche` object."""
    record: dict[str, Any] = {
        "id": ident,
        "acheteur": {"id": BUYER},
        "nature": "Marché",
        "objet": f"Travaux {ident}",
        "codeCPV": "45214200-2",
        "techniques": {"technique": ["Sans objet"]},
        "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
        "marcheInnovant": False,
        "ccag": "Travaux",
        "offresRecues": 3,
        "attributionAvance": True,
        "tauxAvance": 0.1,
        "typeGroupementOperateurs": "Pas de groupement",
        "sousTraitanceDeclaree": False,
        "procedure": "Procédure adaptée",
        "lieuExecution": {"code": "59350", "typeCode": "Code commune"},
        "dureeMois": 12,
        "dateNotification": "2024-03-01",
        "datePublicationDonnees": "2024-03-20",
        "montant": 120000,
        "typesPrix": {"typePrix": ["Définitif ferme"]},
        "formePrix": "Forfaitaire",
        "considerationsSociales": {"considerationSociale": ["Clause sociale"]},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": ["Pas de considération environnementale"]
        },
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": SUPPLIER}}],
    }
    record.update(changes)
    return record


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): digest(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def export_decp_2022(data_dir: Path) -> dict[str, Any]:
    """The contracts of a data folder as a DECP 2022 JSON document (initial state + history)."""
    suppliers: dict[str, list[dict[str, Any]]] = {}
    for row in read_csv(data_dir / "marches-titulaires.csv"):
        suppliers.setdefault(row["uid"], []).append(
            {
                "titulaire": {
                    "typeIdentifiant": row["titulaire_typeIdentifiant"],
                    "id": row["titulaire_id"],
                }
            }
        )
    history: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(data_dir / "modifications.csv"):
        history.setdefault(row["uid"], []).append(row)
    records = []
    for row in read_csv(data_dir / "marches.csv"):
        record: dict[str, Any] = {"id": row["id"], "acheteur": {"id": row["acheteur_id"]}}
        for name in ("nature", "objet", "codeCPV", "idAccordCadre", "ccag", "procedure"):
            if row[name]:
                record[name] = row[name]
        for name in ("typeGroupementOperateurs", "formePrix", "dateNotification"):
            if row[name]:
                record[name] = row[name]
        if row["datePublicationDonnees"]:
            record["datePublicationDonnees"] = row["datePublicationDonnees"]
        for name in ("marcheInnovant", "attributionAvance", "sousTraitanceDeclaree"):
            if row[name]:
                record[name] = row[name] == "true"
        for name in ("offresRecues", "dureeMois"):
            if row[name]:
                record[name] = int(row[name])
        for name in ("tauxAvance", "origineUE", "origineFrance", "montant"):
            if row[name]:
                record[name] = _number(row[name])
        for name, item in MULTI.items():
            if row[name]:
                record[name] = {item: row[name].split(", ")}
        if row["lieuExecution_code"] or row["lieuExecution_typeCode"]:
            record["lieuExecution"] = {
                "code": row["lieuExecution_code"],
                "typeCode": row["lieuExecution_typeCode"],
            }
        mods = history.get(row["uid"], [])
        record["titulaires"] = suppliers.get(row["uid"], [])
        if mods:
            record["modifications"] = []
            for mod in mods:
                entry: dict[str, Any] = {
                    "id": int(mod["modification_id"]),
                    "dateNotificationModification": mod["dateNotificationModification"],
                    "datePublicationDonneesModification": mod["datePublicationDonneesModification"],
                }
                if mod["montant"]:
                    entry["montant"] = _number(mod["montant"])
                if mod["dureeMois"]:
                    entry["dureeMois"] = int(mod["dureeMois"])
                if mod["titulaires"]:
                    entry["titulaires"] = [
                        {
                            "titulaire": dict(
                                zip(("typeIdentifiant", "id"), t.split(":"), strict=True)
                            )
                        }
                        for t in mod["titulaires"].split(", ")
                    ]
                record["modifications"].append(entry)
        records.append(record)
    return {"marches": {"marche": records}}

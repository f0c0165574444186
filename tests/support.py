"""Test helpers: tiny data folders written row by row, and access to ../shared/reference."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from achats_ouverts import contracts, datafolder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"

BUYER = "20005374200017"
SUPPLIER = "59145318800029"  # Luhn-valid, fictitious

CONTRACT: dict[str, str] = {
    "uid": BUYER + "20240001",
    "id": "20240001",
    "acheteur_id": BUYER,
    "acheteur_service_id": "lycees",
    "nature": "Marché",
    "objet": "Rénovation de la demi-pension du lycée",
    "codeCPV": "45214200-2",
    "techniques": "Sans objet",
    "modalitesExecution": "Sans objet",
    "idAccordCadre": "",
    "marcheInnovant": "false",
    "ccag": "Travaux",
    "offresRecues": "3",
    "attributionAvance": "true",
    "tauxAvance": "0.1",
    "typeGroupementOperateurs": "Pas de groupement",
    "sousTraitanceDeclaree": "false",
    "procedure": "Procédure adaptée",
    "lieuExecution_code": "59350",
    "lieuExecution_typeCode": "Code commune",
    "dureeMois": "12",
    "dateNotification": "2024-03-01",
    "datePublicationDonnees": "2024-03-20",
    "montant": "120000.00",
    "typesPrix": "Définitif ferme",
    "formePrix": "Forfaitaire",
    "origineUE": "",
    "origineFrance": "",
    "considerationsSociales": "Clause sociale",
    "considerationsEnvironnementales": "Clause environnementale",
}
CONTRACT_SUPPLIER = {
    "uid": CONTRACT["uid"],
    "titulaire_typeIdentifiant": "SIRET",
    "titulaire_id": SUPPLIER,
}
SUPPLIER_ROW = {
    "titulaire_typeIdentifiant": "SIRET",
    "titulaire_id": SUPPLIER,
    "titulaire_nom": "Menuiseries d'essai",
    "titulaire_categorie": "PME",
    "titulaire_commune_code": "59350",
    "titulaire_commune_nom": "Lille",
    "titulaire_departement_code": "59",
    "titulaire_region_code": "32",
}
SERVICE = {"service_id": "lycees", "service_nom": "Direction des lycées", "service_description": ""}


def contract(**changes: str) -> dict[str, str]:
    """A valid contract row; an `id` change also updates `uid`."""
    row = {**CONTRACT, **changes}
    if "id" in changes and "uid" not in changes:
        row["uid"] = row["acheteur_id"] + row["id"]
    return row


def linked(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Tables for `make_data_dir` holding these contracts, each with the default supplier."""
    return {
        "marches": rows,
        "marches_titulaires": [{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
    }


def write_table(data_dir: Path, name: str, rows: list[dict[str, str]]) -> Path:
    ds = contracts.dataset(name)
    path = data_dir / ds.path
    datafolder.write_csv(
        path, ds.field_names, [[row.get(f, "") for f in ds.field_names] for row in rows]
    )
    return path


def make_data_dir(target: Path, **tables: list[dict[str, str]]) -> Path:
    """A small valid data folder; pass `marches=[...]` etc. (dashes as underscores) to change it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("editeur.yaml", "politique.yaml"):
        shutil.copyfile(DATA / name, target / name)
    datafolder.write_schemas(target)
    datafolder.write_data_package(target, "essai", "Essai", "Dossier de test")
    defaults: dict[str, list[dict[str, str]]] = {
        "marches": [CONTRACT],
        "marches-titulaires": [CONTRACT_SUPPLIER],
        "modifications": [],
        "titulaires": [SUPPLIER_ROW],
        "services": [SERVICE],
        "achats-a-venir": [],
        "indicateurs-declares": [],
    }
    for name, rows in defaults.items():
        write_table(target, name, tables.get(name.replace("-", "_"), rows))
    return target


def reference_file(name: str) -> Path:
    """A file of ../shared/reference: skipped when the folder is absent, except under CI=true."""
    path = REFERENCE / name
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"fichier de référence absent en CI : {path}")
        pytest.skip(f"fichier de référence absent : {path}")
    return path


def projection(problems: Any) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file, p.row, p.field, p.code) for p in problems]

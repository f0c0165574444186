"""Test helpers: tiny data folders written row by row, and access to ../shared/reference."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from achats_ouverts.datafolder import schemas, writing

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
    "dureeMoisActuelle": "12",
    "dateNotification": "2024-03-01",
    "datePublicationDonnees": "2024-03-20",
    "montant": "120000.00",
    "montantActuel": "120000.00",
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
    "titulaireInitial": "true",
    "titulaireActuel": "true",
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
    """A valid contract row; an `id` change also updates `uid`, a change of the amount or the
    duration at notification to another number also the current one (a contract not modified
    since; a value that is not a number is not copied, so that a test meets one problem)."""
    row = {**CONTRACT, **changes}
    if "id" in changes and "uid" not in changes:
        row["uid"] = row["acheteur_id"] + row["id"]
    for current, initial in UNCHANGED["marches"].items():
        if current not in changes and re.fullmatch(r"[0-9]+(\.[0-9]+)?", changes.get(initial, "")):
            row[current] = row[initial]
    return row


def linked(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Tables for `make_data_dir` holding these contracts, each with the default supplier."""
    return {
        "marches": rows,
        "marches_titulaires": [{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
    }


UNCHANGED = {
    "marches": {"montantActuel": "montant", "dureeMoisActuelle": "dureeMois"},
    "marches-titulaires": {"titulaireInitial": "", "titulaireActuel": ""},
}
"""Columns a test row may leave out: a contract not modified since its notification (current
values copied from those at notification), a supplier there from the start ("true")."""


def complete(name: str, row: dict[str, str]) -> dict[str, str]:
    """`row` with the columns of `UNCHANGED` it leaves out."""
    filled = dict(row)
    for column, source in UNCHANGED.get(name, {}).items():
        if column not in filled:
            filled[column] = filled.get(source, "") if source else "true"
    return filled


def write_table(data_dir: Path, name: str, rows: list[dict[str, str]]) -> Path:
    ds = schemas.dataset(name)
    path = data_dir / ds.path
    writing.write_csv(
        path,
        ds.field_names,
        [[complete(name, row).get(f, "") for f in ds.field_names] for row in rows],
    )
    return path


def make_data_dir(target: Path, **tables: list[dict[str, str]]) -> Path:
    """A small valid data folder; pass `marches=[...]` etc. (dashes as underscores) to change it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("editeur.yaml", "politique.yaml"):
        shutil.copyfile(DATA / name, target / name)
    writing.write_schemas(target)
    writing.write_data_package(target, "essai", "Essai", "Dossier de test")
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


MODIFICATION = {
    "uid": CONTRACT["uid"],
    "modification_id": "1",
    "dateNotificationModification": "2024-09-02",
    "datePublicationDonneesModification": "2024-09-20",
    "montant": "135000.00",
    "dureeMois": "14",
    "titulaires": f"SIRET:{SUPPLIER}",
}
UPCOMING = {
    "id": "2025-lyc-001",
    "objet": "Restructuration de la demi-pension",
    "codeCPV": "45214200",
    "categorie": "Travaux",
    "service_id": "lycees",
    "montantEstime": "850000",
    "dateLancementPrevue": "2025-03-01",
    "dureeMoisPrevue": "24",
    "procedurePrevue": "Appel d'offres ouvert",
    "lieuExecution_code": "02691",
    "lieuExecution_typeCode": "Code commune",
    "lieuExecution_nom": "Saint-Quentin",
    "nombreLots": "3",
    "considerationsSocialesPrevues": "Clause sociale",
    "considerationsEnvironnementalesPrevues": "Critère environnemental",
    "marcheReserve": "false",
    "accessiblePME": "true",
    "contact": "achats@example.fr",
    "statut": "lancé",
    "dateAnnonce": "2024-12-15",
    "dateLancement": "2025-03-04",
    "urlConsultation": "https://marches.example.fr/consultation/1234",
    "dateLimiteRemiseOffres": "2025-04-10",
}
DECLARED = {
    "indicateur_id": "delai-paiement",
    "annee": "2024",
    "valeur": "27.5",
    "source": "Logiciel financier",
    "commentaire": "Délai global de paiement moyen.",
}


def make_complete_data_dir(target: Path) -> Path:
    """A small valid data folder with at least one row in every dataset."""
    first = contract(
        montantActuel=MODIFICATION["montant"], dureeMoisActuelle=MODIFICATION["dureeMois"]
    )
    second = contract(id="20240002", objet="Fourniture de mobilier", codeCPV="39160000-1")
    awarded = {
        **UPCOMING,
        "id": "2024-lyc-002",
        "statut": "attribué",
        "uidMarche": second["uid"],
        "urlConsultation": "",
    }
    return make_data_dir(
        target,
        **linked([first, second]),
        modifications=[MODIFICATION],
        achats_a_venir=[UPCOMING, awarded],
        indicateurs_declares=[DECLARED],
    )


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

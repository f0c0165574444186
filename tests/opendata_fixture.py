"""A small data folder that exercises every published format: several years, a contract notified
to two suppliers and modified twice (a new amount, then one supplier leaves), one that the DECP
format cannot hold, a text that a spreadsheet
would read as a formula, and upcoming purchases in every state that matters to feeds."""

from __future__ import annotations

from pathlib import Path

from tests.support import BUYER, CONTRACT_SUPPLIER, SUPPLIER_ROW, contract, make_data_dir

OTHER_SUPPLIER = "73282932000074"  # Luhn-valid, fictitious

FORMULA = '=HYPERLINK("http://example.invalid","clic")'
CONTRACTS = [
    contract(),
    contract(
        id="20250002",
        objet=FORMULA,
        dateNotification="2025-02-03",
        datePublicationDonnees="2025-02-20",
        montant="55000",
        montantActuel="61500.50",
        codeCPV="72212000",
        ccag="Techniques de l'information et de la communication",
        typeGroupementOperateurs="Conjoint",
        considerationsEnvironnementales="Clause environnementale, Critère environnemental",
    ),
    contract(
        id="20250003",
        objet="Nettoyage des locaux",
        nature="",
        montant="45000",
        dateNotification="2025-06-10",
        datePublicationDonnees="2025-06-30",
        codeCPV="90910000-9",
    ),
]
CONTRACT_SUPPLIERS = [
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[0]["uid"]},
    # Notified to two suppliers; the second modification keeps only the other one.
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[1]["uid"], "titulaireActuel": "false"},
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[2]["uid"]},
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[1]["uid"], "titulaire_id": OTHER_SUPPLIER},
]
MODIFICATIONS = [
    {
        "uid": CONTRACTS[1]["uid"],
        "modification_id": "1",
        "dateNotificationModification": "2025-05-02",
        "datePublicationDonneesModification": "2025-05-20",
        "montant": "58000",
        "dureeMois": "",
        "titulaires": "",
    },
    {
        "uid": CONTRACTS[1]["uid"],
        "modification_id": "2",
        "dateNotificationModification": "2025-09-01",
        "datePublicationDonneesModification": "2025-09-15",
        "montant": "61500.50",
        "dureeMois": "",
        "titulaires": f"SIRET:{OTHER_SUPPLIER}",
    },
]
SUPPLIERS = [
    SUPPLIER_ROW,
    {
        **SUPPLIER_ROW,
        "titulaire_id": OTHER_SUPPLIER,
        "titulaire_nom": "Logiciels <Libres> & Cie",
        "titulaire_categorie": "GE",
        "titulaire_commune_code": "75056",
        "titulaire_commune_nom": "Paris",
        "titulaire_departement_code": "75",
        "titulaire_region_code": "11",
    },
]
UPCOMING_BASE = {
    "categorie": "Travaux",
    "service_id": "lycees",
    "codeCPV": "45214200",
    "montantEstime": "850000",
    "dureeMoisPrevue": "24",
    "procedurePrevue": "Appel d'offres ouvert",
    "lieuExecution_code": "59350",
    "lieuExecution_typeCode": "Code commune",
    "lieuExecution_nom": "Lille",
    "nombreLots": "3",
    "marcheReserve": "false",
    "accessiblePME": "true",
    "contact": "achats@example.fr",
    "dateAnnonce": "2025-09-15",
}
UPCOMING = [
    {
        **UPCOMING_BASE,
        "id": "2026-lyc-001",
        "objet": "Restructuration de la demi-pension",
        "statut": "prévu",
        "dateLancementPrevue": "2026-03-01",
    },
    {
        **UPCOMING_BASE,
        "id": "2026-lyc-002",
        "objet": "Réfection des toitures <b>urgentes</b>",
        "statut": "lancé",
        "dateLancementPrevue": "2025-10-01",
        "dateLancement": "2025-10-06",
        "dateLimiteRemiseOffres": "2025-11-14",
        "urlConsultation": "https://marches.example.fr/c/1",
        "lieuExecution_code": "62",
        "lieuExecution_typeCode": "Code département",
        "lieuExecution_nom": "Pas-de-Calais",
    },
    {
        **UPCOMING_BASE,
        "id": "2025-lyc-003",
        "objet": "Rénovation de la demi-pension",
        "statut": "attribué",
        "dateLancementPrevue": "2024-01-15",
        "dateLancement": "2024-01-20",
        "uidMarche": CONTRACTS[0]["uid"],
        "dateAnnonce": "2023-10-01",
    },
    {
        **UPCOMING_BASE,
        "id": "2026-num-004",
        "objet": "Maintenance applicative",
        "categorie": "Services",
        "codeCPV": "72267000",
        "statut": "prévu",
        "trimestreLancementPrevu": "2026-T2",
        "montantEstime": "",
        "montantEstimeMin": "100000",
        "montantEstimeMax": "200000",
        "lieuExecution_code": "32",
        "lieuExecution_typeCode": "Code région",
        "lieuExecution_nom": "Hauts-de-France",
    },
]


def write_rich_data(target: Path) -> Path:
    assert BUYER
    return make_data_dir(
        target,
        marches=CONTRACTS,
        marches_titulaires=CONTRACT_SUPPLIERS,
        modifications=MODIFICATIONS,
        titulaires=SUPPLIERS,
        achats_a_venir=UPCOMING,
    )

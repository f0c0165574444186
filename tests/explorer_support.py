"""A small data folder that exercises the explorers and detail pages: several years, services,
CPV divisions and départements, a contract with two suppliers, a supplier missing from the
reference, a uid that is not URL-safe, a modification, and a programme with every status (and a
consultation whose offer deadline is past at the data's reference date, 1 July 2024)."""

from __future__ import annotations

from pathlib import Path

from tests.support import BUYER, CONTRACT_SUPPLIER, SERVICE, SUPPLIER, SUPPLIER_ROW, contract
from tests.support import make_data_dir as _make

SUPPLIER_B = "73282932000074"  # Luhn-valid, fictitious: a large company outside the region
SUPPLIER_C = "BE0123456749"  # a Belgian VAT number, absent from the supplier reference
ODD_UID = BUYER + "2023/lot 1"

CONTRACTS = [
    contract(
        id="20240001",
        dateNotification="2024-03-01",
        datePublicationDonnees="2024-03-20",
        montant="130000.00",
        codeCPV="45214200-2",
        lieuExecution_code="59350",
        lieuExecution_typeCode="Code commune",
    ),
    contract(
        id="20240002",
        acheteur_service_id="transports",
        objet="Transport scolaire des élèves de l'Oise – lot 2",
        dateNotification="2024-06-15",
        datePublicationDonnees="2024-07-01",
        montant="80000.00",
        codeCPV="60112000-6",
        procedure="Appel d'offres ouvert",
        lieuExecution_code="32",
        lieuExecution_typeCode="Code région",
        considerationsSociales="Pas de considération sociale",
        considerationsEnvironnementales="Pas de considération environnementale",
    ),
    contract(
        id="2023/lot 1",
        uid=ODD_UID,
        objet="Maîtrise d'œuvre <b>de la rénovation</b> du lycée d'Amiens",
        dateNotification="2023-11-20",
        datePublicationDonnees="2023-12-01",
        montant="500000.00",
        codeCPV="71000000-8",
        lieuExecution_code="80",
        lieuExecution_typeCode="Code département",
        considerationsSociales="",
    ),
]
LINKS = [
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[0]["uid"]},
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[1]["uid"]},
    {**CONTRACT_SUPPLIER, "uid": CONTRACTS[1]["uid"], "titulaire_id": SUPPLIER_B},
    {
        "uid": ODD_UID,
        "titulaire_typeIdentifiant": "TVA",
        "titulaire_id": SUPPLIER_C,
    },
]
SUPPLIERS = [
    SUPPLIER_ROW,
    {
        "titulaire_typeIdentifiant": "SIRET",
        "titulaire_id": SUPPLIER_B,
        "titulaire_nom": 'Grands Travaux "Nationaux" <SA>',
        "titulaire_categorie": "GE",
        "titulaire_commune_code": "75056",
        "titulaire_commune_nom": "Paris",
        "titulaire_departement_code": "75",
        "titulaire_region_code": "11",
    },
]
SERVICES = [
    SERVICE,
    {
        "service_id": "transports",
        "service_nom": "Direction des transports",
        "service_description": "",
    },
]
MODIFICATIONS = [
    {
        "uid": CONTRACTS[0]["uid"],
        "modification_id": "1",
        "dateNotificationModification": "2024-05-02",
        "datePublicationDonneesModification": "2024-05-10",
        "montant": "130000.00",
        "dureeMois": "",
        "titulaires": f"SIRET:{SUPPLIER}",
    }
]


def purchase(**values: str) -> dict[str, str]:
    row = {
        "objet": "Achat prévu",
        "categorie": "Travaux",
        "codeCPV": "45214200",
        "service_id": "lycees",
        "montantEstime": "150000",
        "procedurePrevue": "Procédure adaptée",
        "lieuExecution_code": "59350",
        "lieuExecution_typeCode": "Code commune",
        "lieuExecution_nom": "Lille",
        "marcheReserve": "false",
        "accessiblePME": "true",
        "contact": "achats@example.fr",
        "dateAnnonce": "2023-09-01",
    }
    row.update(values)
    return row


UPCOMING = [
    purchase(
        id="u1-prevu",
        statut="prévu",
        dateLancementPrevue="2027-03-01",
        objet="Rénovation du lycée de Laon",
    ),
    purchase(
        id="u2-lance",
        statut="lancé",
        dateLancementPrevue="2024-02-10",
        dateLancement="2024-02-20",
        urlConsultation="https://marches.example.fr/consultation/2",
        dateLimiteRemiseOffres="2024-07-15",
        montantEstime="",
        montantEstimeMin="500000",
        montantEstimeMax="1000000",
        categorie="Services",
        codeCPV="60112000",
        marcheReserve="true",
        lieuExecution_code="60",
        lieuExecution_typeCode="Code département",
        lieuExecution_nom="Oise",
    ),
    purchase(
        id="u3-attribue",
        statut="attribué",
        trimestreLancementPrevu="2023-T3",
        dateLancement="2023-10-05",
        urlConsultation="https://marches.example.fr/consultation/3",
        uidMarche=ODD_UID,
        codeCPV="71000000",
        categorie="Services",
    ),
    purchase(id="u4-en-retard", statut="prévu", dateLancementPrevue="2024-01-15"),
    purchase(id="u5-abandonne", statut="abandonné", dateLancementPrevue="2024-01-10"),
    purchase(id="u6-reporte", statut="reporté", trimestreLancementPrevu="2027-T2"),
    purchase(
        id="u7-clos",
        statut="lancé",
        dateLancementPrevue="2024-04-01",
        dateLancement="2024-04-02",
        urlConsultation="https://marches.example.fr/consultation/7",
        dateLimiteRemiseOffres="2024-05-15",
        lieuExecution_code="80",
        lieuExecution_typeCode="Code département",
        lieuExecution_nom="Somme",
        procedurePrevue="Marché passé sans publicité ni mise en concurrence préalable",
    ),
]


def make_explorer_data(target: Path) -> Path:
    return _make(
        target,
        marches=CONTRACTS,
        marches_titulaires=LINKS,
        titulaires=SUPPLIERS,
        services=SERVICES,
        modifications=MODIFICATIONS,
        achats_a_venir=UPCOMING,
    )

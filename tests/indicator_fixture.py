"""A small data folder that exercises every indicator edge case: a year with no contracts, several
suppliers of different regions on one contract, missing fields, a contract under 40 000 €, a late
publication, contracts without a buying service, and declared values."""

from __future__ import annotations

from pathlib import Path

from tests.support import CONTRACT, SERVICE, SUPPLIER_ROW, contract, make_data_dir

NORD = "59145318800029"  # the support's supplier: Lille (59), PME
PARIS = "55210055400013"
UNKNOWN = "73282932000074"
ARRAS = "38347481400100"


def supplier(ident: str, name: str, dep: str, region: str, category: str) -> dict[str, str]:
    return {
        **SUPPLIER_ROW,
        "titulaire_id": ident,
        "titulaire_nom": name,
        "titulaire_departement_code": dep,
        "titulaire_region_code": region,
        "titulaire_categorie": category,
        "titulaire_commune_code": "",
        "titulaire_commune_nom": "",
    }


SUPPLIERS = [
    supplier(NORD, "Menuiseries du Nord", "59", "32", "PME"),
    supplier(PARIS, "Grand Groupe Parisien", "75", "11", "GE"),
    supplier(UNKNOWN, "Entreprise sans adresse", "", "", ""),
    supplier(ARRAS, "Atelier d'Arras", "62", "32", "TPE"),
]
SERVICES = [
    SERVICE,
    {"service_id": "transports", "service_nom": "Direction des transports"},
]


def row(ident: str, notified: str, published: str, **changes: str) -> dict[str, str]:
    return contract(
        id=ident, dateNotification=notified, datePublicationDonnees=published, **changes
    )


CONTRACTS = [
    row("2022A", "2022-02-01", "2022-02-20", montant="100000"),
    row(
        "2022B",
        "2022-06-10",
        "2022-07-01",
        montant="250000",
        considerationsEnvironnementales="Pas de considération environnementale",
        acheteur_service_id="transports",
        offresRecues="1",
        codeCPV="60130000",
    ),
    row(
        "2022C",
        "2022-09-05",
        "2022-12-20",
        montant="60000",
        attributionAvance="false",
        tauxAvance="",
    ),
    # 2023: no contract at all.
    row("2024A", "2024-01-15", "2024-02-01", montant="400000", tauxAvance="0.05"),
    row(
        "2024B",
        "2024-03-15",
        "2024-05-16",
        montant="80000",
        considerationsEnvironnementales="",
        considerationsSociales="Clause sociale, Marché réservé",
        offresRecues="1",
    ),
    row(
        "2024C",
        "2024-04-02",
        "",
        montant="30000",
        codeCPV="",
        formePrix="",
        acheteur_service_id="",
        attributionAvance="true",
        tauxAvance="0",
        offresRecues="",
        marcheInnovant="true",
    ),
    row(
        "2024D",
        "2024-06-20",
        "2024-07-10",
        montant="1200000",
        acheteur_service_id="transports",
        codeCPV="34144900",
        considerationsEnvironnementales="Critère environnemental",
        sousTraitanceDeclaree="true",
        offresRecues="5",
    ),
    row("2025A", "2025-01-10", "2025-02-01", montant="90000", considerationsSociales=""),
    row(
        "2025B",
        "2025-03-01",
        "2025-03-20",
        montant="150000",
        considerationsEnvironnementales="Pas de considération environnementale",
    ),
]


def links() -> list[dict[str, str]]:
    uid = {r["id"]: r["uid"] for r in CONTRACTS}
    pairs = [
        ("2022A", NORD),
        ("2022B", PARIS),
        ("2022C", ARRAS),
        ("2024A", NORD),
        ("2024A", PARIS),  # two suppliers of different regions
        ("2024B", UNKNOWN),  # location unknown: excluded from the regional share
        ("2024D", ARRAS),
        ("2024D", PARIS),
        ("2024D", UNKNOWN),
        ("2025A", NORD),
        ("2025B", PARIS),
    ]  # 2024C has no supplier
    return [
        {"uid": uid[c], "titulaire_typeIdentifiant": "SIRET", "titulaire_id": s} for c, s in pairs
    ]


DECLARED = [
    {"indicateur_id": "delai-paiement", "annee": "2022", "valeur": "34.2", "source": "Finances"},
    {"indicateur_id": "delai-paiement", "annee": "2024", "valeur": "27.5", "source": "Finances"},
    {
        "indicateur_id": "heures-insertion",
        "annee": "2024",
        "valeur": "152000",
        "source": "Service des clauses sociales",
        "commentaire": "Bilan annuel des facilitateurs",
    },
]


def make_indicator_data(target: Path, contracts: list[dict[str, str]] | None = None) -> Path:
    """The folder, with CONTRACTS or a variant of them (same ids, for the supplier links)."""
    assert CONTRACT["acheteur_service_id"] == "lycees"
    return make_data_dir(
        target,
        marches=CONTRACTS if contracts is None else contracts,
        marches_titulaires=links(),
        titulaires=SUPPLIERS,
        services=SERVICES,
        indicateurs_declares=DECLARED,
    )

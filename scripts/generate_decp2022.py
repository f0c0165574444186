"""Write a DECP 2022 JSON file of N fictitious contracts, deterministically (same N, same bytes).

    python scripts/generate_decp2022.py 100000 bench/decp-100k.json

Records follow the official shape (wrapped lists, modifications on one contract in ten, a few
suppliers per contract); values are drawn from a seeded generator. Used by scripts/bench_import.py.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from stdnum import luhn

BUYERS = 5
SUPPLIERS = 20_000
CPV = ("45214200-2", "45210000", "71000000-8", "79342200-5", "09310000-5", "30192000-1")
PROCEDURES = ("Procédure adaptée", "Appel d'offres ouvert", "Procédure avec négociation")
SOCIAL = ("Clause sociale", "Critère social", "Pas de considération sociale")


def siret(number: int) -> str:
    """A SIRET whose SIREN and SIRET both pass the Luhn check."""
    siren = f"{number // 10_000 % 100_000_000:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + f"{number % 10_000:04d}"
    return body + luhn.calc_check_digit(body)


def record(
    rng: random.Random, index: int, buyers: list[str], suppliers: list[str]
) -> dict[str, object]:
    year = 2024 + index % 2
    month = 1 + index % 12
    day = 1 + index % 28
    titulaires = [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": rng.choice(suppliers)}}
        for _ in range(1 + (index % 7 == 0))
    ]
    item: dict[str, object] = {
        "id": f"{year}{index:08d}",
        "acheteur": {"id": buyers[index % len(buyers)]},
        "nature": "Marché",
        "objet": f"Marché de test numéro {index} : travaux, fournitures et services divers",
        "codeCPV": CPV[index % len(CPV)],
        "techniques": {"technique": ["Accord-cadre" if index % 3 == 0 else "Sans objet"]},
        "modalitesExecution": {"modaliteExecution": ["Bons de commande"]},
        "marcheInnovant": index % 50 == 0,
        "ccag": "Travaux",
        "offresRecues": 1 + index % 9,
        "attributionAvance": index % 2 == 0,
        "tauxAvance": 0.05 if index % 2 == 0 else 0,
        "typeGroupementOperateurs": "Pas de groupement",
        "sousTraitanceDeclaree": index % 5 == 0,
        "procedure": PROCEDURES[index % len(PROCEDURES)],
        "lieuExecution": {"code": f"59{index % 1000:03d}", "typeCode": "Code commune"},
        "dureeMois": 1 + index % 48,
        "dateNotification": f"{year}-{month:02d}-{day:02d}",
        "datePublicationDonnees": f"{year}-{month:02d}-{min(day + 10, 28):02d}",
        "montant": round(rng.uniform(40_000, 5_000_000), 2),
        "typesPrix": {"typePrix": ["Définitif révisable"]},
        "formePrix": "Forfaitaire",
        "considerationsSociales": {"considerationSociale": [SOCIAL[index % len(SOCIAL)]]},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": ["Clause environnementale"]
        },
        "titulaires": titulaires,
    }
    if index % 10 == 0:
        item["modifications"] = [
            {
                "modification": {
                    "id": 1,
                    "dateNotificationModification": f"{year}-{month:02d}-28",
                    "datePublicationDonneesModification": f"{year}-{month:02d}-28",
                    "montant": round(rng.uniform(40_000, 5_000_000), 2),
                    "dureeMois": 60,
                }
            }
        ]
    return item


def generate(path: Path, count: int, seed: int = 2024) -> None:
    """Write `count` contracts to `path`, one record in memory at a time."""
    rng = random.Random(seed)
    buyers = [siret(2005374200000 + i) for i in range(BUYERS)]
    suppliers = [siret(4400000000000 + 7919 * i) for i in range(SUPPLIERS)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"marches": {"marche": [\n')
        for index in range(count):
            if index:
                out.write(",\n")
            out.write(json.dumps(record(rng, index, buyers, suppliers), ensure_ascii=False))
        out.write('\n], "contrat-concession": []}}\n')


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage : generate_decp2022.py NOMBRE FICHIER.json", file=sys.stderr)
        return 2
    generate(Path(argv[1]), int(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

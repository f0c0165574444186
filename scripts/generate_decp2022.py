"""Write N fictitious contracts, deterministically (same N, same bytes), as a DECP 2022 JSON file
or as the national consolidated tabular CSV (decp.info form).

    python scripts/generate_decp2022.py 100000 bench/decp-100k.json
    python scripts/generate_decp2022.py 100000 bench/decp-100k.csv

Records follow the official shape (wrapped lists, modifications on one contract in ten, a few
suppliers per contract); values are drawn from a seeded generator. The CSV holds the same
contracts, one row per contract × supplier × version (`modification_id` 0 for the initial data,
`donneesActuelles` on the current version). Used by scripts/bench_import.py.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def records(count: int, seed: int = 2024) -> Iterator[dict[str, object]]:
    """The `count` contracts, one at a time."""
    rng = random.Random(seed)
    buyers = [siret(2005374200000 + i) for i in range(BUYERS)]
    suppliers = [siret(4400000000000 + 7919 * i) for i in range(SUPPLIERS)]
    for index in range(count):
        yield record(rng, index, buyers, suppliers)


def generate(path: Path, count: int, seed: int = 2024) -> None:
    """Write `count` contracts to `path`, one record in memory at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"marches": {"marche": [\n')
        for index, item in enumerate(records(count, seed)):
            if index:
                out.write(",\n")
            out.write(json.dumps(item, ensure_ascii=False))
        out.write('\n], "contrat-concession": []}}\n')


VERSIONED = ("dureeMois", "dateNotification", "datePublicationDonnees", "montant")
"""What a modification changes: one set of rows per version in the tabular form."""
NESTED = ("acheteur", "lieuExecution", "titulaires", "modifications")


def _cell(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _flat(value: object) -> str:
    """A wrapped list (`{"technique": [...]}`) joined with commas, as decp.info writes it."""
    if isinstance(value, dict):
        return ",".join(str(v) for inner in value.values() for v in inner)
    return _cell(value)


def tabular_rows(item: dict[str, Any]) -> Iterator[dict[str, str]]:
    """The rows of one contract: its suppliers in each version, initial data first."""
    buyer = item["acheteur"]["id"]
    base = {
        "uid": buyer + item["id"],
        "acheteur_id": buyer,
        **{k: _flat(v) for k, v in item.items() if k not in NESTED and k not in VERSIONED},
        "lieuExecution_code": item["lieuExecution"]["code"],
        "lieuExecution_typeCode": item["lieuExecution"]["typeCode"],
    }
    versions = [{**{k: item[k] for k in VERSIONED}, "modification_id": 0}]
    for wrapped in item.get("modifications", []):
        mod = wrapped["modification"]
        versions.append(
            {
                "dureeMois": mod["dureeMois"],
                "dateNotification": mod["dateNotificationModification"],
                "datePublicationDonnees": mod["datePublicationDonneesModification"],
                "montant": mod["montant"],
                "modification_id": mod["id"],
            }
        )
    for number, version in enumerate(versions):
        for wrapped in item["titulaires"]:
            yield {
                **base,
                **{k: _cell(v) for k, v in version.items()},
                "titulaire_id": wrapped["titulaire"]["id"],
                "titulaire_typeIdentifiant": wrapped["titulaire"]["typeIdentifiant"],
                "donneesActuelles": "true" if number == len(versions) - 1 else "false",
            }


def generate_tabular(path: Path, count: int, seed: int = 2024) -> None:
    """Write the same `count` contracts as `generate`, in the national tabular form."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer: csv.DictWriter[str] | None = None
        for item in records(count, seed):
            for row in tabular_rows(item):
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
                    writer.writeheader()
                writer.writerow(row)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage : generate_decp2022.py NOMBRE FICHIER.json|FICHIER.csv", file=sys.stderr)
        return 2
    path = Path(argv[1])
    write = generate_tabular if path.suffix.lower() == ".csv" else generate
    write(path, int(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The whole demonstration data folder: every table generated at once (`generate`), written with
the schemas, their example files and the Data Package (`write_demo`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from achats_ouverts.datafolder import schemas as c
from achats_ouverts.datafolder import writing
from achats_ouverts.tools.demo.contracts import Generator, plan_years
from achats_ouverts.tools.demo.draws import Row
from achats_ouverts.tools.demo.rows import (
    ACHATS,
    MARCHES,
    indicator_rows,
    marche_row,
    marche_titulaire_rows,
    modification_rows,
    service_rows,
)
from achats_ouverts.tools.demo.suppliers import build_pool
from achats_ouverts.tools.demo.upcoming import upcoming
from achats_ouverts.tools.demo.world import World, default_world

DEFAULT_SEED = 2022
DEFAULT_CONTRACTS = 2700
"""About 560 contracts a full year, worth about 230 M€ together."""
DEFAULT_REFERENCE_DATE = date(2026, 11, 1)
EXAMPLE_CONTRACTS = 2000
"""Size of the small generation the example files of the schemas are taken from."""
STREAM_ROWS = 200_000
"""Tables longer than this are written row by row instead of through one in-memory text."""


PACKAGE_NAME = "achats-ouverts-demonstration"
PACKAGE_TITLE = "Achats de la Région Hauts-de-France – données de démonstration FICTIVES"
PACKAGE_DESCRIPTION = (
    "Jeu de données de DÉMONSTRATION, entièrement FICTIF, produit par un générateur aléatoire "
    "déterministe (graine {seed}) pour montrer le fonctionnement du site : les marchés, les "
    "montants, les objets, les entreprises et leurs numéros SIRET sont inventés et ne décrivent "
    "aucun achat réel de la Région Hauts-de-France. Seuls les codes publics de référence (SIRET "
    "de l'acheteur, codes INSEE des communes, départements et régions, codes CPV) sont réels. "
    "Ne pas réutiliser ces chiffres comme des faits."
)


@dataclass(frozen=True)
class DemoData:
    """Rows of every dataset, by dataset name, each row in its schema's column order."""

    tables: Mapping[str, tuple[Row, ...]]
    seed: int
    reference_date: date

    def rows(self, name: str) -> tuple[Row, ...]:
        return self.tables[name]

    def header(self, name: str) -> tuple[str, ...]:
        return c.dataset(name).field_names


def generate(
    seed: int = DEFAULT_SEED,
    contracts: int | None = None,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    world: World | None = None,
) -> DemoData:
    """Generate the demonstration data: `contracts` contracts in total (default 2 700), drawn
    from `world` (default: the catalogue shipped with the package)."""
    total = DEFAULT_CONTRACTS if contracts is None else contracts
    if total < 1:
        raise ValueError("contracts must be at least 1")
    world = world or default_world()
    rng = random.Random(seed)
    plans = plan_years(total, reference_date)
    width = max(4, len(str(max(plan.count for plan in plans))))
    pool = build_pool(rng, total, world)
    gen = Generator(rng, reference_date, pool, width, world, link_credit=rng.random())
    marches: list[Row] = []
    marches_titulaires: list[Row] = []
    modifications: list[Row] = []
    for contract in gen.contracts(plans):
        marches.append(marche_row(contract, gen.iso))
        marches_titulaires.extend(marche_titulaire_rows(contract))
        modifications.extend(modification_rows(contract, gen.iso))
    achats = upcoming(rng, gen, total)
    tables: dict[str, tuple[Row, ...]] = {
        "marches": tuple(marches),
        "marches-titulaires": tuple(marches_titulaires),
        "modifications": tuple(modifications),
        "titulaires": tuple(pool.used_rows()),
        "services": tuple(service_rows(world)),
        "achats-a-venir": tuple(achats),
        "indicateurs-declares": tuple(indicator_rows(world)),
    }
    return DemoData({ds.name: tables[ds.name] for ds in c.DATASETS}, seed, reference_date)


def write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    if len(rows) > STREAM_ROWS:
        writing.write_csv_rows(path, header, rows)
    else:
        writing.write_csv(path, header, rows)


def write_demo(data_dir: Path, seed: int = DEFAULT_SEED, contracts: int | None = None) -> DemoData:
    """Write the demonstration data folder: 7 CSVs, schemas, examples and `datapackage.json`.

    `editeur.yaml` and `politique.yaml` are hand-written and never touched.
    """
    data = generate(seed, contracts)
    for ds in c.DATASETS:
        write_table(data_dir / ds.path, ds.field_names, data.rows(ds.name))
    writing.write_schemas(data_dir)
    for name, rows in example_tables(seed).items():
        ds = c.dataset(name)
        writing.write_csv(data_dir / "schemas" / "exemples" / ds.path, ds.field_names, rows)
    writing.write_data_package(
        data_dir, PACKAGE_NAME, PACKAGE_TITLE, PACKAGE_DESCRIPTION.format(seed=seed)
    )
    return data


# --- Example files of the schemas ---------------------------------------------------------------


def example_tables(seed: int = DEFAULT_SEED) -> dict[str, list[Row]]:
    """3 to 5 rows per dataset, taken from a small generation so that they hold together.

    Each file is valid on its own, and the seven files also form a valid package: the example
    contracts, their suppliers, services and programme lines refer to one another.
    """
    data = generate(seed, EXAMPLE_CONTRACTS)
    col = {name: MARCHES.field_names.index(name) for name in MARCHES.field_names}
    acol = {name: ACHATS.field_names.index(name) for name in ACHATS.field_names}
    by_uid = {row[0]: row for row in data.rows("marches")}
    suppliers_of: dict[str, list[Row]] = {}
    for row in data.rows("marches-titulaires"):
        suppliers_of.setdefault(row[0], []).append(row)
    modifications_of: dict[str, list[Row]] = {}
    for row in data.rows("modifications"):
        modifications_of.setdefault(row[0], []).append(row)

    def alone(uid: str) -> bool:
        return len(suppliers_of[uid]) == 1

    modified = max(
        (uid for uid in sorted(modifications_of) if alone(uid)),
        key=lambda uid: min(len(modifications_of[uid]), 5),
    )
    grouped = next(uid for uid in sorted(suppliers_of) if len(suppliers_of[uid]) == 2)
    achats = data.rows("achats-a-venir")
    awarded_row = next(
        row
        for row in achats
        if row[acol["statut"]] == "attribué"
        and alone(row[acol["uidMarche"]])
        and row[acol["uidMarche"]] not in (modified, grouped)
    )
    linked = awarded_row[acol["uidMarche"]]
    framework = next(
        uid
        for uid, row in by_uid.items()
        if row[col["techniques"]] == "Accord-cadre"
        and alone(uid)
        and uid not in (modified, grouped, linked)
    )
    chosen = sorted((modified, grouped, linked, framework))
    services = {by_uid[uid][col["acheteur_service_id"]] for uid in chosen}
    services.add(awarded_row[acol["service_id"]])

    def first(statut: str, *filled: str) -> Row:
        """The first line with that status and those fields, preferably of a known service."""
        candidates = [
            row
            for row in achats
            if row[acol["statut"]] == statut and all(row[acol[name]] for name in filled)
        ]
        row = next((r for r in candidates if r[acol["service_id"]] in services), candidates[0])
        services.add(row[acol["service_id"]])
        return row

    example_achats = sorted(
        {
            first("prévu", "dateLancementPrevue", "montantEstime"),
            first("prévu", "trimestreLancementPrevu", "montantEstimeMin"),
            first("lancé"),
            awarded_row,
        },
        key=lambda row: row[0],
    )
    example_titulaires_mt = [row for uid in chosen for row in suppliers_of[uid]]
    keys = {(row[1], row[2]) for row in example_titulaires_mt}
    extra = [row[0] for row in data.rows("services") if row[0] not in services]
    services.update(extra[: max(0, 3 - len(services))])
    example_services = [row for row in data.rows("services") if row[0] in services]
    return {
        "marches": [by_uid[uid] for uid in chosen],
        "marches-titulaires": example_titulaires_mt,
        "modifications": modifications_of[modified][:5],
        "titulaires": [row for row in data.rows("titulaires") if (row[0], row[1]) in keys],
        "services": example_services,
        "achats-a-venir": example_achats,
        "indicateurs-declares": [
            row for row in data.rows("indicateurs-declares") if row[1] == "2025"
        ],
    }

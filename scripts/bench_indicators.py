"""Time the indicator engine, the rows counted and the quality grade on synthetic contracts.

Usage: python scripts/bench_indicators.py 10000 100000 1000000
Prints one line per size and stage (seconds). Thin adapter: all logic lives in the package.
"""

from __future__ import annotations

import io
import sys
import time
from datetime import date

import numpy as np
import pandas as pd

from achats_ouverts.datafolder import load_policy, schemas
from achats_ouverts.model import indicators, loading, quality
from achats_ouverts.settings import SOURCE_CHECKOUT_DIR


def synthetic(n: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Text frames of n contracts, about 1.3 suppliers each, with some missing fields."""
    rng = np.random.default_rng(7)
    ds = schemas.dataset("marches")
    uid = pd.Series([f"2000537420001{i:09d}" for i in range(n)])
    day = pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 1700, n), unit="D")
    delay = pd.to_timedelta(rng.integers(1, 90, n), unit="D")
    text = pd.DataFrame({name: pd.Series([""] * n, dtype=object) for name in ds.field_names})
    text["uid"] = uid
    text["id"] = uid.str[-9:]
    text["acheteur_id"] = "20005374200017"
    text["acheteur_service_id"] = rng.choice(["lycees", "transports", "batiments", ""], n)
    text["objet"] = "Objet"
    text["nature"] = "Marché"
    text["codeCPV"] = rng.choice(["45214200", "30192000", "79000000", ""], n)
    text["montant"] = rng.integers(20_000, 5_000_000, n).astype(str)
    text["dateNotification"] = day.strftime("%Y-%m-%d")
    text["datePublicationDonnees"] = (day + delay).strftime("%Y-%m-%d")
    text["offresRecues"] = rng.choice(["1", "2", "4", ""], n)
    text["attributionAvance"] = rng.choice(["true", "false", ""], n)
    text["tauxAvance"] = rng.choice(["0.05", "0.1", ""], n)
    text["sousTraitanceDeclaree"] = rng.choice(["true", "false", ""], n)
    text["marcheInnovant"] = rng.choice(["true", "false"], n)
    text["considerationsEnvironnementales"] = rng.choice(
        ["Clause environnementale", "Pas de considération environnementale", ""], n
    )
    text["considerationsSociales"] = rng.choice(
        ["Clause sociale", "Marché réservé", "Pas de considération sociale", ""], n
    )
    text["lieuExecution_code"] = "59350"
    text["lieuExecution_typeCode"] = "Code commune"
    text["formePrix"] = rng.choice(["Forfaitaire", ""], n)
    text["dureeMois"] = "12"
    text["procedure"] = "Procédure adaptée"
    text.index = pd.RangeIndex(2, n + 2, name="ligne")
    suppliers_n = max(n // 5, 10)
    ids = pd.Series([f"{i:014d}" for i in range(suppliers_n)])
    links = pd.DataFrame(
        {
            "uid": pd.concat([uid, uid.sample(frac=0.3, random_state=1)], ignore_index=True),
            "titulaire_typeIdentifiant": "SIRET",
        }
    )
    links["titulaire_id"] = ids.sample(len(links), replace=True, random_state=2).to_numpy()
    links = links.drop_duplicates()
    suppliers = pd.DataFrame(
        {
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": ids,
            "titulaire_nom": "Entreprise",
            "titulaire_categorie": rng.choice(["PME", "GE", "TPE", ""], suppliers_n),
            "titulaire_commune_code": "",
            "titulaire_commune_nom": "",
            "titulaire_departement_code": rng.choice(["59", "62", "75", ""], suppliers_n),
            "titulaire_region_code": "",
        }
    )
    services = pd.DataFrame(
        {
            "service_id": ["lycees", "transports", "batiments"],
            "service_nom": ["Lycées", "Transports", "Bâtiments"],
            "service_description": "",
        }
    )
    return text, links, suppliers, services


def main(sizes: list[int]) -> None:
    policy, problems = load_policy(SOURCE_CHECKOUT_DIR / "data", calculations=indicators.REGISTRY)
    assert policy is not None, problems
    for n in sizes:
        text, links, suppliers, services = synthetic(n)
        start = time.perf_counter()
        typed = loading.with_contract_columns(loading.typed_frame(text, schemas.dataset("marches")))
        tables = indicators.Tables(typed, links, suppliers, ("02", "59", "60", "62", "80"), "32")
        declared = pd.DataFrame(
            {"indicateur_id": [], "annee": [], "valeur": [], "source": [], "commentaire": []}
        )
        loaded = time.perf_counter()
        results = indicators.compute(policy, tables, declared, services, date(2026, 8, 31))
        computed = time.perf_counter()
        size = 0
        for result in results:
            if result.computed:
                rows = indicators.counted_rows(result.calcul, tables, text)
                buffer = io.StringIO()
                rows.to_csv(buffer, index=False, lineterminator="\n", chunksize=100_000)
                size += buffer.tell()
        written = time.perf_counter()
        checks = quality.contract_checks(typed, links)
        quality.grades(checks, ["annee"])
        quality.grades(checks, ["service_id", "annee"])
        graded = time.perf_counter()
        print(
            f"{n:>9} marchés : typage {loaded - start:6.2f} s · indicateurs (année et service) "
            f"{computed - loaded:6.2f} s · lignes comptées ({size / 1e6:.0f} Mo CSV) "
            f"{written - computed:6.2f} s · note de transparence {graded - written:6.2f} s"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])

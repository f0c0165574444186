"""Aggregations on tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from achats_ouverts.model import aggregates


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


SUPPLIERS = frame(
    [
        {
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": "A",
            "titulaire_departement_code": "59",
            "titulaire_region_code": "32",
            "titulaire_categorie": "PME",
        },
        {
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": "B",
            "titulaire_departement_code": "75",
            "titulaire_region_code": "11",
            "titulaire_categorie": "GE",
        },
        {
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": "C",
            "titulaire_departement_code": "",
            "titulaire_region_code": "",
            "titulaire_categorie": "",
        },
        {
            "titulaire_typeIdentifiant": "SIRET",
            "titulaire_id": "D",
            "titulaire_departement_code": "",
            "titulaire_region_code": "32",
            "titulaire_categorie": "TPE",
        },
    ]
)


def links(*pairs: tuple[str, str]) -> pd.DataFrame:
    return frame(
        [{"uid": u, "titulaire_typeIdentifiant": "SIRET", "titulaire_id": s} for u, s in pairs]
    )


def test_several_suppliers_share_a_contract_equally() -> None:
    weights = aggregates.supplier_weights(
        links(("m1", "A"), ("m1", "B"), ("m2", "A")), SUPPLIERS, ("02", "59"), "32"
    )
    assert weights.loc["m1", "titulaires"] == 2
    assert weights.loc["m1", "poids_region"] == pytest.approx(0.5)
    assert weights.loc["m1", "poids_localisation_connue"] == pytest.approx(1.0)
    assert weights.loc["m1", "poids_pme"] == pytest.approx(0.5)
    assert weights.loc["m2", "poids_region"] == pytest.approx(1.0)


def test_unknown_location_is_excluded_not_counted_as_outside() -> None:
    weights = aggregates.supplier_weights(
        links(("m1", "A"), ("m1", "C"), ("m2", "X")), SUPPLIERS, ("59",), "32"
    )
    assert weights.loc["m1", "poids_localisation_connue"] == pytest.approx(0.5)
    assert weights.loc["m1", "poids_region"] == pytest.approx(0.5)
    assert weights.loc["m2", "poids_localisation_connue"] == 0
    assert weights.loc["m2", "poids_categorie_connue"] == 0
    share = aggregates.weighted_share(weights["poids_region"], weights["poids_localisation_connue"])
    assert share == pytest.approx(100.0)


def test_region_code_is_used_when_the_departement_is_missing() -> None:
    weights = aggregates.supplier_weights(links(("m1", "D")), SUPPLIERS, ("59",), "32")
    assert weights.loc["m1", "poids_region"] == pytest.approx(1.0)
    assert weights.loc["m1", "poids_pme"] == pytest.approx(1.0)


def test_environmental_flag_keeps_missing_as_missing() -> None:
    contracts = frame(
        [
            {"considerationsEnvironnementales": "Clause environnementale"},
            {"considerationsEnvironnementales": "Pas de considération environnementale"},
            {"considerationsEnvironnementales": ""},
        ]
    )
    flags = aggregates.has_environmental_consideration(contracts)
    assert flags.tolist()[:2] == [True, False]
    assert pd.isna(flags.iloc[2])
    assert aggregates.share(flags) == pytest.approx(50.0)
    assert aggregates.share(flags.iloc[2:]) is None

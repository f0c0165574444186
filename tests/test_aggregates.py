"""Aggregations on tiny frames."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from achats_ouverts.model import aggregates
from achats_ouverts.model.loading import reference_date


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


def test_programme_columns_say_what_each_purchase_is_at_the_reference_date() -> None:
    """The status rules, written once (issue 13): a consultation whose offer deadline is past is
    closed, awaiting award; a planned launch already past is late; no SME badge without
    competition; the default order puts what a company can act on first, past items last."""
    days = lambda *values: pd.to_datetime(list(values))  # noqa: E731
    upcoming = pd.DataFrame(
        {
            "id": [
                "ouvert",
                "clos",
                "limite-du-jour",
                "retard",
                "trimestre-passe",
                "trimestre",
                "futur",
                "attribue",
                "sans-concurrence",
            ],
            "statut": [
                "lancé",
                "lancé",
                "lancé",
                "prévu",
                "prévu",
                "prévu",
                "prévu",
                "attribué",
                "prévu",
            ],
            "dateLancement": days(
                "2026-10-01",
                "2026-09-01",
                "2026-10-05",
                None,
                None,
                None,
                None,
                "2026-03-01",
                None,
            ),
            "dateLimiteRemiseOffres": days(
                "2026-11-20",
                "2026-10-31",
                "2026-11-01",
                None,
                None,
                None,
                None,
                "2026-04-01",
                None,
            ),
            "dateLancementPrevue": days(
                "2026-09-15",
                "2026-09-01",
                "2026-10-01",
                "2026-10-15",
                None,
                None,
                "2027-02-01",
                "2026-02-15",
                "2026-12-01",
            ),
            "trimestreLancementPrevu": ["", "", "", "", "2026-T3", "2026-T4", "", "", ""],
            "accessiblePME": pd.array(
                [True, True, None, True, False, True, True, True, True], dtype="boolean"
            ),
            "procedurePrevue": ["Procédure adaptée"] * 8
            + ["Marché passé sans publicité ni mise en concurrence préalable"],
        }
    )
    cols = aggregates.programme_columns(upcoming, pd.Timestamp("2026-11-01")).assign(
        id=upcoming["id"]
    )
    by_id = cols.set_index("id")
    assert by_id["etat"].to_dict() == {
        "ouvert": "lancé",
        "clos": "clos",
        "limite-du-jour": "lancé",
        "retard": "prévu",
        "trimestre-passe": "prévu",
        "trimestre": "prévu",
        "futur": "prévu",
        "attribue": "attribué",
        "sans-concurrence": "prévu",
    }
    assert set(by_id.index[by_id["en_retard"]]) == {"retard", "trimestre-passe"}
    assert set(by_id.index[by_id["adapte_pme"]]) == {
        "ouvert",
        "clos",
        "retard",
        "trimestre",
        "futur",
        "attribue",
    }
    assert aggregates.open_upcoming(upcoming.join(cols.drop(columns="id")))["id"].tolist() == [
        "ouvert",
        "limite-du-jour",
        "retard",
        "trimestre-passe",
        "trimestre",
        "futur",
        "sans-concurrence",
    ]
    order = cols.sort_values(["rang", "echeance", "id"], kind="stable")["id"].tolist()
    assert order == [
        "limite-du-jour",
        "ouvert",
        "trimestre",
        "sans-concurrence",
        "futur",
        "trimestre-passe",
        "retard",
        "attribue",
        "clos",
    ]
    period = by_id.loc["ouvert", ["debut", "fin"]].tolist()
    assert period == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-20")]
    quarter = by_id.loc["trimestre", ["debut", "fin"]].tolist()
    assert quarter == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-12-31")]


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        (None, date(2026, 3, 2)),
        ("1764547200", date(2026, 3, 2)),  # 1 December 2025: earlier than the data
        ("1798761600", date(2027, 1, 1)),  # 1 January 2027: a build on a later fixed day
    ],
)
def test_the_reference_date_is_never_earlier_than_the_data(
    monkeypatch: pytest.MonkeyPatch, epoch: str | None, expected: date
) -> None:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    contracts = pd.DataFrame(
        {
            "dateNotification": pd.to_datetime(["2025-06-01", "2026-02-10"]),
            "datePublicationDonnees": pd.to_datetime(["2025-07-01", "2026-03-02"]),
        }
    )
    assert reference_date(contracts) == expected

"""The dated threshold tables (no gap nor overlap, the value in force on boundary days, the
buyer's EU row) and the analyses that use them — amendments, amounts near a threshold, possible
splitting, amounts to check — recomputed from the CSV files with plain pandas
(`tests.fixtures.recomputed`), on the demo and on hand-made folders."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from achats_ouverts.datafolder import thresholds
from achats_ouverts.datafolder.threshold_file import THRESHOLD_FILE
from achats_ouverts.model.analyses import REGISTRY, Analysis, document, inputs_of
from achats_ouverts.model.analyses.procedure_thresholds import proches_des_seuils
from achats_ouverts.model.calculations import REGISTRY as CALCULATIONS
from achats_ouverts.settings import Limits
from achats_ouverts.validation import validate
from tests.fixtures import recomputed
from tests.fixtures.folders import (
    MODIFICATION,
    contract,
    linked,
    loaded,
    make_data_dir,
)
from tests.fixtures.paths import DATA, ROOT

# --- The tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(thresholds.TABLES))
def test_each_table_follows_itself_without_gap_nor_overlap(name: str) -> None:
    table = thresholds.TABLES[name]
    assert table[0].start is None
    assert table[-1].end is None
    for before, after in pairwise(table):
        assert before.end is not None
        assert after.start is not None
        assert (after.start - before.end).days == 1
    assert all(t.source and t.value > 0 for t in table)


@pytest.mark.parametrize(
    ("name", "day", "value"),
    [
        ("dispense-fournitures-services", date(2019, 12, 31), 25_000),
        ("dispense-fournitures-services", date(2020, 1, 1), 40_000),
        ("dispense-fournitures-services", date(2026, 3, 31), 40_000),
        ("dispense-fournitures-services", date(2026, 4, 1), 60_000),
        ("dispense-travaux", date(2019, 12, 31), 25_000),
        ("dispense-travaux", date(2020, 1, 1), 40_000),
        ("dispense-travaux", date(2020, 7, 23), 40_000),
        ("dispense-travaux", date(2020, 7, 24), 70_000),
        ("dispense-travaux", date(2020, 12, 8), 70_000),
        ("dispense-travaux", date(2020, 12, 9), 100_000),
        ("dispense-travaux", date(2025, 12, 31), 100_000),
        ("dispense-travaux", date(2026, 1, 1), 100_000),
        ("publicite", date(2019, 1, 1), 90_000),
        ("ue-fournitures-services", date(2019, 12, 31), 221_000),
        ("ue-fournitures-services", date(2020, 1, 1), 214_000),
        ("ue-fournitures-services", date(2023, 12, 31), 215_000),
        ("ue-fournitures-services", date(2024, 1, 1), 221_000),
        ("ue-fournitures-services", date(2026, 1, 1), 216_000),
        ("ue-autorites-centrales", date(2025, 12, 31), 143_000),
        ("ue-autorites-centrales", date(2026, 1, 1), 140_000),
        ("ue-travaux", date(2021, 12, 31), 5_350_000),
        ("ue-travaux", date(2022, 1, 1), 5_382_000),
        ("ue-travaux", date(2025, 12, 31), 5_538_000),
        ("ue-travaux", date(2026, 1, 1), 5_404_000),
    ],
)
def test_the_value_in_force_on_boundary_days(name: str, day: date, value: int) -> None:
    assert thresholds.in_force(thresholds.TABLES[name], day).value == value


def test_the_restated_rules_of_the_recomputation_agree_with_the_tables() -> None:
    days = [date(2018, 1, 1), date(2019, 12, 31), date(2020, 1, 1), date(2020, 7, 24)]
    days += [date(2020, 12, 9), date(2024, 6, 1), date(2026, 3, 31), date(2026, 4, 1)]
    for kind in ("Travaux", "Fournitures", "Services"):
        for day in days:
            works = kind == "Travaux"
            expected = {
                "dispense": "dispense-travaux" if works else "dispense-fournitures-services",
                "publicite": "publicite",
                "ue": "ue-travaux" if works else "ue-fournitures-services",
            }
            for rule, table in expected.items():
                value = thresholds.in_force(thresholds.TABLES[table], day).value
                assert recomputed.RULES[rule](kind, day) == value, (kind, day, rule)


def test_a_central_buyer_is_judged_against_the_central_eu_threshold() -> None:
    local = thresholds.for_buyer(thresholds.TABLES, central=False)
    central = thresholds.for_buyer(thresholds.TABLES, central=True)
    assert local["ue-fournitures-services"] is thresholds.EU_SUB_CENTRAL
    assert central["ue-fournitures-services"] is thresholds.EU_CENTRAL
    assert central["ue-travaux"] is thresholds.EU_WORKS


def test_the_inputs_carry_the_tables_of_a_local_buyer_by_default() -> None:
    inputs = inputs_of(loaded(DATA))
    assert dict(inputs.thresholds) == thresholds.TABLES


def test_acheteur_central_in_editeur_yaml_switches_the_eu_row(tmp_path: Path) -> None:
    folder = make_data_dir(tmp_path / "d")
    editeur = folder / "editeur.yaml"
    editeur.write_text(editeur.read_text(encoding="utf-8") + "acheteur_central: true\n", "utf-8")
    inputs = inputs_of(loaded(folder))
    assert inputs.thresholds["ue-fournitures-services"] is thresholds.EU_CENTRAL


# --- The demo, recomputed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> tuple[dict[str, Analysis], dict[str, pd.DataFrame]]:
    inputs = inputs_of(loaded(DATA))
    analyses = {a.id: a for a in (f(inputs) for f in REGISTRY)}
    return analyses, recomputed.read_tables(DATA)


Demo = tuple[dict[str, Analysis], dict[str, pd.DataFrame]]


def uids(analysis: Analysis) -> set[str]:
    return set(analysis.contracts["uid"])


def test_the_four_analyses_are_registered(demo: Demo) -> None:
    analyses, _ = demo
    expected = {
        "hausse-par-modifications",
        "proches-des-seuils",
        "fractionnement-possible",
        "montants-a-verifier",
    }
    assert expected <= set(analyses)
    for analysis in (analyses[i] for i in expected):
        assert analysis.breakdowns[0].id == "service"
        assert [y.annee for y in analysis.annees] == sorted(y.annee for y in analysis.annees)
        assert "<" not in analysis.methode
        assert analysis.sources
        for year in analysis.annees:
            assert year.denominateur
            assert year.numerateur is not None
            assert year.valeur == pytest.approx(100 * year.numerateur / year.denominateur)


def test_amendments_recomputed_on_the_demo(demo: Demo) -> None:
    analyses, tables = demo
    analysis = analyses["hausse-par-modifications"]
    figures, behind = recomputed.amendments(tables)
    assert recomputed.engine_figures(document(analysis)) == figures
    assert uids(analysis) == behind
    assert any(n for _, n, _ in figures)


def test_near_thresholds_recomputed_on_the_demo(demo: Demo) -> None:
    analyses, tables = demo
    analysis = analyses["proches-des-seuils"]
    figures, behind = recomputed.near_thresholds(tables)
    assert recomputed.engine_figures(document(analysis)) == figures
    assert dict(zip(analysis.contracts["uid"], analysis.contracts["seuil"], strict=True)) == behind
    assert behind


def test_splitting_recomputed_on_the_demo(demo: Demo) -> None:
    analyses, tables = demo
    analysis = analyses["fractionnement-possible"]
    figures, groups = recomputed.splitting(tables)
    assert recomputed.engine_figures(document(analysis)) == figures
    rows = analysis.contracts
    found = {(str(g["seuil"].iloc[0]), frozenset(g["uid"])) for _, g in rows.groupby("groupe")}
    assert found == groups
    assert groups
    assert (
        rows.groupby("groupe")["uid"].count() == rows.groupby("groupe")["groupe_marches"].first()
    ).all()


def test_amounts_to_check_recomputed_on_the_demo(demo: Demo) -> None:
    analyses, tables = demo
    analysis = analyses["montants-a-verifier"]
    figures, behind = recomputed.amounts_to_check(tables)
    assert recomputed.engine_figures(document(analysis)) == figures
    assert uids(analysis) == set(behind)


# --- Hand-made folders ----------------------------------------------------------------------------


def analyse(folder: Path) -> tuple[dict[str, Analysis], dict[str, pd.DataFrame]]:
    inputs = inputs_of(loaded(folder))
    analyses = {a.id: a for a in (f(inputs) for f in REGISTRY)}
    return analyses, recomputed.read_tables(folder)


def test_one_contract_without_modification(tmp_path: Path) -> None:
    analyses, tables = analyse(make_data_dir(tmp_path / "d"))
    amendments = analyses["hausse-par-modifications"]
    assert recomputed.engine_figures(document(amendments)) == [(2024, 0.0, 1.0)]
    assert amendments.annees[0].valeur == 0.0
    assert amendments.contracts.empty
    assert analyses["fractionnement-possible"].contracts.empty
    assert analyses["montants-a-verifier"].contracts.empty
    assert recomputed.splitting(tables) == ([(2024, 0.0, 1.0)], set())


def test_a_threshold_change_between_two_years(tmp_path: Path) -> None:
    # 38 500 € of supplies: 25 000 € is the dispense threshold on 31 December 2019 (far
    # above it), 40 000 € on 1 January 2020 (within 5 % below it).
    rows = [
        contract(
            id="20190001",
            codeCPV="39160000-1",
            dateNotification="2019-12-31",
            datePublicationDonnees="2020-01-10",
            montant="38500.00",
        ),
        contract(
            id="20200001",
            codeCPV="39160000-1",
            dateNotification="2020-01-01",
            datePublicationDonnees="2020-01-10",
            montant="38500.00",
        ),
    ]
    analyses, tables = analyse(make_data_dir(tmp_path / "d", **linked(rows)))
    near = analyses["proches-des-seuils"]
    assert recomputed.engine_figures(document(near)) == [(2019, 0.0, 1.0), (2020, 1.0, 1.0)]
    assert list(near.contracts["uid"]) == [rows[1]["uid"]]
    assert list(near.contracts["seuil_montant"]) == [40_000.0]
    assert recomputed.near_thresholds(tables)[1] == {rows[1]["uid"]: "dispense"}


def test_splitting_groups_twelve_months_from_the_first_contract(tmp_path: Path) -> None:
    days = ["2024-01-10", "2024-06-01", "2025-01-09", "2025-01-10", "2025-02-01"]
    rows = [
        contract(
            id=f"2024000{i}",
            codeCPV="39160000-1",
            dateNotification=day,
            datePublicationDonnees=day,
            montant="30000.00",
            procedure=recomputed.NO_COMPETITION,
        )
        for i, day in enumerate(days, start=1)
    ]
    analyses, tables = analyse(make_data_dir(tmp_path / "d", **linked(rows)))
    analysis = analyses["fractionnement-possible"]
    found = {
        (str(g["seuil"].iloc[0]), frozenset(g["uid"]))
        for _, g in analysis.contracts.groupby("groupe")
    }
    first = frozenset(r["uid"] for r in rows[:3])
    second = frozenset(r["uid"] for r in rows[3:])
    # 3 × 30 000 € = 90 000 €: over the dispense threshold (40 000 €), not over the
    # publicity threshold (90 000 €, not exceeded); the fourth contract opens a new window.
    assert found == {("dispense", first), ("dispense", second)}
    assert found == recomputed.splitting(tables)[1]
    assert list(analysis.contracts["groupe"].unique()) == ["F0001", "F0002"]


def test_a_contract_passed_with_the_procedure_above_the_threshold_splits_nothing(
    tmp_path: Path,
) -> None:
    """Three contracts of 30 000 € in a year go over the dispense threshold together; passed
    with publicity and competition (an adapted procedure), they avoided nothing below it. Under
    the EU threshold an open call for tenders is never a splitting either."""
    days = ["2024-01-10", "2024-03-01", "2024-06-01"]

    def rows(procedure: str, amount: str) -> list[dict[str, str]]:
        return [
            contract(
                id=f"2024000{i}",
                codeCPV="39160000-1",
                dateNotification=day,
                datePublicationDonnees=day,
                montant=amount,
                procedure=procedure,
            )
            for i, day in enumerate(days, start=1)
        ]

    for procedure, amount, kinds in (
        ("Procédure adaptée", "30000.00", set()),
        (recomputed.NO_COMPETITION, "30000.00", {"dispense"}),
        ("Procédure adaptée", "100000.00", {"ue"}),
        ("Appel d'offres ouvert", "100000.00", set()),
    ):
        folder = tmp_path / f"{procedure[:10]}-{amount}".replace(" ", "-")
        analyses, tables = analyse(make_data_dir(folder, **linked(rows(procedure, amount))))
        contracts = analyses["fractionnement-possible"].contracts
        assert set(contracts["seuil"]) == kinds, (procedure, amount)
        assert {g[0] for g in recomputed.splitting(tables)[1]} == kinds


def test_no_supplier_no_splitting(tmp_path: Path) -> None:
    rows = [contract(id=f"2024000{i}", codeCPV="39160000-1", montant="30000.00") for i in (1, 2)]
    folder = make_data_dir(tmp_path / "d", marches=rows, marches_titulaires=[])
    analyses, tables = analyse(folder)
    assert analyses["fractionnement-possible"].contracts.empty
    assert recomputed.engine_figures(document(analyses["fractionnement-possible"])) == [
        (2024, 0.0, 2.0)
    ]
    assert recomputed.splitting(tables) == ([(2024, 0.0, 2.0)], set())


def test_amendment_bounds_for_works_and_supplies(tmp_path: Path) -> None:
    rows = [
        contract(id="20240001", montant="100000.00", montantActuel="115000.00"),
        contract(id="20240002", montant="100000.00", montantActuel="115010.00"),
        contract(
            id="20240003", codeCPV="39160000-1", montant="100000.00", montantActuel="110500.00"
        ),
        contract(id="20240004", codeCPV="39160000-1", dureeMois="12", dureeMoisActuelle="19"),
    ]
    modifications = [
        {
            **MODIFICATION,
            "uid": r["uid"],
            "montant": r["montantActuel"],
            "dureeMois": r["dureeMoisActuelle"],
        }
        for r in rows
    ]
    folder = make_data_dir(tmp_path / "d", **linked(rows), modifications=modifications)
    analyses, tables = analyse(folder)
    analysis = analyses["hausse-par-modifications"]
    assert uids(analysis) == {rows[1]["uid"], rows[2]["uid"], rows[3]["uid"]}
    assert recomputed.engine_figures(document(analysis)) == [(2024, 2.0, 4.0)]
    assert recomputed.amendments(tables) == ([(2024, 2.0, 4.0)], uids(analysis))
    half = dict(analysis.annees[0].details)
    assert half == {
        "montant_plus_de_50_pourcent": 0.0,
        "duree_au_dela_du_seuil": 1.0,
        "duree_plus_de_50_pourcent": 1.0,
    }


def test_an_amount_grown_by_more_than_half_is_counted_apart(tmp_path: Path) -> None:
    rows = [
        contract(id="20240001", montant="100000.00", montantActuel="150000.00"),
        contract(id="20240002", montant="100000.00", montantActuel="160000.00"),
    ]
    modifications = [
        {**MODIFICATION, "uid": r["uid"], "montant": r["montantActuel"], "dureeMois": ""}
        for r in rows
    ]
    folder = make_data_dir(tmp_path / "d", **linked(rows), modifications=modifications)
    analyses, _ = analyse(folder)
    details = dict(analyses["hausse-par-modifications"].annees[0].details)
    assert details["montant_plus_de_50_pourcent"] == 1.0
    assert details["duree_plus_de_50_pourcent"] == 0.0


def test_placeholders_and_huge_amounts(tmp_path: Path) -> None:
    rows = [
        contract(id="20240001", montant="1.00"),
        contract(id="20240002", montant="150000000.00"),
        contract(id="20240003", montant="120000.00"),
        contract(id="20240004", montant="130000.00"),
        contract(id="20240005", montant="110000.00"),
    ]
    # The median of the amounts above 1 € is 130 000 €: 150 M€ is over 100 times it.
    analyses, tables = analyse(make_data_dir(tmp_path / "d", **linked(rows)))
    analysis = analyses["montants-a-verifier"]
    reasons = dict(zip(analysis.contracts["uid"], analysis.contracts["motifs"], strict=True))
    assert reasons == {
        rows[0]["uid"]: "un-euro-ou-moins",
        rows[1]["uid"]: "cent-millions-ou-plus;cent-fois-la-mediane",
    }
    assert {u: set(r.split(";")) for u, r in reasons.items()} == recomputed.amounts_to_check(
        tables
    )[1]


# --- The data folder's own tables (seuils.csv) ----------------------------------------------------

HEADER = "table,valeur,debut,fin,source\n"


def with_thresholds(tmp_path: Path, text: str) -> Path:
    rows = [contract(id="20240001", codeCPV="39160000-1", montant="47600.00")]
    folder = make_data_dir(tmp_path / "d", **linked(rows))
    (folder / THRESHOLD_FILE).write_text(text, encoding="utf-8")
    return folder


def located(folder: Path) -> set[tuple[str, int | None, str | None, str]]:
    report = validate(folder, Limits(), None, calculations=CALCULATIONS).report
    return {(p.file, p.row, p.field, p.code) for p in report.problems if p.file == THRESHOLD_FILE}


def test_seuils_csv_replaces_a_table_and_the_analyses_follow(tmp_path: Path) -> None:
    # 47 600 € of supplies in 2024: far from the package's 40 000 €, within 5 % below 50 000 €.
    folder = with_thresholds(
        tmp_path,
        HEADER + "dispense-fournitures-services,50000,,,Règlement interne de l'acheteur\n",
    )
    assert located(folder) == set()
    inputs = inputs_of(loaded(folder))
    assert inputs.thresholds["dispense-fournitures-services"] == (
        thresholds.Threshold(50_000, None, None, "Règlement interne de l'acheteur"),
    )
    assert inputs.thresholds["ue-travaux"] is thresholds.EU_WORKS
    near = proches_des_seuils(inputs)
    assert list(near.contracts["seuil_montant"]) == [50_000.0]


def test_without_seuils_csv_the_package_tables_apply(tmp_path: Path) -> None:
    folder = make_data_dir(tmp_path / "d")
    assert not (folder / THRESHOLD_FILE).exists()
    assert dict(inputs_of(loaded(folder)).thresholds) == thresholds.TABLES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + "dispense-travau,30 000,2019-13-01,,\n",
            {
                (THRESHOLD_FILE, 2, "table", "seuil-invalide"),
                (THRESHOLD_FILE, 2, "valeur", "seuil-invalide"),
                (THRESHOLD_FILE, 2, "debut", "seuil-invalide"),
                (THRESHOLD_FILE, 2, "source", "seuil-invalide"),
            },
        ),
        ("table;valeur;debut;fin;source\n", {(THRESHOLD_FILE, 1, None, "seuil-invalide")}),
        (
            HEADER + "publication-decp,30000,,,Texte\n",
            {(THRESHOLD_FILE, 2, "table", "seuil-invalide")},
        ),
        (
            HEADER
            + "dispense-travaux,40000,,2020-06-30,A\n"
            + "dispense-travaux,70000,2020-06-01,,B\n",
            {(THRESHOLD_FILE, 3, "debut", "seuils-periodes")},
        ),
        (
            HEADER
            + "dispense-travaux,40000,,2020-06-30,A\n"
            + "dispense-travaux,70000,2020-07-02,,B\n",
            {(THRESHOLD_FILE, 3, "debut", "seuils-periodes")},
        ),
        (
            HEADER + "publicite,90000,2016-04-01,2015-01-01,A\n",
            {
                (THRESHOLD_FILE, 2, "fin", "seuils-periodes"),
                (THRESHOLD_FILE, 2, "debut", "seuils-periodes"),
            },
        ),
    ],
    ids=["cells", "header", "decp-table", "overlap", "gap", "inverted-and-open-ends"],
)
def test_seuils_csv_problems_name_the_line_and_the_field(
    tmp_path: Path, text: str, expected: set[tuple[str, int | None, str | None, str]]
) -> None:
    folder = with_thresholds(tmp_path, text)
    assert located(folder) == expected
    assert not validate(folder, Limits(), None, calculations=CALCULATIONS).ok


def test_a_period_problem_says_what_and_how_in_french(tmp_path: Path) -> None:
    folder = with_thresholds(
        tmp_path,
        HEADER + "dispense-travaux,40000,,2020-06-30,A\ndispense-travaux,70000,2020-06-01,,B\n",
    )
    report = validate(folder, Limits(), None, calculations=CALCULATIONS).report
    (problem,) = [p for p in report.problems if p.file == THRESHOLD_FILE]
    assert problem.message == (
        "table dispense-travaux : cette période ne commence pas le lendemain de la fin de la "
        "précédente (jusqu'au 30 juin 2020)"
    )
    assert "lendemain" in problem.fix


def test_a_cell_problem_says_what_and_how_in_french(tmp_path: Path) -> None:
    folder = with_thresholds(tmp_path, HEADER + "publicite,90 000,,,Code\n")
    report = validate(folder, Limits(), None, calculations=CALCULATIONS).report
    (problem,) = [p for p in report.problems if p.file == THRESHOLD_FILE]
    assert (problem.row, problem.field, problem.message) == (
        2,
        "valeur",
        "« 90 000 » n'est pas un nombre entier",
    )
    assert problem.fix.startswith("écrire un nombre entier d'euros HT")


def test_a_blank_service_has_its_own_row_and_an_empty_year_has_no_value(tmp_path: Path) -> None:
    rows = [
        contract(id="20240001", montant="1.00"),
        contract(id="20240002", acheteur_service_id="", montant="1.00"),
    ]
    analyses, _ = analyse(make_data_dir(tmp_path / "d", **linked(rows)))
    service = analyses["montants-a-verifier"].breakdowns[0]
    assert [(r.key, r.label) for r in service.rows] == [
        ("lycees", "Direction des lycées"),
        ("", "Service non renseigné"),
    ]
    assert [(y.numerateur, y.denominateur, y.valeur) for r in service.rows for y in r.annees] == [
        (1.0, 1.0, 100.0),
        (1.0, 1.0, 100.0),
    ]
    amendments = analyses["hausse-par-modifications"].breakdowns[1]
    supplies = next(r for r in amendments.rows if r.key == "Fournitures")
    assert [(y.numerateur, y.denominateur, y.valeur) for y in supplies.annees] == [
        (None, 0.0, None)
    ]


def test_seuils_csv_that_is_a_folder_or_too_big_is_refused(tmp_path: Path) -> None:
    folder = make_data_dir(tmp_path / "d")
    (folder / THRESHOLD_FILE).mkdir()
    assert located(folder) == {(THRESHOLD_FILE, None, None, "seuil-invalide")}
    (folder / THRESHOLD_FILE).rmdir()
    (folder / THRESHOLD_FILE).write_text(HEADER + "x" * (1 << 20), encoding="utf-8")
    assert located(folder) == {(THRESHOLD_FILE, None, None, "fichier-trop-gros")}


def test_seuils_csv_in_another_encoding_is_refused(tmp_path: Path) -> None:
    folder = make_data_dir(tmp_path / "d")
    text = HEADER + "publicite,90000,,,Décret n° 2016-360\n"
    (folder / THRESHOLD_FILE).write_bytes(text.encode("cp1252"))
    assert located(folder) == {(THRESHOLD_FILE, None, None, "seuil-invalide")}
    report = validate(folder, Limits(), None, calculations=CALCULATIONS).report
    (problem,) = [p for p in report.problems if p.file == THRESHOLD_FILE]
    assert problem.message == "le fichier n'est pas en UTF-8"


def test_the_readme_shows_every_value_of_the_tables() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Les seuils datés") : text.index("Le lecteur est strict")]
    for name, table in thresholds.TABLES.items():
        if name == "publication-decp":
            continue
        assert f"`{name}`" in section
        for threshold in table:
            assert f"{threshold.value:,}".replace(",", " ") in section, (name, threshold)
    for setting in ("acheteur_central: true", "seuils.csv", "seuil-invalide", "seuils-periodes"):
        assert setting in section


def test_the_published_figures_and_files_are_recomputed_from_the_published_csv(
    demo_site: Path,
) -> None:
    """The same recomputation run on what a reader downloads: `/donnees/*.csv` against
    `/donnees/analyses.json` and `/donnees/analyses/<id>.csv`."""
    published = demo_site / "donnees"
    tables = recomputed.read_tables(published)
    entries = {
        a["id"]: a for a in json.loads((published / "analyses.json").read_text("utf-8"))["analyses"]
    }

    def listed(analysis_id: str) -> pd.DataFrame:
        return pd.read_csv(
            published / "analyses" / f"{analysis_id}.csv", dtype=str, keep_default_na=False
        )

    figures, behind = recomputed.amendments(tables)
    assert recomputed.engine_figures(entries["hausse-par-modifications"]) == figures
    assert set(listed("hausse-par-modifications")["uid"]) == behind
    figures, near = recomputed.near_thresholds(tables)
    assert recomputed.engine_figures(entries["proches-des-seuils"]) == figures
    rows = listed("proches-des-seuils")
    assert dict(zip(rows["uid"], rows["seuil"], strict=True)) == near
    figures, groups = recomputed.splitting(tables)
    assert recomputed.engine_figures(entries["fractionnement-possible"]) == figures
    rows = listed("fractionnement-possible")
    assert {
        (str(g["seuil"].iloc[0]), frozenset(g["uid"])) for _, g in rows.groupby("groupe")
    } == groups
    figures, reasons = recomputed.amounts_to_check(tables)
    assert recomputed.engine_figures(entries["montants-a-verifier"]) == figures
    assert set(listed("montants-a-verifier")["uid"]) == set(reasons)

"""The analyses section: each competition analysis recomputed with plain pandas from the
PUBLISHED files of the demonstration site (`marches.csv`, `marches-titulaires.csv`),
independently of the engine, and compared with `analyses.json`; each `analyses/<id>.csv` lists
exactly the contracts counted; hand-made edge cases (no offers known, one supplier, one
contract, fewer than 30 contracts, the 36-month window); the pages with no contract and with
an analysis whose every year has no value."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from achats_ouverts.exports import analyses as files
from achats_ouverts.importing import ImportOptions, import_files
from achats_ouverts.model.analyses import (
    REGISTRY,
    Analysis,
    Band,
    Benchmark,
    Inputs,
    YearFigure,
    inputs_of,
)
from achats_ouverts.model.analyses import competition as c
from achats_ouverts.output import urls
from achats_ouverts.output.context import Published
from achats_ouverts.output.rendering import render
from achats_ouverts.output.site_info import SiteInfo
from achats_ouverts.pages import analyses as pages
from tests.fixtures.companies import ARRAS_MICRO, LILLE_SME, PARIS_LARGE
from tests.fixtures.files import read_csv
from tests.fixtures.folders import (
    CONTRACT_SUPPLIER,
    SERVICE,
    SUPPLIER_ROW,
    contract,
    loaded,
    make_data_dir,
)
from tests.fixtures.paths import reference_file

TABULAR = "real_decp-tabulaire_2024S2_travaux-cpv4521_hauts-de-france-hors-region.csv"
NO_COMPETITION = "Marché passé sans publicité ni mise en concurrence préalable"
IDS = (
    "offre-unique",
    "sans-mise-en-concurrence",
    "concentration",
    "attributions-repetees-sans-concurrence",
)


# --- Recomputed from the published files ----------------------------------------------------------


def read(site: Path, path: str) -> pd.DataFrame:
    return pd.read_csv(site / path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def published(demo_site: Path) -> dict[str, Any]:
    contracts = read(demo_site, urls.table_file("marches", "csv"))
    contracts["annee"] = contracts["dateNotification"].str[:4]
    contracts = contracts[contracts["annee"] != ""]
    links = read(demo_site, urls.table_file("marches-titulaires", "csv"))
    document = json.loads((demo_site / urls.ANALYSES_JSON).read_text(encoding="utf-8"))
    return {
        "site": demo_site,
        "contracts": contracts,
        "initial": links[links["titulaireInitial"] == "true"],
        "json": {a["id"]: a for a in document["analyses"]},
        "document": document,
    }


def figures(entry: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {y["annee"]: y for y in entry["annees"]}


def rows_of(published: dict[str, Any], analysis_id: str) -> pd.DataFrame:
    return read(published["site"], urls.analysis_rows(analysis_id))


def test_the_json_holds_every_analysis_of_the_registry_with_its_file(
    published: dict[str, Any],
) -> None:
    document = published["document"]
    assert [a["id"] for a in document["analyses"]][: len(IDS)] == list(IDS)
    assert len(document["analyses"]) == len(REGISTRY)
    assert document["avertissement"] == "Un signal n'est pas une preuve d'irrégularité."
    assert document["date_reference"]
    assert document["editeur"]["nom"]
    for entry in document["analyses"]:
        assert (published["site"] / urls.DATA / entry["fichier"]).is_file()
        assert (published["site"] / urls.DATA / entry["schema"]).is_file()
        assert entry["ventilations"][0]["id"] == "service"
        assert entry["marches"] == len(rows_of(published, entry["id"]))


def test_single_bid_recomputed_from_the_published_contracts(published: dict[str, Any]) -> None:
    contracts = published["contracts"]
    scope = contracts[
        (contracts["offresRecues"] != "") & (contracts["procedure"] != NO_COMPETITION)
    ]
    single = scope["offresRecues"].astype(int) == 1
    entry = figures(published["json"]["offre-unique"])
    assert set(entry) == set(contracts["annee"].astype(int))
    for year, rows in scope.groupby("annee"):
        flags = single[rows.index]
        figure = entry[int(year)]
        assert (figure["numerateur"], figure["denominateur"]) == (flags.sum(), len(rows))
        assert figure["valeur"] == pytest.approx(100 * flags.sum() / len(rows))
    listed = rows_of(published, "offre-unique")
    assert sorted(listed["uid"]) == sorted(scope["uid"])
    expected = dict(zip(scope["uid"], single.map({True: "true", False: "false"}), strict=True))
    assert dict(zip(listed["uid"], listed["offre_unique"], strict=True)) == expected


def test_single_bid_per_procedure_excludes_no_competition(published: dict[str, Any]) -> None:
    entry = published["json"]["offre-unique"]
    procedures = next(b for b in entry["ventilations"] if b["id"] == "procedure")
    assert NO_COMPETITION not in {row["cle"] for row in procedures["lignes"]}
    assert {b["id"] for b in entry["ventilations"]} == {"service", "procedure", "cpv_division"}
    total = sum(
        y["denominateur"]
        for row in procedures["lignes"]
        for y in row["annees"]
        if y["annee"] == 2024
    )
    assert total == figures(entry)[2024]["denominateur"]


def test_no_competition_by_count_and_amount(published: dict[str, Any]) -> None:
    contracts = published["contracts"]
    scope = contracts[contracts["procedure"] != ""]
    entry = figures(published["json"]["sans-mise-en-concurrence"])
    for year, rows in scope.groupby("annee"):
        flags = rows["procedure"] == NO_COMPETITION
        amounts = rows["montant"].replace("", None).astype(float)
        figure = entry[int(year)]
        assert (figure["numerateur"], figure["denominateur"]) == (flags.sum(), len(rows))
        share = 100 * amounts[flags].sum() / amounts.sum()
        assert figure["details"]["part_montant"] == pytest.approx(share)
    listed = rows_of(published, "sans-mise-en-concurrence")
    assert sorted(listed["uid"]) == sorted(scope["uid"])
    flagged = listed.loc[listed["sans_mise_en_concurrence"] == "true", "uid"]
    assert sorted(flagged) == sorted(scope.loc[scope["procedure"] == NO_COMPETITION, "uid"])


def hhi(contracts: pd.DataFrame, links: pd.DataFrame) -> tuple[float, float, float] | None:
    """(HHI, top share, top-ten share) with amounts split equally among co-suppliers."""
    if len(contracts) < 30:
        return None
    merged = links.merge(contracts[["uid", "montant"]], on="uid")
    merged["part"] = merged["montant"].astype(float) / merged.groupby("uid")["uid"].transform(
        "count"
    )
    by_supplier = merged.groupby(["titulaire_typeIdentifiant", "titulaire_id"])["part"].sum()
    shares = sorted(100 * by_supplier / by_supplier.sum(), reverse=True)
    return sum(s * s for s in shares), shares[0], sum(shares[:10])


def test_concentration_recomputed_overall_and_per_cpv_division(published: dict[str, Any]) -> None:
    contracts = published["contracts"]
    links = published["initial"]
    scope = contracts[(contracts["montant"] != "") & contracts["uid"].isin(links["uid"])]
    entry = published["json"]["concentration"]
    overall = figures(entry)
    for year, rows in scope.groupby("annee"):
        expected = hhi(rows, links)
        figure = overall[int(year)]
        assert figure["denominateur"] == len(rows)
        assert expected is not None
        assert figure["valeur"] == pytest.approx(expected[0])
        assert figure["details"]["part_premier_titulaire"] == pytest.approx(expected[1])
        assert figure["details"]["part_dix_premiers_titulaires"] == pytest.approx(expected[2])
    divisions = next(b for b in entry["ventilations"] if b["id"] == "cpv_division")
    checked = {"value": 0, "none": 0}
    for row in divisions["lignes"]:
        group = scope[scope["codeCPV"].str[:2] == row["cle"]]
        for figure in row["annees"]:
            expected = hhi(group[group["annee"] == str(figure["annee"])], links)
            if expected is None:
                assert figure["valeur"] is None
                checked["none"] += 1
            else:
                assert figure["valeur"] == pytest.approx(expected[0])
                checked["value"] += 1
    assert checked["value"] > 0, "groups with an index are met in the demo"
    assert checked["none"] > 0, "groups of fewer than 30 contracts are met in the demo"
    assert sorted(rows_of(published, "concentration")["uid"]) == sorted(scope["uid"])


def repeated_pairs(contracts: pd.DataFrame, links: pd.DataFrame) -> set[tuple[str, str]]:
    """(uid, supplier) of each no-competition contract that has, with the same supplier, a
    window of 36 months holding it and at least two others (brute force)."""
    awarded = contracts[contracts["procedure"] == NO_COMPETITION]
    merged = links.merge(awarded[["uid", "dateNotification"]], on="uid")
    merged["day"] = pd.to_datetime(merged["dateNotification"])
    found = set()
    for supplier, rows in merged.groupby("titulaire_id"):
        days = list(zip(rows["uid"], rows["day"], strict=True))
        for _, start in days:
            end = start + pd.DateOffset(years=3)
            inside = [uid for uid, day in days if start <= day <= end]
            if len(inside) >= 3:
                found |= {(uid, str(supplier)) for uid in inside}
    return found


def test_repeated_awards_recomputed_from_the_published_contracts(
    published: dict[str, Any],
) -> None:
    contracts, links = published["contracts"], published["initial"]
    expected = repeated_pairs(contracts, links)
    assert expected, "the demo has repeated awards"
    listed = rows_of(published, "attributions-repetees-sans-concurrence")
    assert set(zip(listed["uid"], listed["titulaire_id"], strict=True)) == expected
    assert len(listed) == len(expected)
    for _, group in listed.groupby("groupe"):
        assert len(group) == int(group["groupe_marches"].iloc[0]) >= 3
        assert group["dateNotification"].min() == group["groupe_debut"].iloc[0]
    flagged = contracts[contracts["uid"].isin({uid for uid, _ in expected})]
    entry = figures(published["json"]["attributions-repetees-sans-concurrence"])
    for year, rows in flagged.groupby("annee"):
        assert entry[int(year)]["valeur"] == len(rows)


def test_analysis_csvs_are_described_in_the_data_package(published: dict[str, Any]) -> None:
    package = json.loads((published["site"] / urls.DATA_PACKAGE).read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for analysis_id in IDS:
        resource = resources[urls.analysis_dataset(analysis_id)]
        assert urls.DATA + resource["path"] == urls.analysis_rows(analysis_id)
        schema = json.loads((published["site"] / urls.DATA / resource["schema"]).read_text())
        header = list(rows_of(published, analysis_id).columns)
        assert [f["name"] for f in schema["fields"]] == header
        dictionary = published["site"] / urls.dictionary(urls.analysis_dataset(analysis_id))
        assert (dictionary / "index.html").is_file()
    downloads = (published["site"] / urls.DATA / "index.html").read_text(encoding="utf-8")
    assert "analyses/offre-unique.csv" in downloads


def test_every_analysis_has_its_page_with_the_warning_and_its_file(
    published: dict[str, Any],
) -> None:
    index = (published["site"] / urls.ANALYSES / "index.html").read_text(encoding="utf-8")
    for analysis_id in IDS:
        assert f'href="{analysis_id}/"' in index
        page = (published["site"] / urls.analysis(analysis_id) / "index.html").read_text(
            encoding="utf-8"
        )
        assert "Un signal n&#39;est pas une preuve d&#39;irrégularité." in page
        assert f"../../donnees/analyses/{analysis_id}.csv" in page
        assert "année en cours" in page


# --- Hand-made edge cases -------------------------------------------------------------------------


def supplier_row(siret: str) -> dict[str, str]:
    return {**SUPPLIER_ROW, "titulaire_id": siret, "titulaire_nom": f"Entreprise {siret[:4]}"}


def folder(
    tmp_path: Path, rows: list[dict[str, str]], suppliers: list[str] | None = None
) -> Inputs:
    """The loaded data folder of these contracts, the n-th to `suppliers[n]` (default: all to
    the same company)."""
    chosen = suppliers or [LILLE_SME] * len(rows)
    links = [
        {**CONTRACT_SUPPLIER, "uid": row["uid"], "titulaire_id": siret}
        for row, siret in zip(rows, chosen, strict=True)
    ]
    data_dir = make_data_dir(
        tmp_path / "data",
        marches=rows,
        marches_titulaires=links,
        titulaires=[supplier_row(s) for s in sorted(set(chosen))],
    )
    return inputs_of(loaded(data_dir))


def numbered(count: int, **changes: str) -> list[dict[str, str]]:
    return [contract(id=f"2024{n:04d}", **changes) for n in range(1, count + 1)]


def test_no_offers_known_gives_no_value_never_zero(tmp_path: Path) -> None:
    analysis = c.single_bid(folder(tmp_path, numbered(3, offresRecues="")))
    assert [(y.annee, y.valeur, y.denominateur) for y in analysis.annees] == [(2024, None, 0.0)]
    assert analysis.contracts.empty


def test_one_contract_single_bid_and_too_few_for_concentration(tmp_path: Path) -> None:
    inputs = folder(tmp_path, numbered(1, offresRecues="1"))
    assert c.single_bid(inputs).annees[0].valeur == 100.0
    year = c.concentration(inputs).annees[0]
    assert (year.valeur, year.denominateur) == (None, 1.0)
    assert year.note == "1 marché, moins de 30"


def test_fewer_than_thirty_contracts_get_no_index_and_say_why(tmp_path: Path) -> None:
    year = c.concentration(folder(tmp_path, numbered(29))).annees[0]
    assert year.valeur is None
    assert year.note == "29 marchés, moins de 30"


def test_one_supplier_is_fully_concentrated(tmp_path: Path) -> None:
    year = c.concentration(folder(tmp_path, numbered(30))).annees[0]
    assert year.valeur == pytest.approx(10_000)
    assert dict(year.details)["part_premier_titulaire"] == pytest.approx(100)
    assert c.concentration(folder(tmp_path / "b", numbered(30))).benchmark is not None


def test_two_equal_suppliers_and_a_shared_contract(tmp_path: Path) -> None:
    rows = numbered(30, montant="1000")
    suppliers = [LILLE_SME, PARIS_LARGE] * 15
    year = c.concentration(folder(tmp_path, rows, suppliers)).annees[0]
    assert year.valeur == pytest.approx(5_000)


@pytest.mark.parametrize(
    ("days", "flagged"),
    [
        (("2022-01-10", "2023-06-01", "2025-01-10"), 3),
        (("2022-01-10", "2023-06-01", "2025-01-11"), 0),
        (("2022-01-10", "2022-02-01"), 0),
        (("2021-01-10", "2022-01-10", "2023-01-10", "2025-06-01", "2026-01-01"), 5),
    ],
)
def test_repeated_awards_within_thirty_six_months(
    tmp_path: Path, days: tuple[str, ...], flagged: int
) -> None:
    rows = [
        contract(
            id=f"{day[:4]}{n:04d}",
            procedure=NO_COMPETITION,
            dateNotification=day,
            datePublicationDonnees=day,
        )
        for n, day in enumerate(days, start=1)
    ]
    analysis = c.repeated_awards(folder(tmp_path, rows))
    assert len(analysis.contracts) == flagged
    assert sum(y.numerateur or 0 for y in analysis.annees) == flagged
    if flagged:
        assert analysis.contracts["groupe"].nunique() == 1


def test_repeated_awards_to_different_suppliers_are_not_grouped(tmp_path: Path) -> None:
    days = ("2022-01-10", "2022-06-01", "2023-01-10")
    rows = [
        contract(
            id=f"2022{n:04d}",
            procedure=NO_COMPETITION,
            dateNotification=d,
            datePublicationDonnees=d,
        )
        for n, d in enumerate(days, start=1)
    ]
    analysis = c.repeated_awards(folder(tmp_path, rows, [LILLE_SME, ARRAS_MICRO, LILLE_SME]))
    assert analysis.contracts.empty
    assert [y.valeur for y in analysis.annees] == [0.0, 0.0]


# --- Pages ----------------------------------------------------------------------------------------


SITE = SiteInfo("Essai", False, "essai@example.org", "https://example.org/")
DAY = date(2025, 12, 1)
FILE = Published(urls.analysis_rows("x"), 10, "0" * 64)


def test_an_analysis_without_any_value_renders_without_a_chart(tmp_path: Path) -> None:
    analysis = c.concentration(folder(tmp_path, numbered(2)))
    assert all(y.valeur is None for y in analysis.annees)
    page = pages.analysis_page(analysis, SITE, DAY, FILE, FILE)
    html = render("analysis.html.j2", page=page)
    assert "<svg" not in html
    assert "2 marchés, moins de 30" in html


def test_the_analyses_and_their_pages_work_with_no_contract(tmp_path: Path) -> None:
    """A data folder needs a contract to validate; the analyses are pure functions, run here
    on its tables emptied."""
    inputs = folder(tmp_path, numbered(1))
    empty = replace(
        inputs,
        contracts=inputs.contracts.iloc[:0],
        initial_suppliers=inputs.initial_suppliers.iloc[:0],
        contract_suppliers=inputs.contract_suppliers.iloc[:0],
    )
    computed = tuple(analysis(empty) for analysis in REGISTRY)
    for analysis in computed:
        assert analysis.annees == ()
        assert analysis.contracts.empty
        assert files.csv_bytes(analysis).decode("utf-8").count("\n") == 1
        html = render("analysis.html.j2", page=pages.analysis_page(analysis, SITE, DAY, FILE, FILE))
        assert "Aucun marché notifié" in html
    index = render("analyses.html.j2", page=pages.index_page(computed, SITE, DAY, FILE))
    assert index.count("<tr>") == len(REGISTRY) + 1


def test_data_reaches_the_pages_escaped(tmp_path: Path) -> None:
    payload = '<img src=x onerror="alert(1)">'
    rows = numbered(2, offresRecues="1")
    data_dir = make_data_dir(
        tmp_path / "data",
        marches=rows,
        marches_titulaires=[{**CONTRACT_SUPPLIER, "uid": r["uid"]} for r in rows],
        services=[{**SERVICE, "service_nom": payload}],
    )
    analysis = c.single_bid(inputs_of(loaded(data_dir)))
    html = render("analysis.html.j2", page=pages.analysis_page(analysis, SITE, DAY, FILE, FILE))
    assert payload not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_the_running_year_is_shown_never_judged() -> None:
    bands = Benchmark((Band(10.0, "bon"), Band(None, "faible")), "source")
    running = YearFigure(2025, 50.0, 1.0, 2.0, en_cours=True)
    assert pages.band_text(bands, running, "%") == ""
    assert pages.band_text(bands, YearFigure(2024, 50.0, 1.0, 2.0), "%") == "faible"


def test_a_value_is_read_against_the_bands_as_it_is_shown() -> None:
    bands = Benchmark((Band(10.0, "bon"), Band(None, "faible")), "source")
    assert pages.value_text(10.04, "%") == "10,0\u00a0%"
    assert pages.band_text(bands, YearFigure(2024, 10.04, 1.0, 2.0), "%") == "bon"
    assert pages.band_text(bands, YearFigure(2024, 10.06, 1.0, 2.0), "%") == "faible"


# --- A real buyer ---------------------------------------------------------------------------------


def test_the_analyses_run_on_a_buyer_taken_from_the_national_tabular_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    import_files([reference_file(TABULAR)], data, ImportOptions(acheteur="24590042800013"))
    computed = {a.id: a for a in (f(inputs_of(loaded(data))) for f in REGISTRY)}
    rows = [r for r in read_csv(data / "marches.csv") if r["offresRecues"]]
    rows = [r for r in rows if r["procedure"] != NO_COMPETITION]
    single = computed["offre-unique"].year(2024)
    assert single is not None
    assert single.denominateur == len(rows) > 0
    assert single.numerateur == sum(r["offresRecues"] == "1" for r in rows)
    concentration = computed["concentration"].year(2024)
    assert concentration is not None
    assert concentration.valeur is None
    assert concentration.note.endswith("moins de 30")


def test_details_are_shown_in_their_unit() -> None:
    assert pages.detail_text("part_montant", 12.34) == "12,3\u00a0%"
    assert pages.detail_text("montant_total", 1500.0) == "1\u202f500\u00a0€"
    assert pages.detail_text("montant_plus_de_50_pourcent", 3.0) == "3"
    assert pages.detail_text("un-nom-inconnu", 3.0) == "3"


def test_the_head_figure_is_the_latest_complete_year_with_a_value_else_the_running_one() -> None:
    def figure(year: int, value: float | None, running: bool = False) -> YearFigure:
        return YearFigure(year, value, None if value is None else 1.0, 1.0, en_cours=running)

    def analysis(*years: YearFigure) -> Analysis:
        return Analysis(
            id="x",
            titre="X",
            question="?",
            unite="%",
            methode="",
            limites=(),
            annees=years,
            breakdowns=(),
            contracts=pd.DataFrame(),
        )

    reference = date(2026, 11, 1)
    closed = analysis(figure(2024, 3.0), figure(2025, None), figure(2026, 9.0, running=True))
    assert pages.latest_complete(closed, reference) == figure(2024, 3.0)
    new_rule = analysis(figure(2025, None), figure(2026, 4.5, running=True))
    assert pages.latest_complete(new_rule, reference) == figure(2026, 4.5, running=True)
    nothing = analysis(figure(2025, None), figure(2026, None, running=True))
    assert pages.latest_complete(nothing, reference) == figure(2026, None, running=True)
    assert pages.latest_complete(analysis(), reference) is None


def test_the_head_figure_says_whether_its_year_is_complete_or_running() -> None:
    done = YearFigure(2025, 3.0, 1.0, 1.0)
    running = YearFigure(2026, 4.5, 1.0, 1.0, en_cours=True)
    assert pages.head_year_text(done) == "dernière année complète (2025)"
    assert pages.head_year_text(running) == "année en cours (2026)"
    assert pages.head_year_text(None) == "aucune année"


def test_the_published_bands_are_the_ones_the_references_set(published: dict[str, Any]) -> None:
    """Single bid: Scoreboard ≤ 10 % good, > 20 % poor; no competition: ≤ 5 %, > 10 %;
    concentration: over 2 500 highly concentrated."""
    bands = {
        a["id"]: [(b["jusqua"], b["libelle"]) for b in a["reference"]["bandes"]]
        for a in published["document"]["analyses"]
        if "reference" in a
    }
    assert bands["offre-unique"] == [(10.0, "bon"), (20.0, "moyen"), (None, "faible")]
    assert bands["sans-mise-en-concurrence"] == [(5.0, "bon"), (10.0, "moyen"), (None, "faible")]
    assert bands["concentration"][-2][0] == 2500.0
    assert bands["concentration"][-1][0] is None

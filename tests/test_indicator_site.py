"""The built policy, indicator and quality pages, and the truth of the published numbers.

The truthfulness tests recompute indicators from the published CSVs with plain pandas, not
through the engine, and compare them with `donnees/indicateurs.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from achats_ouverts.building import build
from achats_ouverts.settings import Settings
from tests.fixtures import browser
from tests.fixtures.companies import REGION_BUYER
from tests.fixtures.indicator_folder import CONTRACTS, make_indicator_data
from tests.fixtures.paths import ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("indicateurs")
    data_dir = make_indicator_data(root / "data")
    out = root / "site"
    build(Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT))
    return out


@pytest.fixture(scope="module")
def published(site: Path) -> dict[str, Any]:
    return json.loads((site / "donnees" / "indicateurs.json").read_text(encoding="utf-8"))


def values(published: dict[str, Any], ident: str) -> dict[int, float | None]:
    entry = next(i for i in published["indicateurs"] if i["id"] == ident)
    return {y["annee"]: y["valeur"] for y in entry["annees"]}


def csv(site: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(site / "donnees" / name, dtype=str, keep_default_na=False)


def html(site: Path, page: str) -> str:
    """A built page, with character references resolved (`l'indicateur`, not `l&#39;…`)."""
    return unescape((site / page / "index.html").read_text(encoding="utf-8"))


def chart(page: str) -> tuple[str, str]:
    """The opening tag and the content of the page's chart (not the theme's icons)."""
    match = re.search(
        r'<svg\b[^>]*class="ao-graphique ao-graphique--tendance"[^>]*>(.*?)</svg>\s*<figcaption',
        page,
        re.S,
    )
    assert match is not None
    return match.group(0).split(">", 1)[0], match.group(1)


# --- Truthfulness -------------------------------------------------------------------------------


def test_shares_recomputed_from_the_published_csvs(site: Path, published: dict) -> None:
    contracts = csv(site, "marches.csv")
    contracts["annee"] = contracts["dateNotification"].str[:4].astype(int)
    env = contracts[contracts["considerationsEnvironnementales"] != ""]
    expected = (
        env.assign(
            oui=env["considerationsEnvironnementales"] != "Pas de considération environnementale"
        )
        .groupby("annee")["oui"]
        .mean()
        * 100
    )
    got = values(published, "part-environnement-nombre")
    assert {y: got[y] for y in expected.index} == pytest.approx(expected.to_dict())
    assert got[2023] is None  # no contract that year: no value, not 0

    offers = contracts[contracts["offresRecues"] != ""]
    single = (offers["offresRecues"] == "1").groupby(offers["annee"]).mean() * 100
    got = values(published, "part-offre-unique")
    assert {y: got[y] for y in single.index} == pytest.approx(single.to_dict())


def test_regional_amount_share_recomputed_with_equal_split(site: Path, published: dict) -> None:
    publisher = yaml.safe_load((site.parent / "data" / "editeur.yaml").read_text("utf-8"))
    departements = {str(d) for d in publisher["departements"]}
    contracts = csv(site, "marches.csv")
    links = csv(site, "marches-titulaires.csv")
    suppliers = csv(site, "titulaires.csv")
    merged = links.merge(suppliers, on=["titulaire_typeIdentifiant", "titulaire_id"], how="left")
    merged = merged.fillna("")
    merged["n"] = merged.groupby("uid")["uid"].transform("size")
    located = (merged["titulaire_departement_code"] != "") | (merged["titulaire_region_code"] != "")
    regional = merged["titulaire_departement_code"].isin(departements) | (
        (merged["titulaire_departement_code"] == "")
        & (merged["titulaire_region_code"] == str(publisher["region"]["code"]))
    )
    merged["connue"] = located / merged["n"]
    merged["region"] = (located & regional) / merged["n"]
    per_contract = merged.groupby("uid")[["connue", "region"]].sum()
    table = contracts.set_index("uid").join(per_contract, how="inner")
    table = table[table["connue"] > 0]
    amount = table["montant"].astype(float)
    year = table["dateNotification"].str[:4].astype(int)
    expected = (
        (amount * table["region"]).groupby(year).sum()
        / (amount * table["connue"]).groupby(year).sum()
        * 100
    )
    got = values(published, "part-entreprises-regionales-montant")
    assert {y: got[y] for y in expected.index} == pytest.approx(expected.to_dict())
    assert got[2024] == pytest.approx(50.0)  # 2024A split 1/2, 2024D 1/3 of 2/3 located


def test_delay_rate_and_completeness_recomputed(site: Path, published: dict) -> None:
    contracts = csv(site, "marches.csv")
    links = csv(site, "marches-titulaires.csv")
    notified = pd.to_datetime(contracts["dateNotification"])
    published_on = pd.to_datetime(contracts["datePublicationDonnees"].replace("", None))
    days = (published_on - notified).dt.days
    year = notified.dt.year
    median = days[days >= 0].groupby(year[days >= 0]).median()
    got = values(published, "delai-publication-median")
    assert {y: got[y] for y in median.index} == pytest.approx(median.to_dict())

    granted = contracts[
        (contracts["attributionAvance"] == "true") & (contracts["tauxAvance"] != "")
    ]
    granted = granted[granted["tauxAvance"].astype(float) > 0]
    rate = (
        granted["tauxAvance"]
        .astype(float)
        .groupby(granted["dateNotification"].str[:4].astype(int))
        .mean()
        * 100
    )
    got = values(published, "taux-avance-moyen")
    assert {y: got[y] for y in rate.index} == pytest.approx(rate.to_dict())

    key = ["codeCPV", "montant", "dateNotification", "formePrix", "objet", "nature"]
    key += ["dureeMois", "procedure"]
    filled = (contracts[key] != "").sum(axis=1)
    filled += (contracts["lieuExecution_code"] != "") & (contracts["lieuExecution_typeCode"] != "")
    filled += contracts["uid"].isin(links["uid"])
    complete = filled.groupby(year).sum() / (filled.groupby(year).size() * 10) * 100
    got = values(published, "completude-champs")
    assert {y: got[y] for y in complete.index} == pytest.approx(complete.to_dict())


def test_rows_behind_each_number_reproduce_it(site: Path, published: dict) -> None:
    for entry in published["indicateurs"]:
        if entry["type"] != "calculé":
            assert entry["lignes_comptees"] is None
            continue
        rows = pd.read_csv(site / "donnees" / entry["lignes_comptees"])
        for year in entry["annees"]:
            counted = rows[rows["annee"] == year["annee"]]
            assert len(counted) == year["marches"], (entry["id"], year["annee"])
            if year["valeur"] is None:
                continue
            if entry["statistique"] == "mediane":
                value = counted["numerateur"].median()
            else:
                value = counted["numerateur"].sum() / counted["denominateur"].sum()
                value *= 100 if entry["statistique"] == "part" else 1
            assert value == pytest.approx(year["valeur"]), (entry["id"], year["annee"])


def test_declared_values_and_targets_are_published(published: dict) -> None:
    entry = next(i for i in published["indicateurs"] if i["id"] == "delai-paiement")
    years = {y["annee"]: y for y in entry["annees"]}
    assert years[2024]["valeur"] == 27.5
    assert years[2024]["source"] == "Finances"
    assert years[2023]["valeur"] is None
    assert entry["derniere_valeur"]["atteinte"] is True
    no_target = next(i for i in published["indicateurs"] if i["id"] == "part-innovants")
    assert no_target["cibles"] == {}
    assert no_target["derniere_valeur"]["atteinte"] is None


def test_indicator_csv_matches_the_json(site: Path, published: dict) -> None:
    table = csv(site, "indicateurs.csv")
    whole = table[table["perimetre"] == "ensemble"]
    for entry in published["indicateurs"]:
        rows = whole[whole["indicateur_id"] == entry["id"]]
        assert rows["annee"].astype(int).tolist() == [y["annee"] for y in entry["annees"]]
        shown = [float(v) if v else None for v in rows["valeur"]]
        assert shown == pytest.approx([y["valeur"] for y in entry["annees"]])
    services = table[table["perimetre"] == "service"]
    assert set(services["service_id"]) == {"lycees", "transports", ""}


# --- Pages --------------------------------------------------------------------------------------


def test_policy_page_lists_the_axes_actions_and_their_indicators(
    site: Path, published: dict
) -> None:
    page = html(site, "politique-achat")
    assert page.count('<h2 id="axe-') == 3
    actions = [a["id"] for axis in published["axes"] for a in axis["actions"]]
    assert len(actions) == 10
    for action in actions:
        assert f'href="{action}/"' in page
        assert (site / "politique-achat" / action / "index.html").is_file()
    assert "La Région, engagée dans la relance" in page
    assert 'href="../indicateurs/part-pme-nombre/"' in page
    action_page = html(site, "politique-achat/action-2-1")
    assert "Part des marchés comportant une considération environnementale" in action_page


def test_dashboard_and_navigation(site: Path, published: dict) -> None:
    page = html(site, "indicateurs")
    for entry in published["indicateurs"]:
        assert f'href="{entry["id"]}/"' in page
    assert 'href="../donnees/indicateurs.json"' in page
    nav = html(site, "")
    assert ">\n    Indicateurs\n" in nav or "Indicateurs</a>" in nav or "Indicateurs" in nav
    assert 'href="qualite/"' in nav
    assert 'href="indicateurs/"' in nav


def test_indicator_page_has_chart_sentence_table_method_and_rows(site: Path) -> None:
    page = html(site, "indicateurs/part-environnement-nombre")
    opening, content = chart(page)
    assert 'role="img"' in opening
    assert 'aria-labelledby="graphique-part-environnement-nombre-titre' in opening
    assert content.startswith('<title id="graphique-part-environnement-nombre-titre">')
    assert "<desc id=" in content
    assert "<script" not in content
    assert "En 2025 (année en cours), l'indicateur « Part des marchés comportant" in page
    assert "<caption>Part des marchés comportant une considération environnementale" in page
    assert '<th scope="row">2023</th>' in page
    assert "aucun marché notifié" in page
    assert 'href="../../donnees/indicateurs/part-environnement-nombre.csv"' in page
    assert "Données utilisées" in page
    assert "Exclusions" in page
    declared = html(site, "indicateurs/heures-insertion")
    assert "Service des clauses sociales" in declared
    assert "marchés comptés" not in declared


def test_charts_keep_colour_out_of_the_meaning(site: Path) -> None:
    page = html(site, "indicateurs/part-avance")
    _, content = chart(page)
    assert "Valeur mesurée (trait plein, ronds)" in content
    assert "Cible (tirets, losanges)" in content
    assert "stroke-dasharray" in content  # the target line is dashed, the value line is not
    ids = re.findall(r'\sid="([^"]+)"', content)
    assert ids
    assert all(i.startswith("graphique-part-avance-") for i in ids)
    assert "<style" not in content


def test_quality_page_grades_and_lists_failing_records(site: Path) -> None:
    page = html(site, "qualite")
    assert "Note de transparence 2024" in page  # 2025 is still running: not graded
    assert 'ao-note--c">C</span>' in page  # 2024C lacks key fields
    assert REGION_BUYER + "2024C" in page
    assert "codeCPV, formePrix, titulaire" in page
    incomplete = csv(site, "../qualite/marches-incomplets.csv")
    assert incomplete["uid"].tolist() == [REGION_BUYER + "2024C"]
    late = csv(site, "../qualite/marches-publies-hors-delai.csv")
    assert sorted(late["uid"]) == [
        REGION_BUYER + "2022C",
        REGION_BUYER + "2024B",
        REGION_BUYER + "2024C",
    ]
    assert "<code>publication-tardive</code>" in page
    report = json.loads((site / "qualite" / "rapport-validation.json").read_text("utf-8"))
    assert report["avertissements"] == 4


# --- Browser ------------------------------------------------------------------------------------

PAGES = (
    "politique-achat/",
    "politique-achat/action-1-1/",
    "indicateurs/",
    "indicateurs/part-entreprises-regionales-montant/",
    "indicateurs/delai-paiement/",
    "qualite/",
)


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with browser.serve(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [browser.DESKTOP, browser.MOBILE], ids=["bureau", "mobile"])
def test_pages_have_no_axe_violation(site_url: str, new_page: Any, viewport: Any) -> None:
    for path in PAGES:
        page = new_page(viewport)
        seen = browser.watch(page, site_url)
        page.goto(site_url + path)
        assert browser.axe_violations(page) == [], path
        assert seen.external_requests == [], path
        assert seen.console_errors == [], path


@pytest.fixture(scope="module")
def site_missing_latest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site with the environmental field of one contract of the latest year left
    empty: a rule that read it as "no" would halve that year's share."""
    root = tmp_path_factory.mktemp("indicateurs-manquant")
    rows = [
        {**r, "considerationsEnvironnementales": ""} if r["id"] == "2025B" else r for r in CONTRACTS
    ]
    data_dir = make_indicator_data(root / "data", rows)
    out = root / "site"
    build(Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT))
    return out


@pytest.mark.parametrize("which", ["site", "site_missing_latest", "demo_site"])
def test_the_home_key_figures_agree_with_the_indicators(
    which: str, request: pytest.FixtureRequest
) -> None:
    """The home page computes its key figures with aggregates.py, the indicator pages with the
    engine: for the same year they must give the same numbers (on the small site and on the
    demonstration, whose missing fields must be left out the same way by both)."""
    site: Path = request.getfixturevalue(which)
    published = json.loads((site / "donnees" / "indicateurs.json").read_text(encoding="utf-8"))
    home = html(site, "")
    heading = re.search(r"Chiffres clés (\d{4})", home)
    assert heading is not None
    year = int(heading.group(1))
    pairs = re.findall(r'<span class="ao-chiffre">([^<]+)</span>\s*([^<]+)(?:</a>)?</li>', home)
    figures = {label.strip(): value for value, label in pairs}
    env = figures["des marchés avec une considération environnementale"]
    shown = float(env.replace("\u202f", "").replace("\xa0", "").rstrip("%").replace(",", "."))
    expected = values(published, "part-environnement-nombre")[year]
    assert expected is not None
    assert shown == pytest.approx(expected, abs=0.05)
    contracts = csv(site, "marches.csv")
    count = int(figures["marchés notifiés"].replace("\u202f", "").replace("\xa0", ""))
    assert count == (contracts["dateNotification"].str[:4] == str(year)).sum()


# --- Cards, sparklines and the running year -----------------------------------------------------


def cards(page: str) -> dict[str, str]:
    """Each card of a page, by the address its title links to."""
    found = {}
    for card in re.findall(r'<li class="ao-carte".*?</li>', page, re.S):
        link = re.search(r'<h[34] class="ao-carte__titre"><a href="([^"]+)"', card)
        assert link is not None
        found[link.group(1)] = card
    return found


def check_card(card: str, entry: dict[str, Any]) -> None:
    """The card's sparkline has exactly the JSON's values of the years up to the data's date,
    and its table one row per year of the sparkline, with that value and target."""
    shown = {
        int(year): float(value)
        for year, value in re.findall(r'data-annee="(\d+)" data-valeur="([^"]+)"', card)
    }
    expected = {
        y["annee"]: y["valeur"]
        for y in entry["annees"]
        if y["valeur"] is not None and not y["a_venir"]
    }
    assert shown == expected, entry["id"]
    assert 'role="img"' in card
    rows = re.findall(r'<tr><th scope="row">(\d{4})[^<]*</th><td class="ao-num">([^<]*)</td>', card)
    years = [y["annee"] for y in entry["annees"] if not (y["a_venir"] and y["cible"] is None)]
    assert [int(year) for year, _ in rows] == years, entry["id"]
    for year, value in rows:
        if int(year) in expected:
            digits = 0 if entry["unite"] in ("€", "nombre", "heures") else 1
            number = f"{expected[int(year)]:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
            assert value.startswith(number), (entry["id"], year, value)


def test_every_indicator_has_its_card_sparkline_and_table(site: Path, published: dict) -> None:
    dashboard = cards(html(site, "indicateurs"))
    assert len(dashboard) == len(published["indicateurs"])
    policy = cards(html(site, "politique-achat"))
    for entry in published["indicateurs"]:
        check_card(dashboard[f"{entry['id']}/"], entry)
        if entry["actions"]:
            check_card(policy[f"../indicateurs/{entry['id']}/"], entry)
    page = html(site, "indicateurs")
    assert '<details class="ao-tableau-complet"' in page  # the full table, one click away
    assert page.count('<table class="ao-indicateurs">') == 3


def test_the_demo_dashboard_cards_match_indicateurs_json(demo_site: Path) -> None:
    published = json.loads((demo_site / "donnees" / "indicateurs.json").read_text("utf-8"))
    dashboard = cards(html(demo_site, "indicateurs"))
    for entry in published["indicateurs"]:
        check_card(dashboard[f"{entry['id']}/"], entry)


def test_no_current_year_verdict_says_non_atteinte(site: Path, published: dict) -> None:
    """The running year is compared in words, never judged: not in indicateurs.json, not on the
    dashboard, the policy, the indicator pages, the action pages or the home page."""
    reference = published["date_reference"]
    running = int(reference[:4])
    assert reference < f"{running}-12-31"
    in_progress = [e for e in published["indicateurs"] if e["derniere_valeur"]["annee"] == running]
    assert in_progress, "the small site has indicators measured on the running year"
    for entry in published["indicateurs"]:
        for year in entry["annees"]:
            if year["partielle"]:
                assert year["atteinte"] is None, entry["id"]
    for entry in in_progress:
        assert entry["derniere_valeur"]["atteinte"] is None
        assert entry["derniere_valeur"]["en_cours"] is True
    day = "1er" if reference[8:] == "01" else str(int(reference[8:]))
    for name in ("indicateurs", "politique-achat"):
        page = html(site, name)
        for address, card in cards(page).items():
            status = re.search(r'class="ao-carte__situation">(.*?)</p>', card, re.S)
            assert status is not None
            text = re.sub(r"<[^>]+>", "", status.group(1))
            if f"{running} (en cours)" in card.split("ao-carte__cible")[0]:
                assert "non atteinte" not in text, address
                assert "pas encore atteinte" not in text, address
                assert text.startswith("◔ Année en cours : ")
                assert f" au {day} " in text
    for entry in in_progress:
        page = html(site, f"indicateurs/{entry['id']}")
        row = re.search(rf'<tr><th scope="row">{running} \(en cours\)</th>(.*?)</tr>', page)
        assert row is not None
        assert "atteinte" not in row.group(1).replace("année en cours", "")
        chapo = re.search(r'<p class="ao-chapo">(.*?)</p>', page, re.S)
        assert chapo is not None
        assert "n'est pas atteinte" not in chapo.group(1).split(".")[0]
    for path in [*sorted((site / "politique-achat").glob("*/index.html")), site / "index.html"]:
        text = unescape(path.read_text(encoding="utf-8"))
        for line in re.findall(r"[^<>]*\(en cours\)[^<>]*", text):
            assert "non atteinte" not in line, path

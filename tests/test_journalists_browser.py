"""A journalist's tasks in Chromium on the demonstration site: the explorer's total and its
downloads match what `marches.csv` gives for the same filters; the rankings of a year match a
ranking computed from the flat file; the header search reaches contracts, companies and towns."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from achats_ouverts.french import euros, words_of
from achats_ouverts.model import aggregates
from tests.fixtures.browser import settle

pytestmark = pytest.mark.browser


def published(site: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(site / "donnees" / name, dtype=str, keep_default_na=False)


def download(page: Any, fmt: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(f"[data-ao-format='{fmt}']")
    done = info.value
    path = done.path()
    return done.suggested_filename, Path(path).read_bytes()


def contracts_view(site: Path, view: dict[str, str]) -> pd.DataFrame:
    """The contracts of `marches.csv` a filter of the explorer selects, computed with pandas."""
    frame = published(site, "marches.csv")
    if "annee" in view:
        frame = frame[frame["dateNotification"].str[:4] == view["annee"]]
    if "cpv" in view:
        frame = frame[frame["codeCPV"].str.startswith(view["cpv"])]
    if "service" in view:
        frame = frame[frame["acheteur_service_id"] == view["service"]]
    if "commune" in view:
        frame = frame[
            (frame["lieuExecution_typeCode"] == "Code commune")
            & (frame["lieuExecution_code"] == view["commune"])
        ]
    if "min" in view:
        frame = frame[frame["montant"].astype(float) >= float(view["min"])]
    return frame


VIEWS = (
    {"annee": "2025"},
    {"annee": "2024", "cpv": "45", "min": "100000"},
    {"service": "lycees", "commune": "59350"},
)


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()))
def test_the_explorer_total_and_downloads_match_marches_csv(
    demo_site: Path, demo_url: str, new_page: Any, view: dict[str, str]
) -> None:
    expected = contracts_view(demo_site, view)
    assert len(expected) > 0
    page = new_page()
    query = "&".join(f"{k}={x}" for k, x in view.items())
    page.goto(f"{demo_url}marches/?{query}")
    settle(page)
    status = page.inner_text("[data-ao-compte]")
    at_notification = euros(float(expected["montant"].astype(float).sum()))
    current = euros(float(expected["montantActuel"].astype(float).sum()))
    assert f"Montant total à la notification : {at_notification} HT ;" in status, status
    assert f"montant actuel : {current} HT." in status, status
    assert status.replace("\u202f", "").startswith(f"{len(expected)} marché")

    name, body = download(page, "csv")
    assert re.fullmatch(r"marches(_[a-z]+-[a-z0-9-]+)+_donnees-\d{4}-\d{2}-\d{2}\.csv", name)
    for key, value in view.items():
        assert f"_{key}-{value}" in name
    rows = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    columns = list(published(demo_site, "marches.csv").columns)
    assert list(rows.columns) == [*columns, "titulaires_id", "titulaires_nom"]
    assert sorted(rows["uid"]) == sorted(expected["uid"])
    merged = rows[columns].merge(expected, on="uid", suffixes=("", "_csv"))
    for column in columns[1:]:
        assert (merged[column] == merged[f"{column}_csv"]).all(), column
    assert rows["montant"].astype(float).sum() == pytest.approx(
        expected["montant"].astype(float).sum()
    )
    flat = published(demo_site, "marches-a-plat.csv")
    holders = flat[flat["uid"].isin(expected["uid"]) & (flat["titulaireActuel"] == "true")]
    names = holders.groupby("uid")["titulaire_nom"].agg(", ".join)
    assert rows.set_index("uid")["titulaires_nom"].to_dict() == names.to_dict()

    name, body = download(page, "xlsx")
    assert name.endswith(".xlsx")
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        assert workbook.testzip() is None
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == len(expected) + 1


def test_downloading_the_whole_list_gives_every_contract(
    demo_site: Path, demo_url: str, new_page: Any
) -> None:
    page = new_page()
    page.goto(f"{demo_url}marches/")
    page.wait_for_selector("[data-ao-export]:not([hidden])")
    name, body = download(page, "csv")
    assert name.startswith("marches_donnees-")
    reader = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert len(reader) - 1 == len(published(demo_site, "marches.csv"))


def test_the_ranking_of_a_year_matches_the_flat_file(
    demo_site: Path, demo_url: str, new_page: Any
) -> None:
    flat = published(demo_site, "marches-a-plat.csv")
    year = flat[(flat["dateNotification"].str[:4] == "2025") & (flat["titulaireActuel"] == "true")]
    share = year["montant"].astype(float) / year["titulaires_nombre"].astype(int)
    totals = (
        year.assign(part=share)
        .groupby(["titulaire_typeIdentifiant", "titulaire_id", "titulaire_nom"])
        .agg(part=("part", "sum"), marches=("uid", "size"))
        .reset_index()
    )
    ranked = aggregates.ranked(totals, "part", ["titulaire_typeIdentifiant", "titulaire_id"]).head(
        20
    )
    page = new_page()
    page.goto(f"{demo_url}classements/2025/")
    shown = page.eval_on_selector_all(
        "#titulaires-montant-tableau tbody tr",
        "rows => rows.map(r => [r.querySelector('th a').textContent, "
        "r.querySelectorAll('td')[2].textContent])",
    )[:20]
    assert shown == [
        [n, euros(p)] for n, p in zip(ranked["titulaire_nom"], ranked["part"], strict=True)
    ]
    method = page.inner_text("article")
    assert "Les montants sont les montants à la notification (colonne montant)" in method


# --- The header search ------------------------------------------------------------------------


def header_search(page: Any, query: str) -> None:
    page.click("#ao-recherche-entete")
    page.fill("#ao-recherche-entete", query)
    page.wait_for_function(
        """q => {
          const root = document.querySelector('[data-ao-recherche]');
          const s = root && root.aoRecherche;
          return s && root.getAttribute('data-ao-pret') === String(s.sequence)
            && document.getElementById('ao-recherche-entete').value === q;
        }""",
        arg=query,
    )


def result_links(page: Any, kind: str) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        f"[data-ao-recherche] [data-ao-type='{kind}'] li a",
        "links => links.map(a => [a.textContent, a.getAttribute('href')])",
    )


def open_result(page: Any, kind: str, text: str | None = None) -> str:
    """Click the first result of `kind` (or the one reading `text`); returns the new path."""
    links = page.query_selector_all(f"[data-ao-recherche] [data-ao-type='{kind}'] li a")
    assert links, f"aucun résultat de type {kind}"
    chosen = next((a for a in links if text is None or a.text_content() == text), None)
    assert chosen is not None, [a.text_content() for a in links]
    chosen.click()
    page.wait_for_load_state("load")
    path: str = page.evaluate("location.pathname + location.search")
    return path


def test_a_uid_and_a_siret_reach_their_pages(demo_site: Path, demo_url: str, new_page: Any) -> None:
    contracts = published(demo_site, "marches.csv")
    uid = contracts["uid"].iloc[100]
    page = new_page()
    page.goto(demo_url)
    header_search(page, uid)
    assert (
        page.eval_on_selector_all(
            "[data-ao-recherche] [data-ao-type='marches'] li", "items => items.length"
        )
        == 1
    )
    assert open_result(page, "marches") == f"/marches/{uid}/"
    assert uid in page.inner_text("h1") + page.inner_text("article")

    suppliers = published(demo_site, "marches-titulaires.csv")
    siret = suppliers["titulaire_id"].iloc[0]
    header_search(page, siret)
    assert open_result(page, "titulaires") == f"/titulaires/{siret}/"


def test_a_company_name_reaches_its_page(demo_site: Path, demo_url: str, new_page: Any) -> None:
    links = published(demo_site, "marches-titulaires.csv")
    reference = published(demo_site, "titulaires.csv")
    row = reference[reference["titulaire_id"].isin(links["titulaire_id"])].iloc[3]
    page = new_page()
    page.goto(demo_url + "donnees/")
    header_search(page, row["titulaire_nom"])
    path = open_result(page, "titulaires", row["titulaire_nom"])
    assert path == f"/titulaires/{row['titulaire_id']}/"


def test_an_object_word_with_or_without_accents_finds_the_same_contracts(
    demo_site: Path, demo_url: str, new_page: Any
) -> None:
    page = new_page()
    page.goto(demo_url)
    header_search(page, "réfection toiture")
    with_accents = page.inner_text("[data-ao-recherche] [data-ao-etat]")
    first = result_links(page, "marches")
    header_search(page, "REFECTION Toiture")
    assert (
        page.inner_text("[data-ao-recherche] [data-ao-etat]").replace(
            "REFECTION Toiture", "réfection toiture"
        )
        == with_accents
    )
    assert result_links(page, "marches") == first
    flat = published(demo_site, "marches-a-plat.csv")
    columns = ["objet", "uid", "id", "titulaire_nom", "titulaire_id"]
    texts = flat.groupby("uid", sort=False)[columns].agg(lambda values: " ".join(set(values)))
    indexed = texts.apply(lambda row: words_of(" ".join(row)), axis=1)
    expected = {
        uid
        for uid, found in indexed.items()
        if all(any(w.startswith(q) for w in found) for q in ("refection", "toiture"))
    }
    assert expected
    assert f"marchés ({len(expected)})" in with_accents
    path = open_result(page, "marches")
    assert path.strip("/").split("/")[1] in expected


def test_a_town_leads_to_its_contracts(demo_site: Path, demo_url: str, new_page: Any) -> None:
    contracts = published(demo_site, "marches.csv")
    in_lille = contracts[
        (contracts["lieuExecution_typeCode"] == "Code commune")
        & (contracts["lieuExecution_code"] == "59350")
    ]
    page = new_page()
    page.goto(demo_url)
    header_search(page, "lille")
    path = open_result(page, "communes", "Lille (59350)")
    assert path == "/marches/?commune=59350"
    settle(page)
    assert (
        page.inner_text("[data-ao-compte]")
        .replace("\u202f", "")
        .startswith(f"{len(in_lille)} marché")
    )


def test_see_all_contracts_opens_the_explorer_with_the_query(demo_url: str, new_page: Any) -> None:
    page = new_page()
    page.goto(demo_url)
    header_search(page, "toiture")
    link = page.query_selector("[data-ao-recherche] [data-ao-type='marches'] p a")
    assert link is not None
    count = int("".join(c for c in link.text_content() if c.isdigit()))
    link.click()
    page.wait_for_load_state("load")
    assert page.evaluate("location.search") == "?recherche=toiture"
    settle(page)
    assert page.inner_text("[data-ao-compte]").replace("\u202f", "").startswith(f"{count} marché")


def test_nothing_is_fetched_before_typing(demo_url: str, new_page: Any) -> None:
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(demo_url + "marches/")
    page.wait_for_timeout(500)
    assert not [u for u in requested if "_index" in u or "_donnees" in u or "search_index" in u]
    header_search(page, "lycée")
    assert any("recherche/_index/" in u for u in requested)
    assert not [u for u in requested if "search_index" in u]


def test_the_search_page_lists_every_kind_with_counts(demo_url: str, new_page: Any) -> None:
    page = new_page()
    page.goto(demo_url + "recherche/?q=lille")
    page.wait_for_selector("[data-ao-recherche-page] [data-ao-type='communes']")
    headings = page.eval_on_selector_all(
        "[data-ao-recherche-page] h2.ao-resultats-type__titre", "hs => hs.map(h => h.textContent)"
    )
    assert any(h.startswith("Marchés (") for h in headings)
    assert any(h.startswith("Communes d'exécution (1)") for h in headings)

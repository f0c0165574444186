"""The biennial SPASER report: its periods, aligned on the policy's first year; its figures,
those of `indicateurs.json` for the same years; the measure it adds without a target,
recomputed with plain pandas; the links that lead to it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from achats_ouverts.model import YearValue
from achats_ouverts.output import urls
from achats_ouverts.output.indicator_views import display
from achats_ouverts.output.reports import Period, periods
from achats_ouverts.pages.spaser_report import base_of, measure_of
from tests.fixtures.companies import REGION_BUYER

NONE_SOCIAL = "Pas de considération sociale"


def test_periods_are_aligned_on_the_policy_start_and_the_last_one_runs() -> None:
    reference = date(2026, 11, 1)
    assert periods(2022, [2022, 2023, 2024, 2025, 2026], reference) == (
        Period(2022, 2023, False),
        Period(2024, 2025, False),
        Period(2026, 2027, True),
    )
    # A policy starting in an odd year shifts every period; years before it keep the rhythm.
    assert periods(2023, [2020, 2023, 2024], reference) == (
        Period(2019, 2020, False),
        Period(2023, 2024, False),
    )
    # A period ends on 31 December: it is over on that day, not the day before.
    assert periods(2024, [2025], date(2025, 12, 30)) == (Period(2024, 2025, True),)
    assert periods(2024, [2025], date(2025, 12, 31)) == (Period(2024, 2025, False),)
    assert periods(2024, [], reference) == ()


def report_pages(site: Path) -> list[Path]:
    return sorted((site / urls.POLICY).glob("rapport-*/index.html"))


def cells(table: object) -> dict[str, tuple[str, str, str]]:
    """Per year label: (value, target, situation)."""
    rows = {}
    for tr in table.css("tbody tr"):  # type: ignore[attr-defined]
        year = tr.css_first("th").text(strip=True)
        tds = [td.text(separator=" ", strip=True) for td in tr.css("td")]
        rows[year] = (tds[0], tds[2], tds[3])
    return rows


def test_the_report_figures_are_those_of_indicateurs_json(demo_site: Path) -> None:
    document = json.loads((demo_site / urls.INDICATORS_JSON).read_text(encoding="utf-8"))
    indicators = {i["id"]: i for i in document["indicateurs"]}
    pages = report_pages(demo_site)
    assert len(pages) >= 2
    compared = 0
    for page in pages:
        tree = HTMLParser(page.read_text(encoding="utf-8"))
        shown = {f.attributes["id"]: f for f in tree.css("figure.ao-rapport__indicateur")}
        # Every indicator of the policy is in every report.
        assert {f"ind-{i}" for i in indicators} <= set(shown)
        for ident, indicator in indicators.items():
            rows = cells(shown[f"ind-{ident}"])
            by_year = {y["annee"]: y for y in indicator["annees"]}
            for label, (value, target, situation) in rows.items():
                year = by_year[int(label[:4])]
                assert value == display(year["valeur"], indicator["unite"]), (page, ident, label)
                expected_target = (
                    display(year["cible"], indicator["unite"])
                    if year["cible"] is not None
                    else "aucune"
                )
                assert target == expected_target
                if "en cours" in label:
                    assert "non jugée" in situation.lower()
                    assert "atteinte" not in situation.lower()
                compared += 1
    assert compared > 40


def test_the_social_value_the_policy_lacks_is_recomputed_with_pandas(demo_site: Path) -> None:
    """The demo policy follows social considerations in number only: the report adds their
    share of the amount, without a target, which plain pandas finds from marches.csv."""
    text = pd.read_csv(demo_site / urls.table_file("marches", "csv"), dtype=str)
    text = text.fillna("")
    known = text[text["considerationsSociales"] != ""]
    amount = known["montant"].astype(float)
    social = known["considerationsSociales"] != NONE_SOCIAL
    year = known["dateNotification"].str[:4]
    page = demo_site / urls.spaser_report(2022, 2023) / "index.html"
    tree = HTMLParser(page.read_text(encoding="utf-8"))
    rows = cells(tree.css_first("figure#ind-part-sociale-montant"))
    for label, (value, target, _) in rows.items():
        mine = year == label[:4]
        share = amount[mine & social].sum() / amount[mine].sum() * 100
        assert value == display(share, "%")
        assert target == "aucune"


def test_the_policy_page_links_to_every_report(demo_site: Path) -> None:
    tree = HTMLParser((demo_site / urls.POLICY / "index.html").read_text(encoding="utf-8"))
    links = {a.attributes["href"] for a in tree.css("#rapports ~ ul a, section#rapports a")}
    links |= {
        a.attributes["href"]
        for a in tree.css("a")
        if (a.attributes.get("href") or "").startswith("rapport-")
    }
    expected = {p.parent.name + "/" for p in report_pages(demo_site)}
    assert expected
    assert links == expected


def test_the_report_says_who_when_and_how_to_print(demo_site: Path) -> None:
    page = demo_site / urls.spaser_report(2022, 2023) / "index.html"
    text = HTMLParser(page.read_text(encoding="utf-8")).body.text(separator=" ")  # type: ignore[union-attr]
    assert f"SIRET {REGION_BUYER}" in text
    assert "L2111-3" in text
    assert "Date des données" in text
    assert "Enregistrer au format PDF" in text


def test_a_year_in_words() -> None:
    class Result:
        computed = True
        statistique = "part"
        calcul = "part_sociale_nombre"

    one = YearValue(2024, 20.0, 30.0, numerateur=1.0, denominateur=5.0)
    many = YearValue(2024, 83.9, 90.0, numerateur=484.0, denominateur=577.0)
    assert base_of(Result(), one) == "1\u00a0marché sur 5"  # type: ignore[arg-type]
    assert base_of(Result(), many) == "484\u00a0marchés sur 577"  # type: ignore[arg-type]
    Result.calcul = "part_sociale_montant"
    assert base_of(Result(), one) == "1\u00a0€ sur 5\u00a0€"  # type: ignore[arg-type]


def test_what_each_figure_measures() -> None:
    class Result:
        computed = True
        statistique = "part"
        calcul = "part_pme_nombre"

    assert measure_of(Result()) == "en nombre de marchés"  # type: ignore[arg-type]
    Result.calcul = "part_pme_montant"
    assert measure_of(Result()).startswith("en valeur")  # type: ignore[arg-type]
    Result.statistique, Result.calcul = "moyenne", "taux_avance_moyen"
    assert measure_of(Result()) == "moyenne par marché"  # type: ignore[arg-type]
    Result.computed = False
    assert measure_of(Result()) == "déclaré par l'acheteur"  # type: ignore[arg-type]

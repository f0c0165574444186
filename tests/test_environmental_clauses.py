"""The environmental considerations mandatory from 21 August 2026: the validation warning (from
that day, not the day before; any consideration silences it), its code in the catalogue, and the
analysis `clauses-environnementales-2026` recomputed with plain pandas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from selectolax.lexbor import LexborHTMLParser

from achats_ouverts.datafolder.obligations import ENVIRONMENTAL_CONSIDERATIONS
from achats_ouverts.datafolder.problem_codes import CODES
from achats_ouverts.model.analyses import REGISTRY, compute_all, inputs_of
from achats_ouverts.model.analyses.environmental_clauses import (
    ID,
    environmental_clauses_2026,
)
from achats_ouverts.model.calculations import REGISTRY as CALCULATIONS
from achats_ouverts.output import urls
from achats_ouverts.pages.quality import environmental_finding
from achats_ouverts.report import Severity
from achats_ouverts.validation import validate
from tests.fixtures.folders import contract, linked, loaded, make_data_dir
from tests.fixtures.paths import DATA

CODE = "consideration-environnementale-a-verifier"
NONE = "Pas de considération environnementale"


def notified(day: str, consideration: str, n: int = 1, service: str = "lycees") -> dict[str, str]:
    return contract(
        id=f"2026{n:04d}",
        dateNotification=day,
        datePublicationDonnees=day,
        considerationsEnvironnementales=consideration,
        acheteur_service_id=service,
    )


def warned(tmp_path: Path, rows: list[dict[str, str]]) -> list[tuple[int | None, str | None]]:
    report = validate(make_data_dir(tmp_path / "d", **linked(rows)), calculations=CALCULATIONS)
    return [(p.row, p.field) for p in report.report.sorted() if p.code == CODE]


def test_the_day_is_declared_once_with_its_texts() -> None:
    assert ENVIRONMENTAL_CONSIDERATIONS.start == date(2026, 8, 21)
    assert not ENVIRONMENTAL_CONSIDERATIONS.applies(date(2026, 8, 20))
    assert ENVIRONMENTAL_CONSIDERATIONS.applies(date(2026, 8, 21))
    cited = " ".join(ENVIRONMENTAL_CONSIDERATIONS.sources)
    assert "L2112-2" in cited
    assert "L2152-7" in cited
    assert "2022-767" in cited


def test_the_code_is_a_declared_warning() -> None:
    (entry,) = [c for c in CODES if c.code == CODE]
    assert entry.severity is Severity.WARNING
    assert "considerationsEnvironnementales" in entry.where


def test_warns_from_the_day_not_the_day_before(tmp_path: Path) -> None:
    rows = [
        notified("2026-08-20", NONE, 1),
        notified("2026-08-21", NONE, 2),
        notified("2027-01-05", NONE, 3),
    ]
    assert warned(tmp_path, rows) == [
        (3, "considerationsEnvironnementales"),
        (4, "considerationsEnvironnementales"),
    ]


@pytest.mark.parametrize(
    "consideration",
    [
        "Clause environnementale",
        "Critère environnemental",
        "Clause environnementale, Critère environnemental",
        "",
    ],
)
def test_any_consideration_or_an_empty_field_does_not_warn(
    tmp_path: Path, consideration: str
) -> None:
    assert warned(tmp_path, [notified("2026-09-01", consideration)]) == []


def test_the_message_names_what_to_check(tmp_path: Path) -> None:
    folder = make_data_dir(tmp_path / "d", **linked([notified("2026-09-01", NONE)]))
    report = validate(folder, calculations=CALCULATIONS).report
    (problem,) = [p for p in report.problems if p.code == CODE]
    assert problem.severity is Severity.WARNING
    assert (problem.file, problem.row) == ("marches.csv", 2)
    assert "21 août 2026" in problem.message
    assert "à vérifier" in problem.message
    assert "date de notification" in problem.message
    assert "consultation" in problem.fix


# --- The analysis ---------------------------------------------------------------------------


def recomputed(marches: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Per year, (contracts without consideration, contracts with the field filled) among those
    notified from 21 August 2026, by plain pandas on the published text."""
    scope = marches[
        (marches["dateNotification"] >= "2026-08-21")
        & (marches["considerationsEnvironnementales"] != "")
    ]
    years = scope["dateNotification"].str[:4].astype(int)
    without = scope["considerationsEnvironnementales"] == NONE
    return {
        int(y): (int(without[years == y].sum()), int((years == y).sum()))
        for y in sorted(set(years))
    }


def test_registered() -> None:
    assert environmental_clauses_2026 in REGISTRY


def test_edge_cases(tmp_path: Path) -> None:
    rows = [
        contract(),  # 2024: the rule does not apply
        notified("2026-08-20", NONE, 1),
        notified("2026-08-21", NONE, 2),
        notified("2026-10-01", "Clause environnementale", 3, service=""),
        notified("2026-11-02", "", 4),
    ]
    analysis = environmental_clauses_2026(
        inputs_of(loaded(make_data_dir(tmp_path / "d", **linked(rows))))
    )
    by_year = {y.annee: y for y in analysis.annees}
    assert by_year[2024].valeur is None
    assert by_year[2024].denominateur == 0
    assert (by_year[2026].numerateur, by_year[2026].denominateur) == (1, 2)
    assert by_year[2026].valeur == 50
    service = analysis.breakdowns[0]
    assert service.id == "service"
    labels = {r.key: (r.label, r.annees[-1].valeur) for r in service.rows}
    assert labels == {"": ("Service non renseigné", 0), "lycees": ("Direction des lycées", 100)}
    # The CSV: every contract in scope, the flag empty when the field is.
    assert list(analysis.contracts["id"]) == ["20260002", "20260003", "20260004"]
    flags = analysis.contracts["sans_consideration_environnementale"].tolist()
    assert flags[:2] == [True, False]
    assert pd.isna(flags[2])


def test_demo_recomputed_from_the_published_text() -> None:
    data = loaded(DATA)
    (analysis,) = [a for a in compute_all(inputs_of(data)) if a.id == ID]
    text = pd.read_csv(DATA / "marches.csv", dtype=str, keep_default_na=False)
    expected = recomputed(text)
    assert expected, "the demo has contracts notified after 21 August 2026"
    for year in analysis.annees:
        if year.annee in expected:
            part, total = expected[year.annee]
            assert (year.numerateur, year.denominateur) == (part, total)
            assert year.valeur == pytest.approx(part / total * 100)
        else:
            assert year.valeur is None
    # The rows behind the figure, once written as CSV, give the same figures.
    written = pd.read_csv(
        pd.io.common.StringIO(analysis.contracts.to_csv(index=False)),
        dtype=str,
        keep_default_na=False,
    )
    assert recomputed(written) == expected


def test_the_published_figures_and_file_are_recomputed_from_the_published_csv(
    demo_site: Path,
) -> None:
    """What a reader downloads: `/donnees/marches.csv` gives `/donnees/analyses.json`'s figures,
    and `/donnees/analyses/<id>.csv` lists the contracts counted."""
    published = demo_site / "donnees"
    text = pd.read_csv(published / "marches.csv", dtype=str, keep_default_na=False)
    expected = recomputed(text)
    assert expected
    (entry,) = [
        a
        for a in json.loads((published / "analyses.json").read_text("utf-8"))["analyses"]
        if a["id"] == ID
    ]
    for year in entry["annees"]:
        if year["annee"] in expected:
            assert (year["numerateur"], year["denominateur"]) == expected[year["annee"]]
        else:
            assert year["valeur"] is None
    listed = pd.read_csv(published / "analyses" / f"{ID}.csv", dtype=str, keep_default_na=False)
    assert recomputed(listed) == expected


# --- The quality page -------------------------------------------------------------------------


def test_the_quality_page_shows_the_rule_and_the_count(demo_site: Path) -> None:
    page = (demo_site / urls.QUALITY / "index.html").read_text(encoding="utf-8")
    tree = LexborHTMLParser(page)
    heading = tree.css_first(f"h2#obligation-{CODE}")
    assert heading is not None
    assert "21 août 2026" in heading.text()
    section = []
    node = heading.next
    while node is not None and node.tag != "h2":
        section.append(node.text(separator=" "))
        node = node.next
    text = " ".join(section)
    assert "L2112-2" in text
    assert "date de notification" in text
    report = json.loads((demo_site / urls.VALIDATION_REPORT).read_text(encoding="utf-8"))
    (flagged,) = [c["nombre"] for c in report["par_code"] if c["code"] == CODE]
    text_file = pd.read_csv(
        demo_site / urls.table_file("marches", "csv"), dtype=str, keep_default_na=False
    )
    since = text_file[text_file["dateNotification"] >= "2026-08-21"]
    assert flagged == (since["considerationsEnvironnementales"] == NONE).sum() > 0
    assert f"{flagged}\u00a0marchés déclarent « Pas de considération environnementale »" in text
    links = [a.attributes.get("href") for a in tree.css(f"h2#obligation-{CODE} ~ p a")]
    assert "../analyses/clauses-environnementales-2026/" in links


def test_the_quality_page_sentence_without_contracts_to_check() -> None:
    assert "aucun ne déclare" in environmental_finding(3, 2, 0)
    assert "Aucun marché publié" in environmental_finding(0, 0, 0)
    assert "1\u00a0marché déclare « Pas" in environmental_finding(4, 4, 1)

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

from achats_ouverts.french import euros
from achats_ouverts.model import aggregates
from tests.test_explorers_browser import settle

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
    total = euros(float(expected["montant"].astype(float).sum()))
    assert f"Montant total HT : {total}." in status, status
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
    names = flat[flat["uid"].isin(expected["uid"])].groupby("uid")["titulaire_nom"].agg(", ".join)
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
    year = flat[(flat["dateNotification"].str[:4] == "2025") & (flat["titulaire_id"] != "")]
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

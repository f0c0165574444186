"""Nothing a modification replaces is lost, thresholds follow the notification date, and totals
agree with the published CSV: the amount at notification and the current one through import,
data folder, `decp.json`, `ocds.json` and pages; the dated DECP threshold; rounding half up."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from selectolax.lexbor import LexborHTMLParser

from achats_ouverts.building import build
from achats_ouverts.datafolder import schemas, thresholds
from achats_ouverts.french import euro_units, euros, signed_percent
from achats_ouverts.importing import ImportOptions, import_files
from achats_ouverts.model import aggregates, quality
from achats_ouverts.model.loading import typed_frame
from achats_ouverts.output import path_segment
from achats_ouverts.settings import Settings
from tests.fixtures.companies import LILLE_SME, REGION_BUYER
from tests.fixtures.files import read_csv
from tests.fixtures.paths import DATA, ROOT, reference_file

OFFICIAL = "decp-2022_exemple-officiel_marches_avec_modifications.json"


def page_text(path: Path) -> str:
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    node = tree.css_first("article") or tree.body
    assert node is not None
    return " ".join(node.text().split())


def read(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


# --- The official example, end to end -------------------------------------------------------------


@pytest.mark.slow
def test_the_official_example_keeps_575000_and_123457_87_everywhere(tmp_path: Path) -> None:
    """Notified at 575 000 € for 48 months, modified to 123 457,87 € and 12 months."""
    data = tmp_path / "data"
    import_files([reference_file(OFFICIAL)], data)
    (row,) = read_csv(data / "marches.csv")
    assert (row["montant"], row["montantActuel"]) == ("575000", "123457.87")
    assert (row["dureeMois"], row["dureeMoisActuelle"]) == ("48", "12")
    site = tmp_path / "site"
    result = build(Settings(data_dir=data, output_dir=site, project_dir=ROOT))
    assert result.report.errors == 0
    published = read_csv(site / "donnees" / "marches.csv")
    assert [(r["montant"], r["montantActuel"]) for r in published] == [("575000", "123457.87")]

    decp = read(site / "donnees" / "decp.json")
    assert isinstance(decp, dict)
    (marche,) = decp["marches"]["marche"]
    assert (marche["montant"], marche["dureeMois"]) == (575000, 48)
    (modification,) = marche["modifications"]
    assert (modification["modification"]["montant"], modification["modification"]["dureeMois"]) == (
        123457.87,
        12,
    )
    # Importing decp.json back gives both values again.
    again = tmp_path / "again"
    import_files([site / "donnees" / "decp.json"], again)
    (back,) = read_csv(again / "marches.csv")
    assert (back["montant"], back["montantActuel"]) == ("575000", "123457.87")

    ocds = read(site / "donnees" / "ocds.json")
    assert isinstance(ocds, dict)
    (release,) = [r for r in ocds["releases"] if "award" in r["tag"]]
    assert release["awards"][0]["value"] == {"amount": 575000, "currency": "EUR"}
    assert release["contracts"][0]["value"] == {"amount": 123457.87, "currency": "EUR"}
    assert "nouveau montant 123457.87" in release["contracts"][0]["amendments"][0]["description"]

    uid = row["uid"]
    text = page_text(site / "marches" / path_segment(uid) / "index.html")
    assert "575 000,00 € HT à la notification → 123 457,87 € HT, montant actuel (−78,5 %)" in text
    assert "48 mois à la notification → 12 mois durée actuelle (−36 mois)" in text
    assert "À la notification, le marché était attribué à" in text
    assert "55204599900869" in text


# --- The demonstration data -----------------------------------------------------------------------


def demo_table(name: str) -> pd.DataFrame:
    if not (DATA / "marches.csv").is_file():
        pytest.skip("données de démonstration absentes de data/")
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def test_the_demo_keeps_both_amounts_of_its_272_changed_contracts() -> None:
    contracts = demo_table("marches")
    changed = contracts[contracts["montant"] != contracts["montantActuel"]]
    assert len(changed) == 272
    modified = set(demo_table("modifications")["uid"])
    assert set(changed["uid"]) <= modified


def test_a_modified_demo_contract_shows_both_amounts_and_the_increase(demo_site: Path) -> None:
    contracts = demo_table("marches")
    row = contracts[contracts["montant"] != contracts["montantActuel"]].iloc[0]
    before, after = float(row["montant"]), float(row["montantActuel"])
    change = aggregates.change_percent(pd.Series([before]), pd.Series([after]))[0]
    text = page_text(demo_site / "marches" / path_segment(row["uid"]) / "index.html")
    expected = (
        f"{euros(before, cents=True)} HT à la notification → {euros(after, cents=True)} HT, "
        f"montant actuel ({signed_percent(change)})"
    )
    assert " ".join(expected.split()) in text  # page_text turns every space into " "
    assert change == pytest.approx((after - before) / before * 100, abs=0.05)
    assert change > 0  # the demonstration's modifications raise amounts


def test_the_demo_decp_json_imports_back_to_the_same_folder(
    demo_site: Path, tmp_path: Path
) -> None:
    """Both values included: what decp.json holds comes back as it was published."""
    target = tmp_path / "importe"
    import_files([demo_site / "donnees" / "decp.json"], target)
    exported = set(pd.read_csv(target / "marches.csv", dtype=str)["uid"])
    assert len(exported) > 2000
    keys = {
        "marches": ["uid"],
        "marches-titulaires": ["uid", "titulaire_typeIdentifiant", "titulaire_id"],
        "modifications": ["uid", "modification_id"],
    }
    for name, key in keys.items():
        ds = schemas.dataset(name)
        before = typed_frame(demo_table(name), ds)
        before = before[before["uid"].isin(exported)].sort_values(key).reset_index(drop=True)
        after = typed_frame(pd.read_csv(target / ds.path, dtype=str, keep_default_na=False), ds)
        after = after.sort_values(key).reset_index(drop=True)
        columns = [c for c in before.columns if c != "acheteur_service_id"]
        pd.testing.assert_frame_equal(after[columns], before[columns], check_dtype=False)
    links = pd.read_csv(target / "marches-titulaires.csv", dtype=str)
    assert (links["titulaireActuel"] == "false").any(), "replaced suppliers come back"


def test_totals_shown_never_disagree_with_the_csv_sum(demo_site: Path) -> None:
    """The home page's yearly totals are the sums of the published CSV, rounded half up."""
    contracts = demo_table("marches")
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    table = LexborHTMLParser(html).css_first("#par-annee + table")
    assert table is not None
    shown = {
        row.css_first("th").text(): [td.text() for td in row.css("td")]
        for row in table.css("tbody tr")
    }
    assert shown
    for year, cells in shown.items():
        chosen = contracts[contracts["dateNotification"].str.startswith(year)]
        for cell, column in zip(cells[1:], ("montant", "montantActuel"), strict=True):
            total = sum((Decimal(x) for x in chosen[column]), Decimal(0))
            whole = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            assert cell == f"{whole:,}".replace(",", "\u202f") + "\xa0€", (year, column)


# --- Rounding -------------------------------------------------------------------------------------


def test_amounts_round_half_up_after_the_cent() -> None:
    assert [euros(x) for x in (0.5, 1.5, 2.5, 3.5, 1234.5, 2.494)] == [
        "1\xa0€",
        "2\xa0€",
        "3\xa0€",
        "4\xa0€",
        "1\u202f235\xa0€",
        "2\xa0€",
    ]
    # A float sum that should read 1234.5 (the CSV's sum) is rounded as 1234.5.
    noisy = 1234.4999999999998
    assert euro_units(noisy) == 1235
    assert euros(2.675, cents=True) == "2,68\xa0€"
    assert euros(1234567.891, cents=True) == "1\u202f234\u202f567,89\xa0€"
    from babel.numbers import format_currency

    for value in (0.0, 0.05, 12.35, 99.95, 1234567.89, 40000.0, 290097.77, 1e11 + 0.25):
        assert euros(value, cents=True) == format_currency(value, "EUR", locale="fr_FR")
    assert signed_percent(-78.5) == "\u221278,5\xa0%"
    assert signed_percent(14.0) == "+14,0\xa0%"


# --- The DECP publication threshold by notification date ------------------------------------------


def test_the_threshold_table_has_no_gap_nor_overlap() -> None:
    table = thresholds.DECP_PUBLICATION
    assert table[0].start is None
    assert table[-1].end is None
    for before, after in pairwise(table):
        assert before.end is not None
        assert after.start is not None
        assert (after.start - before.end).days == 1
    assert all(t.source for t in table)


def test_the_threshold_is_25000_for_a_2019_contract() -> None:
    assert thresholds.decp_publication(date(2019, 6, 3)).value == 25_000
    assert thresholds.decp_publication(date(2019, 12, 31)).value == 25_000
    assert thresholds.decp_publication(date(2020, 1, 1)).value == 40_000
    assert thresholds.decp_publication(None).value == 40_000
    contracts = pd.DataFrame(
        {
            "dateNotification": pd.to_datetime(["2019-06-03", "2020-06-03", "2019-06-03"]),
            "montant": [30_000.0, 30_000.0, 24_999.99],
        }
    )
    # The grade's size criterion: 30 000 € is above the threshold in 2019, below it in 2020.
    assert quality.above_decp_threshold(contracts).tolist() == [True, False, False]


# --- In-house exports -----------------------------------------------------------------------------


MAPPING = """format: csv
separateur: ";"
colonnes:
  id: N
  objet: Objet
  montant: Montant
  dateNotification: Date
  titulaire_id: SIRET
constantes:
  acheteur_id: "{buyer}"
  titulaire_typeIdentifiant: SIRET
"""


@pytest.mark.parametrize("current", [False, True])
def test_an_in_house_export_says_when_it_has_no_current_amount(
    tmp_path: Path, current: bool
) -> None:
    mapping = tmp_path / "correspondance.yaml"
    text = MAPPING.format(buyer=REGION_BUYER)
    header = "N;Objet;Montant;Date;SIRET"
    line = f"2021-01;Toiture;100000;2021-02-01;{LILLE_SME}"
    if current:
        text = text.replace("  montant: Montant\n", "  montant: Montant\n  montantActuel: Actuel\n")
        header += ";Actuel"
        line += ";112000.5"
    mapping.write_text(text, encoding="utf-8")
    source = tmp_path / "export.csv"
    source.write_text(f"{header}\n{line}\n", encoding="utf-8")
    result = import_files([source], tmp_path / "data", ImportOptions(mapping=mapping))
    (row,) = read_csv(tmp_path / "data" / "marches.csv")
    remarks = result.summary.remarks
    if current:
        assert (row["montant"], row["montantActuel"]) == ("100000", "112000.5")
        assert not [r for r in remarks if "montant actuel" in r]
    else:
        assert (row["montant"], row["montantActuel"]) == ("100000", "100000")
        assert [r for r in remarks if re.search(r"le montant actuel n'est pas dans l'export", r)]
        report = read(tmp_path / "data" / "import-rapport.json")
        assert isinstance(report, dict)
        assert report["resume"]["remarques"] == remarks

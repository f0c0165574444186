"""The importer on the official DECP 2022 examples and on real samples, read from
../shared/reference (never copied into the project): counts, amounts, current state, and every
imported folder validates; the official examples and the 2019 sample also build into a site."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from achats_ouverts.building import build
from achats_ouverts.importing import ImportOptions, import_files
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Settings
from achats_ouverts.validation import validate
from tests.fixtures.files import folder_digests, read_csv
from tests.fixtures.labels import labelled, labelled_each
from tests.fixtures.paths import ROOT, reference_file

SAMPLE_2019 = "real_decp-2019-format_pes-dgfip-collectivites_2019-04-05.json"
TABULAR = "real_decp-tabulaire_2024S2_travaux-cpv4521_hauts-de-france-hors-region.csv"
BRETAGNE = "real_region-bretagne_rendu-compte_2021_pipe-utf8.csv"
OFFICIAL = [
    "decp-2022_exemple-officiel_marches_avec_modifications.json",
    "decp-2022_exemple-officiel_marches_concessions.json",
    "decp-2022_exemple-officiel_concessions.json",
    "decp-2022_exemple-officiel_concessions_avec_modifications.json",
    "decp-2022_exemple-officiel_Marche.xml",
    "decp-2022_exemple-officiel_Contrat-concession.xml",
    "decp-2022_exemple-officiel_Contrat-concession-modification.xml",
]


def errors(data_dir: Path) -> list[str]:
    result = validate(data_dir, calculations=REGISTRY)
    return [p.line() for p in result.report.problems if p.severity == 0]


def total(data_dir: Path, column: str = "montantActuel") -> Decimal:
    """The sum of a column of marches.csv: by default the current amounts."""
    return sum((Decimal(r[column]) for r in read_csv(data_dir / "marches.csv")), Decimal(0))


def by_uid(data_dir: Path, name: str) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(data_dir / name):
        rows.setdefault(row["uid"], []).append(row)
    return rows


def test_sample_2019(tmp_path: Path) -> None:
    source = reference_file(SAMPLE_2019)
    before = folder_digests(source.parent)
    data = tmp_path / "data"
    s = import_files([source], data).summary
    assert folder_digests(source.parent) == before, "inputs are never modified"
    counts = {"read": 1148, "imported": 1144, "duplicates": 2, "shared_id": 6, "modifications": 8}
    assert labelled(s, *counts) == counts
    assert dict(s.rejected) == {"montant-invalide": 2}
    assert s.read == s.imported + s.rejected_records + s.duplicates
    assert s.corrections["procedure-ancienne"] == 68
    assert s.corrections["date-normalisee"] == 1148 * 2 + 8
    # Independently: distinct records with an amount of at least 1 €, modification amounts applied
    # (current amounts) or not (amounts at notification).
    assert total(data) == Decimal("1682033215.26")
    assert total(data, "montant") == Decimal("1681998257.26")
    (contract,) = by_uid(data, "marches.csv")["2000678740001220191815201"]
    assert (contract["montant"], contract["montantActuel"], contract["dateNotification"]) == (
        "50273.41",
        "57379.41",
        "2019-01-15",
    )
    assert len(read_csv(data / "titulaires.csv")) == s.named_suppliers > 900
    assert errors(data) == []


def test_national_tabular_sample(tmp_path: Path) -> None:
    data = tmp_path / "data"
    s = import_files([reference_file(TABULAR)], data).summary
    counts = {"read": 415, "kept": 415, "imported": 321, "modifications": 53, "shared_id": 45}
    assert labelled(s, *counts) == counts
    assert total(data) == Decimal("194083907.90")
    assert total(data, "montant") == Decimal("192734196.66")
    dunkerque = "2459004280001320230000000106"
    (contract,) = by_uid(data, "marches.csv")[dunkerque]
    # The earliest version (notified on 2024-08-08 at 2 103 947,63 €) gives the values at
    # notification; the last one the current amount.
    assert (contract["dateNotification"], contract["montant"], contract["dureeMois"]) == (
        "2024-08-08",
        "2103947.63",
        "14",
    )
    assert (contract["montantActuel"], contract["dureeMoisActuelle"]) == ("2083999.82", "14")
    holders = by_uid(data, "marches-titulaires.csv")[dunkerque]
    assert {(r["titulaireInitial"], r["titulaireActuel"]) for r in holders} == {("true", "true")}
    assert len(holders) == 3
    history = by_uid(data, "modifications.csv")[dunkerque]
    assert labelled_each(history, "dateNotificationModification", "montant") == [
        {"dateNotificationModification": "2024-09-06", "montant": "2105976.17"},
        {"dateNotificationModification": "2024-09-09", "montant": "2083999.82"},
        {"dateNotificationModification": "2024-09-13", "montant": ""},
        {"dateNotificationModification": "2024-09-24", "montant": ""},
        {"dateNotificationModification": "2024-10-10", "montant": ""},
    ]
    suppliers = {r["titulaire_id"]: r for r in read_csv(data / "titulaires.csv")}
    assert suppliers["32029116400012"]["titulaire_nom"] == "LOISON"
    assert suppliers["32029116400012"]["titulaire_departement_code"] == "59"
    assert errors(data) == []


def test_national_tabular_sample_for_one_buyer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    options = ImportOptions(acheteur="24590042800013")
    s = import_files([reference_file(TABULAR)], data, options).summary
    assert labelled(s, "kept", "other_buyers", "read") == {
        "kept": 22,
        "other_buyers": 393,
        "read": 415,
    }
    assert {r["acheteur_id"] for r in read_csv(data / "marches.csv")} == {"24590042800013"}
    assert 'nom: "COMMUNAUTE URBAINE DE DUNKERQUE"' in (data / "editeur.yaml").read_text("utf-8")
    assert errors(data) == []


def test_in_house_export_with_the_example_mapping(tmp_path: Path) -> None:
    data = tmp_path / "data"
    mapping = ROOT / "exemples" / "correspondance-export-interne.yaml"
    s = import_files([reference_file(BRETAGNE)], data, ImportOptions(mapping=mapping)).summary
    counts = {"read": 195, "kept": 195, "imported": 191, "rejected_records": 0}
    assert labelled(s, *counts) == counts
    assert total(data) == Decimal("17765139.86")
    first = read_csv(data / "marches.csv")[0]
    values = {
        "uid": "23350001600040202190006",
        "montant": "14700",
        "dateNotification": "2021-01-01",
        "lieuExecution_typeCode": "Code région",
        "modalitesExecution": "Marchés subséquents",
        "typesPrix": "Définitif révisable",
    }
    assert labelled(first, *values) == values
    assert {r["titulaire_typeIdentifiant"] for r in read_csv(data / "marches-titulaires.csv")} == {
        "SIRET"
    }
    editeur = (data / "editeur.yaml").read_text("utf-8")
    assert 'nom: "Région Bretagne"' in editeur
    assert 'code: "53"' in editeur
    assert errors(data) == []


@pytest.mark.parametrize(
    ("name", "imported", "concessions", "amounts", "durations"),
    [
        (OFFICIAL[0], 1, 0, ("575000", "123457.87"), ("48", "12")),
        (OFFICIAL[1], 1, 2, ("575000", "123457.87"), ("48", "12")),
        (OFFICIAL[4], 1, 0, ("575000", "575000"), ("48", "48")),
    ],
)
def test_official_examples_with_contracts(
    tmp_path: Path,
    name: str,
    imported: int,
    concessions: int,
    amounts: tuple[str, str],
    durations: tuple[str, str],
) -> None:
    """Notified at 575 000 € for 48 months; the modification of the JSON examples sets
    123 457,87 € and 12 months: both are kept."""
    data = tmp_path / "data"
    s = import_files([reference_file(name)], data).summary
    assert (s.imported, s.concessions) == (imported, concessions)
    row = read_csv(data / "marches.csv")[0]
    assert (row["montant"], row["montantActuel"]) == amounts
    assert (row["dureeMois"], row["dureeMoisActuelle"]) == durations
    initial = [
        r for r in read_csv(data / "marches-titulaires.csv") if r["titulaireInitial"] == "true"
    ]
    assert [r["titulaire_id"] for r in initial] == ["55204599900869"]
    assert errors(data) == []


@pytest.mark.parametrize("name", [OFFICIAL[2], OFFICIAL[3], OFFICIAL[5], OFFICIAL[6]])
def test_official_concession_examples_are_counted_not_dropped(tmp_path: Path, name: str) -> None:
    result = import_files([reference_file(name)], tmp_path / "data")
    assert (result.summary.imported, result.written) == (0, False)
    assert result.summary.concessions == result.summary.read >= 1
    assert not (tmp_path / "data").exists()


@pytest.mark.slow
def test_every_official_example_imports_validates_and_builds(tmp_path: Path) -> None:
    data = tmp_path / "data"
    s = import_files([reference_file(name) for name in OFFICIAL], data).summary
    assert s.read == s.imported + s.rejected_records + s.duplicates + s.concessions
    assert (s.imported, s.concessions) == (2, 10)
    assert errors(data) == []
    result = build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
    assert result.report.errors == 0
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("name", [SAMPLE_2019, TABULAR, BRETAGNE])
def test_real_samples_build(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    mapping = ROOT / "exemples" / "correspondance-export-interne.yaml" if name == BRETAGNE else None
    import_files([reference_file(name)], data, ImportOptions(mapping=mapping))
    result = build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
    assert result.report.errors == 0
    assert (tmp_path / "site" / "donnees" / "marches.csv").is_file()

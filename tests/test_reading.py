"""Input robustness: every bad file is generated as bytes here and must give a precise problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from achats_ouverts.datafolder import schemas
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Limits
from achats_ouverts.validation import reading, validate
from tests.fixtures.companies import LA_POSTE
from tests.fixtures.folders import CONTRACT, contract
from tests.fixtures.labels import Located, projection

FIELDS = schemas.dataset("marches").field_names


def marches_bytes(
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: list[str] | None = None,
    newline: str = "\n",
) -> bytes:
    names = header or list(FIELDS)
    lines = [delimiter.join(names)]
    for row in rows:
        cells = [row.get(name, "") for name in FIELDS][: len(names)]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c or '"' in c else c for c in cells))
    return (newline.join(lines) + newline).encode(encoding)


def problems(data_dir: Path, content: bytes, limits: Limits | None = None) -> list[Located]:
    (data_dir / "marches.csv").write_bytes(content)
    report = validate(data_dir, limits, calculations=REGISTRY).report
    return projection(report.sorted())


def codes(found: list[Located]) -> set[str]:
    return {item.code for item in found}


def test_clean_folder_has_no_problem(data_dir: Path) -> None:
    assert validate(data_dir, calculations=REGISTRY).report.problems == []


def test_utf8_bom_is_accepted(data_dir: Path) -> None:
    assert problems(data_dir, b"\xef\xbb\xbf" + marches_bytes([CONTRACT])) == []


def test_whole_windows_1252_file_is_read_with_a_notice(data_dir: Path) -> None:
    content = marches_bytes(
        [contract(objet="Entretien des espaces verts – lycée Éluard")], encoding="cp1252"
    )
    (data_dir / "marches.csv").write_bytes(content)
    result = validate(data_dir, calculations=REGISTRY)
    assert [(p.file, p.code) for p in result.report.problems] == [
        ("marches.csv", "encodage-windows-1252")
    ]
    assert result.ok
    frame = result.tables["marches"].frame
    assert frame is not None
    assert frame["objet"].iloc[0] == "Entretien des espaces verts – lycée Éluard"


def test_mixed_encodings_are_rejected_with_the_line(data_dir: Path) -> None:
    good = marches_bytes([contract(objet="Lycée Éluard")])
    bad_line = marches_bytes(
        [contract(id="20240002", objet="Lycée Hugo")], encoding="cp1252"
    ).split(b"\n")[1]
    found = problems(data_dir, good + bad_line + b"\n")
    assert ("marches.csv", 3, None, "encodage-mixte") in found


@pytest.mark.parametrize(
    ("delimiter", "name"), [(";", "point-virgule"), ("\t", "tabulation"), ("|", "barre")]
)
def test_delimiter_is_sniffed_and_reported(data_dir: Path, delimiter: str, name: str) -> None:
    (data_dir / "marches.csv").write_bytes(marches_bytes([CONTRACT], delimiter=delimiter))
    report = validate(data_dir, calculations=REGISTRY).report
    assert report.ok
    assert [(p.code, name in p.message) for p in report.problems] == [("separateur-detecte", True)]


def test_crlf_and_quoted_multiline_cells_are_read(data_dir: Path) -> None:
    content = marches_bytes([contract(objet="Ligne 1\nLigne 2")], newline="\r\n").replace(
        b"Ligne 1\nLigne 2", b'"Ligne 1\nLigne 2"'
    )
    assert problems(data_dir, content) == []


@pytest.mark.parametrize("amount", ["1 234,56", "1\u00a0234,56", "12\u202f000,5", "1234,56"])
def test_french_numbers_are_rejected_with_the_decimal_point_hint(
    data_dir: Path, amount: str
) -> None:
    (data_dir / "marches.csv").write_bytes(marches_bytes([contract(montant=amount)]))
    report = validate(data_dir, calculations=REGISTRY).report
    assert [(p.row, p.field, p.code) for p in report.problems] == [(2, "montant", "type-error")]
    assert "le séparateur décimal est le point" in report.problems[0].message
    expected = amount.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    assert f"« {expected} »" in report.problems[0].fix


def test_french_dates_are_rejected_with_the_iso_form(data_dir: Path) -> None:
    (data_dir / "marches.csv").write_bytes(marches_bytes([contract(dateNotification="12/03/2024")]))
    report = validate(data_dir, calculations=REGISTRY).report
    assert [(p.row, p.field, p.code) for p in report.problems] == [
        (2, "dateNotification", "type-error")
    ]
    assert report.problems[0].fix == "écrire « 2024-03-12 » (année-mois-jour)"


@pytest.mark.parametrize("value", ["2024-3-1", "2024-03-01T00:00:00", "2024-03-01+01:00", "45352"])
def test_dates_must_be_strict_iso(data_dir: Path, value: str) -> None:
    found = problems(data_dir, marches_bytes([contract(dateNotification=value)]))
    assert found == [("marches.csv", 2, "dateNotification", "type-error")]


@pytest.mark.parametrize(
    "siret", ["2.0005374200017E+13", "2000537420001", "200 053 742 00017", "20005374200018"]
)
def test_sirets_damaged_by_a_spreadsheet_are_rejected(data_dir: Path, siret: str) -> None:
    found = problems(
        data_dir, marches_bytes([contract(acheteur_id=siret, uid="x" + CONTRACT["uid"])])
    )
    assert ("marches.csv", 2, "acheteur_id", "siret-invalide") in found
    assert ("marches.csv", 2, "acheteur_id", "constraint-error") not in found


def test_la_poste_sirets_pass_despite_luhn(data_dir: Path) -> None:
    from stdnum.fr import siret

    assert siret.is_valid(LA_POSTE)
    row = contract(acheteur_id=LA_POSTE, uid=LA_POSTE + CONTRACT["id"])
    found = problems(data_dir, marches_bytes([row]))
    assert "siret-invalide" not in codes(found)


def test_duplicated_header_is_named(data_dir: Path) -> None:
    header = [*FIELDS[:-1], "objet"]
    found = problems(data_dir, marches_bytes([CONTRACT], header=header))
    assert ("marches.csv", 1, "objet", "en-tete-duplique") in found
    # frictionless cannot match the columns
    assert ("marches.csv", None, None, "en-tete-non-verifiable") in found


def test_misspelled_header_gets_a_did_you_mean(data_dir: Path) -> None:
    header = ["objte" if name == "objet" else name for name in FIELDS]
    (data_dir / "marches.csv").write_bytes(marches_bytes([CONTRACT], header=header))
    report = validate(data_dir, calculations=REGISTRY).report
    wrong = [p for p in report.problems if p.code == "en-tete-inconnu"]
    assert [(p.row, p.field) for p in wrong] == [(1, "objte")]
    assert "vouliez-vous dire « objet »" in wrong[0].fix
    assert ("marches.csv", 1, "objet", "colonne-manquante") in report.projection()


def test_blank_rows_in_the_middle_are_errors_and_trailing_ones_warnings(data_dir: Path) -> None:
    content = (
        marches_bytes([CONTRACT])
        + b"\n"
        + marches_bytes([contract(id="20240002")]).split(b"\n", 1)[1]
    )
    content += b",,,\n\n"
    found = problems(data_dir, content)
    assert ("marches.csv", 3, None, "blank-row") in found
    assert ("marches.csv", 5, None, "ligne-vide-finale") in found
    assert ("marches.csv", 6, None, "ligne-vide-finale") in found


@pytest.mark.parametrize("token", ["#N/A", "#VALEUR!", "#REF!", "#DIV/0!"])
def test_spreadsheet_error_tokens_are_rejected(data_dir: Path, token: str) -> None:
    found = problems(data_dir, marches_bytes([contract(objet=token, montant=token)]))
    assert ("marches.csv", 2, "objet", "valeur-erreur-tableur") in found
    assert ("marches.csv", 2, "montant", "valeur-erreur-tableur") in found
    assert ("marches.csv", 2, "montant", "type-error") not in found


def test_control_characters_are_rejected(data_dir: Path) -> None:
    found = problems(data_dir, marches_bytes([contract(objet="Lycée\x07 Hugo")]))
    assert found == [("marches.csv", 2, "objet", "caractere-controle")]


def test_text_na_stays_text(data_dir: Path) -> None:
    (data_dir / "marches.csv").write_bytes(marches_bytes([contract(objet="NA")]))
    result = validate(data_dir, calculations=REGISTRY)
    assert result.ok
    frame = result.tables["marches"].frame
    assert frame is not None
    assert frame["objet"].tolist() == ["NA"]


def test_identifiers_keep_their_leading_zeros(data_dir: Path) -> None:
    (data_dir / "marches.csv").write_bytes(marches_bytes([contract(lieuExecution_code="02691")]))
    frame = validate(data_dir, calculations=REGISTRY).tables["marches"].frame
    assert frame is not None
    assert frame["lieuExecution_code"].tolist() == ["02691"]


def test_file_size_limit(data_dir: Path) -> None:
    found = problems(data_dir, marches_bytes([CONTRACT]), Limits(max_bytes=100))
    assert ("marches.csv", None, None, "fichier-trop-gros") in found


def test_row_limit(data_dir: Path) -> None:
    rows = [contract(id=f"2024{i:04d}") for i in range(5)]
    found = problems(data_dir, marches_bytes(rows), Limits(max_rows=3))
    assert ("marches.csv", 5, None, "trop-de-lignes") in found


def test_cell_length_limit(data_dir: Path) -> None:
    found = problems(
        data_dir, marches_bytes([contract(objet="x" * 500)]), Limits(max_cell_chars=200)
    )
    assert ("marches.csv", 2, None, "cellule-trop-longue") in found


def test_empty_file_and_missing_file(data_dir: Path) -> None:
    (data_dir / "services.csv").write_bytes(b"")
    (data_dir / "titulaires.csv").unlink()
    found = validate(data_dir, calculations=REGISTRY).report.projection()
    assert ("services.csv", None, None, "fichier-vide") in found
    assert ("titulaires.csv", None, None, "fichier-absent") in found


def test_ragged_rows_are_reported(data_dir: Path) -> None:
    content = marches_bytes([CONTRACT]).rstrip(b"\n") + b",extra\n"
    found = problems(data_dir, content)
    assert ("marches.csv", 2, None, "extra-cell") in found


def test_columns_outside_the_schema_are_ignored_and_unnamed_ones_refused(data_dir: Path) -> None:
    header = [*FIELDS, "remarques", ""]
    found = problems(data_dir, marches_bytes([CONTRACT], header=header))
    assert ("marches.csv", 1, "remarques", "colonne-ignoree") in found
    assert ("marches.csv", 1, None, "en-tete-vide") in found


def test_bytes_neither_utf8_nor_windows_1252_are_refused_with_the_line(data_dir: Path) -> None:
    content = marches_bytes([CONTRACT], encoding="cp1252").replace(b"Travaux", b"Trav\x81ux")
    found = problems(data_dir, content)
    assert ("marches.csv", 2, None, "encodage-inconnu") in found


def test_a_delimiter_that_cannot_be_chosen_is_refused(data_dir: Path) -> None:
    found = problems(data_dir, b"uid;id,objet\n1;2,3\n4,5;6\n")
    assert ("marches.csv", 1, None, "separateur-ambigu") in found


def test_a_record_the_csv_reader_cannot_read_is_refused(data_dir: Path) -> None:
    content = marches_bytes([contract(objet="x" * 140_000)])
    found = problems(data_dir, content, Limits(max_cell_chars=10))
    assert ("marches.csv", 2, None, "csv-illisible") in found


def test_a_header_or_a_row_wider_than_the_limit_stops_the_reading(data_dir: Path) -> None:
    """One error, at once, instead of one per missing cell of every row (tiny in-process cases
    of what `tests/test_hostile.py` measures on large files)."""
    extra = [f"extra{i}" for i in range(reading.MAX_COLUMNS + 1 - len(FIELDS))]
    found = problems(data_dir, marches_bytes([CONTRACT], header=[*FIELDS, *extra]))
    assert found == [("marches.csv", 1, None, "trop-de-colonnes")]
    wide = marches_bytes([CONTRACT]) + b"," * reading.MAX_COLUMNS + b"\n"
    found = problems(data_dir, wide)
    assert found == [("marches.csv", 3, None, "ligne-trop-large")]

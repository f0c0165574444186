"""Hostile and unlucky input: bounded time and memory, a French line for each user mistake.

The cases that used to take gigabytes or never end run the command in a subprocess with an
address-space limit and a generous timeout, so that a regression fails instead of swapping.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from achats_ouverts.datafolder import load_publisher, schemas, yaml_safe
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.report import Problem
from achats_ouverts.validation import validate
from tests.fixtures import hostile
from tests.fixtures.companies import REGION_BUYER
from tests.fixtures.folders import make_data_dir
from tests.fixtures.labels import labelled
from tests.fixtures.paths import ROOT

MEMORY_LIMIT = 1 << 30
"""1 GiB of address space: validating the demonstration folder needs less than half."""


def problems_of(data: Path) -> list[Problem]:
    return validate(data, calculations=REGISTRY).report.problems


def run_limited(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`achats-ouverts ARGS` in a subprocess limited to MEMORY_LIMIT of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "achats_ouverts", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        preexec_fn=limit,
        check=False,
    )


# --- import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [30_000, 100_000])
def test_deeply_nested_json_is_refused_within_bounds(tmp_path: Path, depth: int) -> None:
    """60 KB of nested arrays took 2.3 GB; 200 KB exhausted the machine."""
    source = hostile.nested_json(tmp_path / "imbrique.json", depth)
    done = run_limited("import", str(source), "-o", str(tmp_path / "sortie"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "Erreur : imbrique.json : JSON imbriqué sur plus de 64 niveaux : ce ne sont pas des "
        "DECP ; import annulé, rien n'a été écrit\n"
    )
    assert not (tmp_path / "sortie").exists()
    assert not list(tmp_path.glob(".sortie.import-*"))


def test_a_record_larger_than_the_bound_is_refused(tmp_path: Path) -> None:
    source = hostile.wide_record_json(tmp_path / "gros.json", 12)
    done = run_limited("import", str(source), "-o", str(tmp_path / "sortie"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "plus de 8 Mo sans un marché complet" in done.stderr


def test_nesting_is_followed_across_chunks_strings_and_escapes() -> None:
    from achats_ouverts.importing.bounds import JsonNesting
    from achats_ouverts.importing.sources import FileUnreadable

    text = b'{"a": "x\\\\\\"[[[", "b": [[1, {"c": "]]\\\\"}]], "d": "\\\\"}'
    for size in (1, 2, 3, 5, 64):
        nesting = JsonNesting("f", limit=4)
        for start in range(0, len(text), size):
            nesting.feed(text[start : start + size])
        assert labelled(nesting, "depth", "in_string") == {"depth": 0, "in_string": False}, size
    nesting = JsonNesting("f", limit=4)
    nesting.feed(b'[[[["[[[[[[", 1]]]]')  # brackets in strings do not count
    with pytest.raises(FileUnreadable):
        nesting.feed(b"[[[[[]]]]]")


def test_a_header_row_past_the_end_of_the_file_does_not_hang(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text(f"Numéro,SIRET acheteur\n1,{REGION_BUYER}\n", encoding="utf-8")
    mapping = hostile.mapping_past_the_end(tmp_path / "correspondance.yaml", 10**12)
    done = run_limited(
        "import", str(source), "--mapping", str(mapping), "-o", "sortie", cwd=tmp_path, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == (
        "Erreur : export.csv : ligne_entete vaut 1000000000000 mais le fichier s'arrête à la "
        "ligne 2 : corriger ligne_entete dans le fichier de correspondance\n"
    )


# --- configuration files -------------------------------------------------------------------------


def publisher_problems(data: Path, text: str) -> list[str]:
    (data / "editeur.yaml").write_text(hostile.publisher_with(text), encoding="utf-8")
    publisher, problems = load_publisher(data)
    assert publisher is None
    return [p.line() for p in problems]


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """Nine levels of nine aliases: 387 million values once expanded (took 1.3 GB and 25 s for
    seven levels, never ended for eight)."""
    data = make_data_dir(tmp_path / "data")
    (data / "editeur.yaml").write_text(
        hostile.publisher_with(hostile.alias_bomb(9)), encoding="utf-8"
    )
    done = run_limited("validate", str(data), cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert done.stdout.startswith(
        "editeur.yaml:53 [yaml-alias-excessifs] les alias (« *nom ») donnent plus de 200000 "
        "valeurs une fois recopiés — recopier les valeurs au lieu d'alias imbriqués\n"
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "x: &a [*a]\n",
            "editeur.yaml:47 [yaml-alias-recursif] un alias (« *nom ») désigne une valeur qui le "
            "contient — supprimer l'alias récursif",
        ),
        (
            "? [a, b]\n: 1\n",
            "editeur.yaml:47 [yaml-cle-complexe] une clé est une liste ou un ensemble de champs "
            "— écrire une clé simple avant les deux-points (« nom: valeur »)",
        ),
        (
            "x: !!python/name:os.system\n",
            "editeur.yaml:47 [yaml-etiquette-interdite] étiquette YAML « "
            "!!python/name:os.system » non autorisée — écrire une valeur simple (texte, nombre, "
            "liste ou champs « nom: valeur »)",
        ),
        (
            "b: &b {u: 1}\nc:\n  <<: *b\n",
            "editeur.yaml:49 [yaml-etiquette-interdite] « !!merge » non autorisé (fusion « << » "
            "ou type particulier) — écrire les valeurs en entier, sans « << »",
        ),
        (
            "z: " + "[" * 40 + "]" * 40 + "\n",
            "editeur.yaml:47 [yaml-trop-profond] plus de 32 niveaux d'imbrication — simplifier "
            "la structure du fichier",
        ),
        (
            "d: 2024-02-30\n",
            "editeur.yaml:47 [valeur-illisible] « 2024-02-30 » est illisible (ValueError) — "
            "écrire la valeur entre guillemets pour en faire un texte, ou la corriger",
        ),
    ],
)
def test_yaml_beyond_plain_values_is_refused(tmp_path: Path, extra: str, expected: str) -> None:
    data = make_data_dir(tmp_path / "data")
    assert publisher_problems(data, extra) == [expected]


def test_something_else_than_a_file_in_place_of_the_configuration(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    target = data / "editeur.yaml"
    target.unlink()
    target.mkdir()
    folder = "editeur.yaml [fichier-non-ordinaire] c'est un dossier, pas un fichier texte — "
    special = "editeur.yaml [fichier-non-ordinaire] c'est un fichier spécial, pas un fichier texte"
    assert [p.line() for p in load_publisher(data)[1]] == [
        folder + "mettre à cet endroit le fichier YAML lui-même"
    ]
    target.rmdir()
    os.mkfifo(target)  # reading it would block forever
    assert load_publisher(data)[1][0].line().startswith(special)
    target.unlink()
    target.symlink_to("/dev/zero")  # reading it would never end
    assert load_publisher(data)[1][0].line().startswith(special)
    target.unlink()
    target.write_bytes(b"nom: x\n" + b"#" * yaml_safe.MAX_BYTES)
    assert [p.code for p in load_publisher(data)[1]] == ["fichier-trop-gros"]


def test_validate_reports_a_fifo_in_french_and_ends(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    (data / "politique.yaml").unlink()
    os.mkfifo(data / "politique.yaml")
    done = run_limited("validate", str(data), cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert "politique.yaml [fichier-non-ordinaire]" in done.stdout
    assert "Erreur interne" not in done.stderr


# --- CSV width ------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [4, 300])
def test_extra_header_names_are_ignored_with_one_warning_each(tmp_path: Path, extra: int) -> None:
    """They used to give an English frictionless `error` on three untouched files."""
    data = make_data_dir(tmp_path / "data")
    hostile.wide_header_csv(data / "marches.csv", extra)
    result = validate(data, calculations=REGISTRY)
    assert result.engine == "compiled"
    assert result.report.counts_by_code() == [("avertissement", "colonne-ignoree", extra)]
    frame = result.tables["marches"].frame
    assert frame is not None
    assert frame.columns.tolist() == list(result.tables["marches"].dataset.field_names)


def test_too_many_header_names_is_one_error(tmp_path: Path) -> None:
    """1 000 extra names on the demonstration gave 2.7 million errors, 187 s and 6 GB."""
    data = make_data_dir(tmp_path / "data")
    hostile.wide_header_csv(data / "marches.csv", 1_000_000)
    done = run_limited("validate", str(data), cwd=tmp_path)
    assert done.returncode == 1
    columns = 1_000_000 + len(schemas.dataset("marches").fields)
    assert done.stdout.splitlines()[0] == (
        f"marches.csv:1 [trop-de-colonnes] l'en-tête a {columns} colonnes, plus que la limite de "
        "500 — ne garder que les colonnes du schéma (un séparateur mal détecté peut aussi en être "
        "la cause)"
    )


@pytest.mark.parametrize("after_data", [False, True])
def test_a_row_of_commas_is_one_error(tmp_path: Path, after_data: bool) -> None:
    """9 MB of commas after a row's cells took 3.6 GB (one error per extra cell)."""
    data = make_data_dir(tmp_path / "data")
    hostile.comma_row_csv(data / "marches.csv", 9, after_data)
    cells = (9 << 20) + (len(schemas.dataset("marches").fields) if after_data else 1)
    done = run_limited("validate", str(data), cwd=tmp_path)
    assert done.returncode == 1
    assert f"marches.csv:3 [ligne-trop-large] la ligne a {cells} cellules" in done.stdout


def test_counts_stay_complete_when_details_are_bounded() -> None:
    from achats_ouverts.datafolder.problem_codes.files import CONSTRAINT_ERROR, TYPE_ERROR
    from achats_ouverts.report import Report

    report = Report(detail_limit=3)
    report.extend(TYPE_ERROR.problem("f.csv", row, "x", "m") for row in range(10))
    report.extend([CONSTRAINT_ERROR.problem("f.csv", 1, "y", "m")])
    assert len(report.problems) == 4
    assert report.errors == 11
    assert report.counts_by_code() == [
        ("erreur", "constraint-error", 1),
        ("erreur", "type-error", 10),
    ]
    assert report.as_dict()["problemes_non_detailles"] == 7
    assert "… 7 autres problèmes comptés mais non détaillés (au-delà de 3 par code)." in (
        report.to_text()
    )


# --- messages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_get_a_french_line(tmp_path: Path, encoding: str) -> None:
    """They were read as Windows-1252, with NUL bytes in the column names."""
    data = make_data_dir(tmp_path / "data")
    text = (data / "marches.csv").read_text(encoding="utf-8")
    (data / "marches.csv").write_bytes(text.encode(encoding))
    found = [p.line() for p in problems_of(data) if p.file == "marches.csv"]
    assert found == [
        "marches.csv [encodage-utf16] le fichier est en UTF-16 (« Texte Unicode » des tableurs) "
        "— l'enregistrer en « CSV UTF-8 (délimité par des virgules) »"
    ]


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    with (data / "marches.csv").open("ab") as handle:
        handle.write(b"a\x00b\n")
    found = [p for p in problems_of(data) if p.file == "marches.csv"]
    assert [(p.row, p.code) for p in found] == [(3, "octet-nul")]


def test_terminal_control_sequences_from_the_data_are_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from achats_ouverts.cli import run

    hostile_text = "Lycée\x1b]0;pirate\x07\x1b[2J\x9b31m"
    data = make_data_dir(tmp_path / "data")
    header, _, body = (data / "marches.csv").read_text(encoding="utf-8").partition("\n")
    (data / "marches.csv").write_text(f"{header},{hostile_text}\n{body}", encoding="utf-8")
    for output_format in ("texte", "json"):
        code = run(["validate", str(data), "--format", output_format])
        out, err = capsys.readouterr()
        assert code == 0
        assert not any(0x00 <= ord(c) < 0x20 and c not in "\n\t" for c in out + err)
        assert not any(0x7F <= ord(c) <= 0x9F for c in out + err)
        if output_format == "json":
            found = json.loads(out)
            assert any(hostile_text in p["message"] for p in found["problemes"])
        else:
            assert "\\x1b]0;pirate\\x07\\x1b[2J\\x9b31m" in out


def test_a_full_disk_is_a_user_message_not_an_internal_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import importlib

    from achats_ouverts.cli import run

    build_module = importlib.import_module("achats_ouverts.building.build")
    data = make_data_dir(tmp_path / "data")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "site"))

    monkeypatch.setattr(build_module, "publish", full)
    code = run(["build", str(data), "-o", str(tmp_path / "site")])
    _, err = capsys.readouterr()
    assert code == 1
    assert err == (
        f"Erreur : écriture ou lecture impossible (disque plein) : {tmp_path / 'site'} — libérer "
        "de la place ou choisir un dossier accessible en écriture, puis relancer ; rien n'a été "
        "publié\n"
    )


def test_an_internal_error_says_it_is_a_bug_and_what_to_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from achats_ouverts import __version__, cli

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("défaut")

    monkeypatch.setattr(cli, "validate", broken)
    data = make_data_dir(tmp_path / "data")
    assert cli.run(["validate", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"Erreur interne d'achats-ouverts {__version__} (un défaut de l'outil, pas de vos "
        "données) : RuntimeError: défaut — relancer la même commande avec --verbose et signaler "
        "le détail affiché aux mainteneurs de l'outil\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--nope"], "Erreur : option inconnue : '--nope'."),
        (["valdate"], "Erreur : commande inconnue : 'valdate'. Vouliez-vous dire 'validate' ?"),
        (["import"], "Erreur : argument manquant 'FILES...'."),
        (
            ["validate", "--limite", "-3"],
            "Erreur : valeur invalide pour '--limite' : -3 est hors de l'intervalle x>=0.",
        ),
        (["validate", "a", "b"], "Erreur : argument en trop (b)"),
    ],
)
def test_usage_errors_are_in_french(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    from achats_ouverts.cli import run

    assert run(args) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("Utilisation : achats-ouverts")
    assert lines[1].startswith("Aide : « achats-ouverts")
    assert lines[2] == message


# --- what validate accepts, build publishes -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"montant": "Infinity"}, "nombre-non-standard"),
        ({"montant": "1e309"}, "nombre-non-standard"),
        ({"montant": "1" * 26}, "nombre-non-standard"),
        ({"montant": "1_000"}, "nombre-non-standard"),
        ({"montant": "١٢٣"}, "nombre-non-standard"),
        ({"montant": "１２３"}, "nombre-non-standard"),
        ({"montant": "NaN"}, "nombre-non-standard"),
        ({"tauxAvance": "1e-1"}, "nombre-non-standard"),
        ({"offresRecues": "9" * 20}, "entier-non-standard"),
        ({"offresRecues": "1_000"}, "entier-non-standard"),
        ({"dureeMois": "5000"}, "valeur-implausible"),
        ({"dateNotification": "2107-01-01"}, "valeur-implausible"),
        ({"dateNotification": "9999-12-31"}, "valeur-implausible"),
        ({"dateNotification": "0001-01-01"}, "valeur-implausible"),
        ({"datePublicationDonnees": "２０２４-03-20"}, "type-error"),
    ],
)
def test_values_frictionless_takes_but_build_cannot_publish_are_refused(
    tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    from tests.fixtures.folders import contract, linked

    data = make_data_dir(tmp_path / "data", **linked([contract(**changes)]))
    field = next(iter(changes))
    found = [p.code for p in problems_of(data) if p.field == field]
    assert expected in found
    assert len([c for c in found if c in (expected, "type-error", "constraint-error")]) == 1


def test_a_lone_carriage_return_in_quoted_text_is_refused(tmp_path: Path) -> None:
    """validate accepted it, then build refused with « lignes-perdues »."""
    data = make_data_dir(tmp_path / "data")
    header, _, body = (data / "marches.csv").read_text(encoding="utf-8").partition("\n")
    objet = "Rénovation de la demi-pension du lycée"
    assert objet in body
    body = body.replace(objet, '"Rénovation\rde la demi-pension"')
    (data / "marches.csv").write_text(f"{header}\n{body}", encoding="utf-8", newline="")
    found = [(p.row, p.field, p.code) for p in problems_of(data)]
    assert found == [(2, "objet", "retour-chariot-seul")]


@pytest.mark.parametrize("url", ["https://ex.fr/{x}/", "https://ex.fr/a^b/", "https://ex.fr\\a/"])
def test_a_site_address_with_unsafe_characters_is_refused(tmp_path: Path, url: str) -> None:
    data = make_data_dir(tmp_path / "data")
    text = (data / "editeur.yaml").read_text(encoding="utf-8")
    lines = [
        f"url_site: {json.dumps(url)}" if line.startswith("url_site:") else line
        for line in text.splitlines()
    ]
    (data / "editeur.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [p.code for p in load_publisher(data)[1] if p.field == "url_site"] == ["url-invalide"]


def test_deeply_nested_xml_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "imbrique.xml"
    source.write_text("<marches><marche>" + "<a>" * 5000 + "</a>" * 5000 + "</marche></marches>")
    done = run_limited("import", str(source), "-o", str(tmp_path / "sortie"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "Erreur : imbrique.xml : XML imbriqué sur plus de 64 niveaux ; import annulé, rien n'a "
        "été écrit\n"
    )

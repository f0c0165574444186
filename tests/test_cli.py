"""The command line: exit codes, and the exact text of each kind of message once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from achats_ouverts.cli import run
from tests.fixtures.folders import contract, linked, make_data_dir
from tests.fixtures.paths import ROOT


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_folder(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = cli(capsys, "validate", str(data_dir))
    assert code == 0
    assert (
        out
        == "0 erreur(s), 0 avertissement(s), 0 information(s) sur 4 ligne(s) dans 7 fichier(s).\n"
    )


def test_validate_errors_exit_1_with_the_fix_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = make_data_dir(tmp_path / "d", marches=[contract(montant="12,5")])
    code, out, _ = cli(capsys, "validate", str(data))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "marches.csv:2 montant [type-error] « 12,5 » n'est pas un nombre : le séparateur décimal "
        "est le point — écrire « 12.5 » (point décimal, sans séparateur de milliers)"
    )
    assert lines[1] == (
        "1 erreur(s), 0 avertissement(s), 0 information(s) sur 4 ligne(s) dans 7 fichier(s)."
    )
    assert lines[2] == "        1 erreur [type-error]"


def test_warnings_only_exit_0_and_errors_come_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [contract(montant="1000"), contract(id="20240002", dateNotification="2024-13-01")]
    data = make_data_dir(tmp_path / "d", **linked(rows))
    code, out, _ = cli(capsys, "validate", str(data))
    assert code == 1
    assert out.splitlines()[0].startswith("marches.csv:3 dateNotification [type-error]")
    assert "[montant-sous-seuil]" in out.splitlines()[1]
    data = make_data_dir(tmp_path / "e", marches=[contract(montant="1000")])
    code, out, _ = cli(capsys, "validate", str(data))
    assert code == 0
    assert out.splitlines()[0] == (
        "marches.csv:2 montant [montant-sous-seuil] 1000 € HT est sous le seuil de publication "
        "des DECP en vigueur à la notification (40\u202f000\xa0€ HT depuis le 1er janvier 2020) "
        "— vérifier le montant (oubli d'un zéro, montant TTC ou mensuel ?) ; si l'acheteur "
        "publie exprès ses petits marchés, l'indiquer dans editeur.yaml "
        "(marches_sous_seuil_publies: true)"
    )


def test_shortened_list_keeps_complete_counts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [contract(id=f"2024{i:04d}", montant="x") for i in range(30)]
    data = make_data_dir(tmp_path / "d", **linked(rows))
    code, out, _ = cli(capsys, "validate", str(data), "--limite", "5")
    assert code == 1
    assert "… 25 autres problèmes non affichés" in out
    assert "       30 erreur [type-error]" in out


def test_json_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "d", marches=[contract(montant="12,5")])
    code, out, _ = cli(capsys, "validate", str(data), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["erreurs"] == 1
    assert report["problemes"][0] == {
        "fichier": "marches.csv",
        "ligne": 2,
        "champ": "montant",
        "code": "type-error",
        "gravite": "erreur",
        "message": "« 12,5 » n'est pas un nombre : le séparateur décimal est le point",
        "correction": "écrire « 12.5 » (point décimal, sans séparateur de milliers)",
    }


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "validate", str(tmp_path / "absent"))
    assert code == 2
    assert err == f"Erreur : « {tmp_path / 'absent'} » n'est pas un dossier de données\n"
    code, _, err = cli(capsys, "validate", "--format", "xml")
    assert code == 2
    assert err == (
        "Utilisation : achats-ouverts validate [OPTIONS] [DATA_DIR]\n"
        "Aide : « achats-ouverts validate -h ».\n"
        "Erreur : valeur invalide pour '--format' : 'xml' n'est pas l'une des valeurs 'texte', "
        "'json'.\n"
    )


def test_build_refuses_invalid_data_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = make_data_dir(tmp_path / "d", marches=[contract(dateNotification="12/03/2024")])
    code, out, err = cli(capsys, "build", str(data), "-o", str(tmp_path / "site"))
    assert code == 1
    assert out.startswith("marches.csv:2 dateNotification [type-error]")
    assert err == (
        "Publication annulée : des erreurs bloquent la construction ; le site précédent est "
        "conservé.\n"
    )
    assert "Traceback" not in out + err
    assert not (tmp_path / "site").exists()


def test_schemas_command_writes_a_valid_folder_skeleton(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = cli(capsys, "schemas", str(tmp_path / "new"))
    assert code == 0
    assert out == f"Schémas et datapackage.json écrits dans {tmp_path / 'new'}.\n"
    assert (tmp_path / "new" / "schemas" / "marches.json").is_file()
    assert (tmp_path / "new" / "datapackage.json").is_file()


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "achats-ouverts"), "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0
    for command in ("build", "validate", "schemas"):
        assert command in result.stdout


def test_validate_with_frictionless_prints_the_same_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [contract(id="20240001", montant="12,5"), contract(id="20240002", codeCPV="4521")]
    data = make_data_dir(tmp_path / "d", **linked(rows))
    compiled = cli(capsys, "validate", str(data), "--format", "json")
    reference = cli(capsys, "validate", str(data), "--format", "json", "--frictionless")
    assert compiled == reference
    assert compiled[0] == 1
    assert json.loads(compiled[1])["erreurs"] >= 2

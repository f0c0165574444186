"""`build` never deletes what it did not create: the output folder rules, checked first."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest

from achats_ouverts.building import guard
from achats_ouverts.cli import run
from achats_ouverts.datafolder.problem_codes.output import (
    SORTIE_DOSSIER_DONNEES,
    SORTIE_NON_PUBLIEE,
    SORTIE_PAS_UN_DOSSIER,
)
from achats_ouverts.output import urls
from achats_ouverts.settings import Settings
from tests.fixtures.folders import make_data_dir
from tests.fixtures.paths import ROOT

build_module = importlib.import_module("achats_ouverts.building.build")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dossier"
        )
        for p in sorted(folder.rglob("*"))
    }


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any validation fails the test: a refusal must come before any work."""

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("la validation a commencé avant le refus")

    monkeypatch.setattr(build_module, "validate", forbidden)


REFUSED = "Erreur : « {shown} » [{code}] {message} — {fix}\n"
ELSEWHERE = "indiquer un dossier de sortie à part, par exemple -o site"


def test_output_equal_to_the_data_folder_is_refused_and_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_work: None
) -> None:
    data = make_data_dir(tmp_path / "d")
    before = snapshot(data)
    code, out, err = cli(capsys, "build", str(data), "-o", str(data))
    assert (code, out) == (2, "")
    assert err == REFUSED.format(
        shown=data,
        code="sortie-dossier-donnees",
        message="le dossier de sortie est le dossier de données ou le contient : la "
        "publication l'effacerait",
        fix=ELSEWHERE,
    )
    assert snapshot(data) == before


def test_output_containing_the_data_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_work: None
) -> None:
    data = make_data_dir(tmp_path / "projet" / "data")
    code, _, err = cli(capsys, "build", str(data), "-o", str(tmp_path / "projet"))
    assert code == 2
    assert "[sortie-dossier-donnees]" in err
    assert (data / "marches.csv").is_file()


def test_build_data_into_the_current_folder_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_work: None,
) -> None:
    """`cd P && achats-ouverts build data -o .` used to replace P by the site."""
    project = tmp_path / "P"
    make_data_dir(project / "data")
    (project / "notes.txt").write_text("à garder", encoding="utf-8")
    before = snapshot(project)
    monkeypatch.chdir(project)
    for output in (".", "..", str(tmp_path)):
        code, _, err = cli(capsys, "build", "data", "-o", output)
        assert code == 2, output
        assert "[sortie-dossier-donnees]" in err, output  # P holds the data folder
    assert snapshot(project) == before


def test_output_equal_to_the_current_folder_or_a_parent_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_work: None,
) -> None:
    data = make_data_dir(tmp_path / "data")
    work = tmp_path / "ailleurs" / "travail"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text("à garder", encoding="utf-8")
    monkeypatch.chdir(work)
    code, _, err = cli(capsys, "build", str(data), "-o", ".")
    assert code == 2
    assert err == REFUSED.format(
        shown=".",
        code="sortie-dossier-courant",
        message="le dossier de sortie est le dossier courant ou l'un de ses parents : la "
        "publication remplacerait tout son contenu",
        fix=ELSEWHERE,
    )
    for output in ("..", str(work), str(tmp_path / "ailleurs")):
        code, _, err = cli(capsys, "build", str(data), "-o", output)
        assert code == 2, output
        assert "[sortie-dossier-courant]" in err, output
    assert (work / "notes.txt").is_file()


def test_home_and_root_are_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_work: None,
) -> None:
    data = make_data_dir(tmp_path / "data")
    home = tmp_path / "maison"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    code, _, err = cli(capsys, "build", str(data), "-o", str(home))
    assert code == 2
    assert err == REFUSED.format(
        shown=home,
        code="sortie-dossier-personnel",
        message="le dossier de sortie est le dossier personnel ou l'un de ses parents",
        fix=ELSEWHERE,
    )
    code, _, err = cli(capsys, "build", str(data), "-o", "/")
    assert code == 2
    assert err == REFUSED.format(
        shown="/",
        code="sortie-racine",
        message="la racine du système ne peut pas recevoir le site",
        fix=ELSEWHERE,
    )


def test_a_foreign_folder_or_a_file_is_refused_and_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_work: None
) -> None:
    data = make_data_dir(tmp_path / "data")
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "rapport.odt").write_bytes(b"contenu")
    code, _, err = cli(capsys, "build", str(data), "-o", str(foreign))
    assert code == 2
    assert err == REFUSED.format(
        shown=foreign,
        code="sortie-non-publiee",
        message="ce dossier n'est pas vide et n'est pas un site publié par achats-ouverts : la "
        "publication effacerait son contenu",
        fix="indiquer un dossier nouveau ou vide ; pour publier à cet endroit, le vider "
        "soi-même d'abord (voir « Fiabilité » dans le README)",
    )
    assert (foreign / "rapport.odt").read_bytes() == b"contenu"
    a_file = tmp_path / "site"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(guard.OutputRefused) as refused:  # click refuses it first on the CLI
        guard.check_output(a_file, data)
    assert refused.value.code == SORTIE_PAS_UN_DOSSIER
    assert a_file.read_text(encoding="utf-8") == "x"
    assert not list(tmp_path.glob(".achats-ouverts-*"))


def test_a_published_site_is_replaced_an_edited_one_is_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = make_data_dir(tmp_path / "data")
    out = tmp_path / "vide"
    out.mkdir()  # an empty folder is accepted
    settings = Settings(data_dir=data, output_dir=out, project_dir=ROOT)
    build_module.build(settings)
    manifest = (out / urls.MANIFEST).read_text(encoding="utf-8")
    assert guard.read_manifest(out) == sorted(
        p.name for p in out.iterdir() if p.name != urls.MANIFEST
    )
    build_module.build(settings)  # a site this tool published: replaced
    assert (out / urls.MANIFEST).read_text(encoding="utf-8") == manifest
    (out / ".git").mkdir()
    (out / "CNAME").write_text("achats.example.fr\n", encoding="utf-8")
    code, _, err = cli(capsys, "build", str(data), "-o", str(out))
    assert code == 2
    assert err == REFUSED.format(
        shown=out,
        code="sortie-modifiee",
        message="le site publié contient des éléments ajoutés depuis sa publication "
        "(« .git », « CNAME ») que la publication effacerait",
        fix="les déplacer hors du dossier du site (ou les supprimer), puis relancer",
    )
    assert (out / ".git").is_dir()
    assert (out / "CNAME").is_file()


def test_a_site_published_before_the_manifest_is_recognised(tmp_path: Path) -> None:
    site = tmp_path / "ancien"
    for name in guard.LEGACY_SIGNATURE:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("", encoding="utf-8")
    guard.check_output(site, tmp_path / "data")  # accepted
    (site / "_headers").unlink()
    with pytest.raises(guard.OutputRefused) as refused:
        guard.check_output(site, tmp_path / "data")
    assert refused.value.code == SORTIE_NON_PUBLIEE


def test_a_symlink_to_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    (tmp_path / "lien").symlink_to(data)
    with pytest.raises(guard.OutputRefused) as refused:
        guard.check_output(tmp_path / "lien", data)
    assert refused.value.code == SORTIE_DOSSIER_DONNEES

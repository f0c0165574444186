"""Building: the expected pages, atomic publication, and byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from achats_ouverts.building import build
from achats_ouverts.errors import BuildError
from achats_ouverts.postchecks import Finding
from achats_ouverts.settings import Settings
from tests.support import ROOT


def manifest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_the_foundation_pages(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT))
    for page in (
        "index.html",
        "politique-achat/index.html",
        "donnees/index.html",
        "a-propos/index.html",
        "accessibilite/index.html",
        "mentions-legales/index.html",
    ):
        assert (out / page).is_file(), page
    assert (out / "donnees" / "marches.csv").read_text(encoding="utf-8") == (
        data_dir / "marches.csv"
    ).read_text(encoding="utf-8")
    assert result.pages >= 6
    assert not list(tmp_path.glob(".achats-ouverts-*")), "staging area left behind"


def test_a_failed_check_after_pages_are_written_keeps_the_previous_site(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    settings = Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT)
    build(settings)
    before = manifest(out)
    written: list[int] = []

    def failing(site: Path) -> Iterator[Finding]:
        written.append(sum(1 for _ in site.rglob("*.html")))
        yield Finding("index.html", "test", "échec forcé")

    with pytest.raises(BuildError, match="échec forcé"):
        build(settings, extra_checks=(failing,))
    assert written, "the failing check did not run"
    assert written[0] > 5, "the failure must happen after pages are written"
    assert manifest(out) == before
    assert not list(tmp_path.glob(".achats-ouverts-*"))


def test_a_failing_mkdocs_build_keeps_the_previous_site(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT))
    before = manifest(out)
    project = tmp_path / "projet"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    (project / "site_src" / "casse.md").write_text("[lien](inexistant.md)\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    with pytest.raises(BuildError, match="MkDocs a échoué"):
        build(Settings(data_dir=data_dir, output_dir=out, project_dir=project))
    assert manifest(out) == before


def test_two_builds_are_byte_identical_across_hash_seeds(data_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [sys.executable, "-m", "achats_ouverts", "build", str(data_dir), "-o", str(out)],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        outputs.append(manifest(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 20

"""History survives the recommended deployment: the example pipelines' own commands, run twice in
clean folders (a fresh checkout each time, the second with changed data), publish a changelog that
goes on and keep the first dated version byte for byte. The « published site » is a folder served
over HTTP, replaced by what each run builds, as GitLab Pages or GitHub Pages would."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.browser import serve
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import ROOT
from tests.fixtures.pipelines import EXAMPLES, commands

BIN = Path(sys.executable).parent
SCRIPT = EXAMPLES / "restaurer_publication.py"


def checkout(folder: Path, data: Path) -> Path:
    """A clean checkout: the examples and the data folder (the tool is installed already)."""
    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLES, folder / "exemples" / "deploiement")
    shutil.copytree(data, folder / "data")
    return folder


def run_pipeline(name: str, work: Path, url: str) -> Path:
    """Run the pipeline's commands in `work` (its installation step excepted); returns the folder
    it publishes."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "URL_SITE": url,
        "SOURCE_DATE_EPOCH": "1764547200",
    }
    built = ""
    for line in commands(EXAMPLES / name):
        if line.startswith("python -m pip install"):
            continue
        if line.startswith("achats-ouverts build"):
            built = line.split("-o ")[1].split()[0]
        result = subprocess.run(
            ["bash", "-c", line.replace("python ", f"{sys.executable} ", 1)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    return work / built


def publish(built: Path, published: Path) -> None:
    """What Pages does: the published site becomes the built folder."""
    for child in published.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(built, published, dirs_exist_ok=True)


def change_an_amount(data: Path) -> None:
    path = data / "marches.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("montant")] = "987654.32"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("pipeline", ["gitlab-ci.yml", "github-actions.yml"])
def test_two_runs_of_the_pipeline_keep_the_history_and_the_first_version(
    tmp_path: Path, pipeline: str
) -> None:
    data = make_complete_data_dir(tmp_path / "data")
    published = tmp_path / "en-ligne"
    published.mkdir()
    with serve(published) as url:
        first = run_pipeline(pipeline, checkout(tmp_path / "run-1", data), url)
        publish(first, published)
        versions = sorted(p.name for p in (published / "donnees" / "versions").iterdir())
        first_version = next(v for v in versions if v != "versions.json")
        kept = {
            p.relative_to(published): p.read_bytes()
            for p in (published / "donnees" / "versions" / first_version).rglob("*")
            if p.is_file()
        }
        change_an_amount(data)
        second = run_pipeline(pipeline, checkout(tmp_path / "run-2", data), url)
        publish(second, published)
    history = json.loads((published / "donnees" / "nouveautes.json").read_text("utf-8"))
    releases = history["publications"]
    assert [r["numero"] for r in releases] == [1, 2]
    assert releases[0]["premiere"]
    assert not releases[1]["premiere"]
    assert len(releases[1]["modifies"]) == 1
    names = {r["version"] for r in releases}
    assert names <= {p.name for p in (published / "donnees" / "versions").iterdir()}
    assert len(names) == 2
    for path, body in kept.items():
        assert (published / path).read_bytes() == body, path
    feed = (published / "flux" / "nouveautes.xml").read_text("utf-8")
    assert feed.count("<entry>") == 2


def restore(url: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), url, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_restoration_refuses_an_altered_version_and_accepts_no_site(
    tmp_path: Path, demo_free_site: Path
) -> None:
    published = tmp_path / "en-ligne"
    shutil.copytree(demo_free_site, published)
    (tmp_path / "vide").mkdir()
    with serve(tmp_path / "vide") as empty:
        result = restore(empty, tmp_path / "premiere")
        assert result.returncode == 0, result.stderr
        assert "première publication" in result.stdout
        assert not any((tmp_path / "premiere").iterdir())
    with serve(published) as url:
        result = restore(url, tmp_path / "bonne")
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "bonne" / "donnees" / "nouveautes.json").is_file()
        version = next(p for p in (published / "donnees" / "versions").iterdir() if p.is_dir())
        (version / "marches.csv").write_text("uid\nfaux\n", encoding="utf-8")
        result = restore(url, tmp_path / "alteree")
    assert result.returncode == 1
    assert "empreinte SHA-256 différente" in result.stderr
    assert "marches.csv" in result.stderr


@pytest.fixture(scope="module")
def demo_free_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site built once (the complete test data, not the demonstration)."""
    from achats_ouverts.building import build
    from achats_ouverts.settings import Settings

    base = tmp_path_factory.mktemp("historique")
    out = base / "site"
    build(
        Settings(data_dir=make_complete_data_dir(base / "data"), output_dir=out, project_dir=ROOT)
    )
    return out

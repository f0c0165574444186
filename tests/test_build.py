"""Building: the expected pages, atomic publication, and byte-identical rebuilds."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from achats_ouverts.building import build
from achats_ouverts.building.postchecks import Finding
from achats_ouverts.errors import BuildError
from achats_ouverts.settings import Settings
from tests.fixtures.files import folder_digests
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import DATA, ROOT


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
    before = folder_digests(out)
    written: list[int] = []

    def failing(site: Path) -> Iterator[Finding]:
        written.append(sum(1 for _ in site.rglob("*.html")))
        yield Finding("index.html", "test", "échec forcé")

    with pytest.raises(BuildError, match="échec forcé"):
        build(settings, extra_checks=(failing,))
    assert written, "the failing check did not run"
    assert written[0] > 5, "the failure must happen after pages are written"
    assert folder_digests(out) == before
    assert not list(tmp_path.glob(".achats-ouverts-*"))


def test_a_failing_mkdocs_build_keeps_the_previous_site(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT))
    before = folder_digests(out)
    project = tmp_path / "projet"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    (project / "site_src" / "casse.md").write_text("[lien](inexistant.md)\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    with pytest.raises(BuildError, match="MkDocs a échoué"):
        build(Settings(data_dir=data_dir, output_dir=out, project_dir=project))
    assert folder_digests(out) == before


def cli_build(
    data: Path, out: Path, seed: str, prefix: tuple[str, ...] = (), keep_epoch: bool = False
) -> None:
    """Build with the CLI in another process; dates come from the data unless `keep_epoch`
    passes this process's SOURCE_DATE_EPOCH on."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    if not keep_epoch:
        env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "achats_ouverts", "build", str(data), "-o", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_two_builds_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """Every output (pages, downloads, search index, sitemap, header files), every dataset
    non-empty."""
    data = make_complete_data_dir(tmp_path / "data")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        cli_build(data, out, seed)
        outputs.append(folder_digests(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 20
    assert {"_headers", ".htaccess", "_nginx.conf", "sitemap.xml.gz"} <= set(outputs[0])


@pytest.mark.slow
def test_the_demo_site_is_byte_identical_across_hash_seeds(demo_site: Path, tmp_path: Path) -> None:
    """The session's demo site (random hash seed, in-process) against a rebuild with hash
    randomisation off, in another process."""
    out = tmp_path / "site"
    cli_build(DATA, out, "0", keep_epoch=True)
    assert folder_digests(out) == folder_digests(demo_site)


@pytest.mark.slow
def test_a_failed_demo_build_keeps_the_previous_demo_site(demo_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(demo_site, out)
    before = folder_digests(out)
    seen: list[int] = []

    def failing(site: Path) -> Iterator[Finding]:
        seen.append(sum(1 for _ in site.rglob("*.html")))
        yield Finding("index.html", "test", "échec forcé")

    with pytest.raises(BuildError, match="échec forcé"):
        build(Settings(data_dir=DATA, output_dir=out, project_dir=ROOT), extra_checks=(failing,))
    assert seen == [sum(1 for _ in out.rglob("*.html"))], "every page was written, then it failed"
    assert folder_digests(out) == before
    assert not list(tmp_path.glob(".achats-ouverts-*"))


# --- No network -----------------------------------------------------------------------------------


def network_namespace_available() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    return (
        subprocess.run([unshare, "-rn", "true"], capture_output=True, check=False).returncode == 0
    )


def test_the_build_succeeds_without_any_network(tmp_path: Path) -> None:
    """In a new network namespace (no interface but a down loopback) the CLI builds the site."""
    if not network_namespace_available():
        if os.environ.get("CI") == "true":
            pytest.fail("unshare -rn indisponible en CI : impossible de couper le réseau")
        pytest.skip("unshare -rn indisponible ; test_the_build_makes_no_connection le remplace")
    data = make_complete_data_dir(tmp_path / "data")
    out = tmp_path / "site"
    cli_build(data, out, "0", prefix=("unshare", "-rn"))
    assert (out / "index.html").is_file()
    probe = subprocess.run(
        [
            "unshare",
            "-rn",
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('1.1.1.1', 80), 2)",
        ],
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0, "the namespace still had a network"


def test_the_build_makes_no_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process: every socket connection or name lookup fails and is recorded; the build
    succeeds and none was attempted."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args)[:200])
        raise OSError("réseau interdit pendant la construction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    data = make_complete_data_dir(tmp_path / "data")
    build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
    assert attempts == []

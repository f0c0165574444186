"""Interruptions, concurrency and leftovers: Ctrl-C and SIGTERM never publish and leave nothing
behind; working folders of a killed process are removed at the next run; one build at a time per
output folder."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from achats_ouverts.building import guard
from achats_ouverts.cli import run
from achats_ouverts.datafolder import workdirs
from achats_ouverts.settings import Settings
from tests.fixtures.folders import make_data_dir
from tests.fixtures.paths import ROOT, reference_file

build_module = importlib.import_module("achats_ouverts.building.build")


@pytest.fixture(autouse=True)
def interruptible() -> Iterator[None]:
    """Ctrl-C reaches these tests even when a shell started the suite in the background (which
    starts it with SIGINT ignored, and Python then installs no KeyboardInterrupt handler)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def default_interrupt() -> None:
    """In the child, before Python starts: Ctrl-C as a terminal delivers it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition jamais remplie")
        time.sleep(0.05)


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "achats_ouverts", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_interrupt,
    )


def test_sigterm_during_a_build_publishes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    process = start("build", str(data), "-o", "site", cwd=tmp_path)
    wait_for(lambda: any((p / "docs").is_dir() for p in tmp_path.glob(".achats-ouverts-*")))
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143
    assert err.endswith("Interrompu : opération annulée, rien n'a été publié ni remplacé.\n")
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_sigint_during_a_build_keeps_the_previous_site(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path / "data")
    site = tmp_path / "site"
    build_module.build(Settings(data_dir=data, output_dir=site, project_dir=ROOT))
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    process = start("build", str(data), "-o", "site", cwd=tmp_path)
    wait_for(lambda: any((p / "docs").is_dir() for p in tmp_path.glob(".achats-ouverts-*")))
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]


def test_a_swallowed_interrupt_still_stops_the_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C landing in a finaliser is printed (« Exception ignored in … ») and swallowed: the
    build used to go on and publish."""
    data = make_data_dir(tmp_path / "data")
    original = build_module.hosting.write_host_files

    def interrupted_then_swallowed(*args: object, **kwargs: object) -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # what Python does with an exception raised in a finaliser
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.hosting, "write_host_files", interrupted_then_swallowed)
    with pytest.raises(guard.Interrupted):
        build_module.build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
    assert not (tmp_path / "site").exists()
    assert not list(tmp_path.glob(".achats-ouverts-*"))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigterm_during_an_import_writes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    sample = reference_file("decp-2022_exemple-officiel_marches_avec_modifications.json")
    records = json.loads(sample.read_text(encoding="utf-8"))["marches"]["marche"]
    many = [{**r, "id": f"{r['id']}-{i}"} for i in range(6000) for r in records]
    source = tmp_path / "decp.json"
    source.write_text(json.dumps({"marches": {"marche": many}}), encoding="utf-8")
    process = start("import", str(source), "-o", "donnees", cwd=tmp_path)
    wait_for(lambda: any(p.stat().st_size for p in tmp_path.glob(".donnees.import-*/marches.csv")))
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decp.json"]


def test_working_folders_of_a_killed_process_are_removed_at_the_next_run(
    tmp_path: Path,
) -> None:
    data = make_data_dir(tmp_path / "data")
    killed = tmp_path / ".achats-ouverts-tue_1234"
    (killed / "site").mkdir(parents=True)
    (killed / workdirs.LOCK_FILE).write_text("", encoding="utf-8")  # nobody holds it
    old = tmp_path / ".achats-ouverts-ancien12"  # an older version's, without lock file
    old.mkdir()
    os.utime(old, (time.time() - 2 * workdirs.UNLOCKED_GRACE_SECONDS,) * 2)
    young = tmp_path / ".achats-ouverts-jeune123"  # another process is creating it
    young.mkdir()
    mine = tmp_path / ".achats-ouverts-a-moi"  # not a name the tool gives: never touched
    mine.mkdir()
    os.utime(mine, (time.time() - 2 * workdirs.UNLOCKED_GRACE_SECONDS,) * 2)
    running = workdirs.WorkDir(tmp_path, ".achats-ouverts-")  # another build, alive
    try:
        build_module.build(Settings(data_dir=data, output_dir=tmp_path / "site", project_dir=ROOT))
        left = sorted(p.name for p in tmp_path.glob(".achats-ouverts-*"))
        assert left == sorted([running.path.name, young.name, mine.name])
    finally:
        running.remove()


def test_import_working_folders_of_a_killed_import_are_removed(tmp_path: Path) -> None:
    from achats_ouverts.importing import folder

    killed = tmp_path / ".donnees.import-tue_1234"
    killed.mkdir()
    (killed / workdirs.LOCK_FILE).write_text("", encoding="utf-8")
    staging = folder.Staging(tmp_path / "donnees")
    try:
        assert not killed.exists()
        assert staging.path.is_dir()
    finally:
        staging.discard()
    assert not list(tmp_path.iterdir())


def test_a_second_build_into_the_same_output_stops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = make_data_dir(tmp_path / "data")
    site = tmp_path / "site"
    with guard.OutputLock(site.resolve()):
        code = run(["build", str(data), "-o", str(site)])
        _, err = capsys.readouterr()
    assert code == 1
    assert err == (
        f"Erreur : « {site} » [sortie-verrouillee] une autre construction publie déjà dans ce "
        f"dossier (processus {os.getpid()}) — attendre qu'elle se termine, puis relancer\n"
    )
    assert not site.exists()
    assert not (tmp_path / f".site{guard.LOCK_SUFFIX}").exists()  # released, then removed
    build_module.build(Settings(data_dir=data, output_dir=site, project_dir=ROOT))
    assert not (tmp_path / f".site{guard.LOCK_SUFFIX}").exists()

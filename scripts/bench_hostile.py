"""Time and peak memory of each hostile input (README, « Fiabilité »).

Each case is one command run in its own process under `/usr/bin/time -v`, with an address-space
limit (`--memoire`, in GB) and a timeout (`--delai`, in seconds), so that a case that would eat the
machine fails instead. `--src DOSSIER` runs the package found in DOSSIER (for instance an export of
an earlier commit: `git archive COMMIT | tar -x -C /tmp/avant`, then `--src /tmp/avant/src`).

    .venv/bin/python scripts/bench_hostile.py
    .venv/bin/python scripts/bench_hostile.py --src /tmp/avant/src --memoire 3 --delai 120
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures import hostile  # noqa: E402
from tests.fixtures.folders import make_data_dir  # noqa: E402
from tests.fixtures.paths import DATA  # noqa: E402

Case = Callable[[Path], list[str]]


def demo_copy(work: Path) -> Path:
    target = work / "data"
    shutil.copytree(DATA, target)
    return target


def import_nested(depth: int) -> Case:
    def case(work: Path) -> list[str]:
        source = hostile.nested_json(work / "imbrique.json", depth)
        return ["import", str(source), "-o", str(work / "sortie")]

    return case


def yaml_bomb(levels: int) -> Case:
    def case(work: Path) -> list[str]:
        data = make_data_dir(work / "data")
        (data / "editeur.yaml").write_text(
            hostile.publisher_with(hostile.alias_bomb(levels)), encoding="utf-8"
        )
        return ["validate", str(data)]

    return case


def wide_header(extra: int) -> Case:
    def case(work: Path) -> list[str]:
        data = demo_copy(work)
        hostile.wide_header_csv(data / "marches.csv", extra)
        return ["validate", str(data)]

    return case


def comma_row(megabytes: int, after_data: bool = False) -> Case:
    def case(work: Path) -> list[str]:
        data = make_data_dir(work / "data")
        hostile.comma_row_csv(data / "marches.csv", megabytes, after_data)
        return ["validate", str(data)]

    return case


def header_past_the_end(work: Path) -> list[str]:
    source = work / "export.csv"
    source.write_text("Numéro,SIRET acheteur\n1,20005374200017\n", encoding="utf-8")
    mapping = hostile.mapping_past_the_end(work / "correspondance.yaml", 10**12)
    return ["import", str(source), "--mapping", str(mapping), "-o", str(work / "sortie")]


CASES: dict[str, Case] = {
    "import JSON, 30 000 tableaux imbriqués (60 Ko)": import_nested(30_000),
    "import JSON, 100 000 tableaux imbriqués (200 Ko)": import_nested(100_000),
    "editeur.yaml, bombe d'alias à 7 niveaux (2 Ko)": yaml_bomb(7),
    "editeur.yaml, bombe d'alias à 8 niveaux": yaml_bomb(8),
    "editeur.yaml, bombe d'alias à 9 niveaux": yaml_bomb(9),
    "marches.csv de la démo, 1 000 noms de colonnes en trop": wide_header(1_000),
    "marches.csv de la démo, 1 000 000 de noms de colonnes en trop": wide_header(1_000_000),
    "marches.csv, une ligne de 9 Mo de virgules": comma_row(9),
    "marches.csv, une ligne de données suivie de 9 Mo de virgules": comma_row(9, True),
    "correspondance, ligne_entete au-delà de la fin": header_past_the_end,
}


def limit_memory(gigabytes: float) -> Callable[[], None]:
    def apply() -> None:
        size = int(gigabytes * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def peak_memory(time_pid: int) -> str:
    """The peak memory so far of the command `/usr/bin/time` runs (its only child)."""
    try:
        children = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
    except (OSError, IndexError):
        return "?"
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return f"{int(found.group(1)) / 1024:.0f} Mo" if found else "?"


def measure(
    name: str, case: Case, src: Path | None, gigabytes: float, timeout: float
) -> tuple[str, str, str, str]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        work = Path(tmp)
        args = case(work)
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = str(src)
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "achats_ouverts", *args]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=work,
            preexec_fn=limit_memory(gigabytes),
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            peak = peak_memory(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return name, f"> {timeout:.0f} s", peak, "arrêté au bout du délai"
        done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        stderr = done.stderr
        elapsed = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", stderr)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        seconds = 0.0
        if elapsed:
            hours, minutes, secs = elapsed.groups()
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
        memory = f"{int(rss.group(1)) / 1024:.0f} Mo" if rss else "?"
        lines = [
            line
            for line in (done.stdout + stderr.split("\tCommand being timed")[0]).splitlines()
            if line.strip() and not line.startswith("Command exited")
        ]
        last = lines[-1][:160] if lines else ""
        return name, f"{seconds:.1f} s", memory, f"code {done.returncode} : {last}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=None)
    parser.add_argument("--memoire", type=float, default=3.0, help="limite d'adresses, en Go")
    parser.add_argument("--delai", type=float, default=120.0, help="délai par cas, en secondes")
    parser.add_argument("--cas", default="", help="ne mesurer que les cas contenant ce texte")
    options = parser.parse_args()
    print("| cas | temps | mémoire maximale | résultat |")
    print("|---|---:|---:|---|")
    for name, case in CASES.items():
        if options.cas and options.cas not in name:
            continue
        row = measure(name, case, options.src, options.memoire, options.delai)
        print("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |", flush=True)


if __name__ == "__main__":
    main()

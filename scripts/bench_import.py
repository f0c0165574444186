"""Benchmark of `achats-ouverts import`: seconds and peak memory (RSS) per input size.

    python scripts/bench_import.py                    # 2019 sample + 100 000 + 1 000 000 contracts
    python scripts/bench_import.py 10000 100000       # chosen sizes only

Generated DECP 2022 JSON files go to bench/ (ignored by git); each import runs in its own process
under /usr/bin/time -v, so the peak RSS is that of the whole command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from generate_decp2022 import generate

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SAMPLE_2019 = (
    ROOT.parent
    / "shared"
    / "reference"
    / "real_decp-2019-format_pes-dgfip-collectivites_2019-04-05.json"
)
COMMAND = Path(sys.executable).parent / "achats-ouverts"


def measure(source: Path, label: str) -> tuple[str, int, float, float, float]:
    out = BENCH / f"sortie-{label}"
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run(
        ["/usr/bin/time", "-v", str(COMMAND), "import", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    imported = re.search(r"Enregistrements lus\s+(\d+)", result.stdout)
    if not (elapsed and rss and imported):
        raise RuntimeError(result.stderr)
    hours, minutes, seconds = elapsed.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    shutil.rmtree(out, ignore_errors=True)
    size_mb = source.stat().st_size / 1e6
    return label, int(imported.group(1)), size_mb, total, int(rss.group(1)) / 1024


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100_000, 1_000_000]
    runs = []
    if not argv and SAMPLE_2019.is_file():
        runs.append((SAMPLE_2019, "2019-1148"))
    for size in sizes:
        path = BENCH / f"decp2022-{size}.json"
        if not path.is_file():
            print(f"génération de {path.name}…", file=sys.stderr)
            generate(path, size)
        runs.append((path, str(size)))
    header = f"{'fichier':<12}{'enregistrements':>16}{'Mo':>9}{'secondes':>10}{'µs/enr.':>9}"
    print(f"{header}{'RSS max (Mo)':>14}")
    for source, label in runs:
        name, records, size_mb, seconds, rss = measure(source, label)
        per = seconds / records * 1e6
        print(f"{name:<12}{records:>16}{size_mb:>9.1f}{seconds:>10.2f}{per:>9.0f}{rss:>14.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

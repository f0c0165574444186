"""Benchmark of `achats-ouverts import`: seconds and peak memory (RSS) per input size.

    python scripts/bench_import.py                    # 2019 sample + 100 000 + 1 000 000 contracts
    python scripts/bench_import.py 10000 100000       # chosen sizes only
    python scripts/bench_import.py --format csv 100000  # the national tabular CSV form instead

Generated files (DECP 2022 JSON, or the same contracts as a decp.info tabular CSV) go to bench/
(ignored by git); each import runs in its own process under /usr/bin/time -v, so the peak RSS is
that of the whole command.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generate_decp2022 import generate, generate_tabular

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SAMPLE_2019 = (
    ROOT.parent
    / "shared"
    / "reference"
    / "real_decp-2019-format_pes-dgfip-collectivites_2019-04-05.json"
)
COMMAND = Path(sys.executable).parent / "achats-ouverts"


def measure(source: Path, label: str) -> tuple[str, int, int, float, float, float]:
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
    read = re.search(r"Enregistrements lus\s+(\d+)", result.stdout)
    imported = re.search(r"Marchés importés\s+(\d+)", result.stdout)
    if not (elapsed and rss and read and imported):
        raise RuntimeError(result.stderr)
    hours, minutes, seconds = elapsed.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    shutil.rmtree(out, ignore_errors=True)
    size_mb = source.stat().st_size / 1e6
    rss_mb = int(rss.group(1)) / 1024
    return label, int(read.group(1)), int(imported.group(1)), size_mb, total, rss_mb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Temps et mémoire de `achats-ouverts import`.")
    parser.add_argument("tailles", nargs="*", type=int, help="nombres de marchés générés")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    args = parser.parse_args(argv)
    sizes = args.tailles or [100_000, 1_000_000]
    write = generate_tabular if args.format == "csv" else generate
    runs = []
    if not args.tailles and args.format == "json" and SAMPLE_2019.is_file():
        runs.append((SAMPLE_2019, "2019-1148"))
    for size in sizes:
        path = BENCH / f"decp2022-{size}.{args.format}"
        if not path.is_file():
            print(f"génération de {path.name}…", file=sys.stderr)
            write(path, size)
        runs.append((path, f"{size}-{args.format}"))
    header = f"{'fichier':<14}{'enregistrements':>16}{'marchés':>9}{'Mo':>9}{'secondes':>10}"
    print(f"{header}{'µs/marché':>10}{'RSS max (Mo)':>14}")
    for source, label in runs:
        name, records, contracts, size_mb, seconds, rss = measure(source, label)
        per = seconds / max(contracts, 1) * 1e6
        print(
            f"{name:<14}{records:>16}{contracts:>9}{size_mb:>9.1f}{seconds:>10.2f}"
            f"{per:>10.0f}{rss:>14.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

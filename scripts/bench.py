"""Benchmark a whole build at a given size, against plain frictionless in the same run.

    python scripts/bench.py --contracts 100000 [--json figures.json] [--dossier DIR]
    python scripts/bench.py --contracts 1000000 --lignes-cassees 0.05   # validation alone

Prints one table (every time also as a multiple of plain frictionless on the same contracts file);
`--json` writes the figures. The measuring logic is `achats_ouverts.tools.benchmark`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from achats_ouverts.settings import find_project_dir
from achats_ouverts.tools import benchmark


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, required=True, help="nombre de marchés")
    parser.add_argument("--json", type=Path, help="écrire les mesures dans ce fichier JSON")
    parser.add_argument(
        "--dossier", type=Path, help="dossier de travail conservé (par défaut : temporaire)"
    )
    parser.add_argument(
        "--sans-paquet",
        action="store_true",
        help="ne pas mesurer frictionless sur le paquet entier (seulement sur marches.csv)",
    )
    parser.add_argument(
        "--sans-pages-marches",
        action="store_true",
        help="construire sans page par marché (achats-ouverts build --sans-pages-marches)",
    )
    parser.add_argument(
        "--lignes-cassees",
        type=float,
        default=0.0,
        help="casser une cellule dans cette part des marchés et comparer la validation seule",
    )
    args = parser.parse_args()
    if args.contracts < 1:
        parser.error("--contracts doit valoir au moins 1")
    workdir = args.dossier or Path(tempfile.mkdtemp(prefix="ao-bench-"))
    if args.dossier and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        figures = benchmark.run(
            args.contracts,
            workdir,
            find_project_dir(Path.cwd()),
            package_baseline=not args.sans_paquet,
            bad_rows=args.lignes_cassees,
            contract_pages=not args.sans_pages_marches,
        )
    finally:
        if not args.dossier:
            shutil.rmtree(workdir, ignore_errors=True)
    print(figures.table())
    if args.json:
        args.json.write_text(json.dumps(figures.as_json(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

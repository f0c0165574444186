"""Write the FICTITIOUS demonstration data folder: python scripts/generate_demo.py [DATA_DIR]."""

from __future__ import annotations

import argparse
from pathlib import Path

from achats_ouverts.tools import demo


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Génère le jeu de données de démonstration (fictif) dans un dossier de données."
    )
    parser.add_argument(
        "data_dir", nargs="?", type=Path, default=Path("data"), help="dossier cible"
    )
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="graine aléatoire")
    parser.add_argument(
        "--contracts",
        type=int,
        default=None,
        help=f"nombre total de marchés (par défaut {demo.DEFAULT_CONTRACTS})",
    )
    args = parser.parse_args()
    if args.contracts is not None and args.contracts < 1:
        parser.error("--contracts doit valoir au moins 1")
    data = demo.write_demo(args.data_dir, seed=args.seed, contracts=args.contracts)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in data.tables.items())
    print(f"{args.data_dir} : données de démonstration fictives écrites ({counts})")


if __name__ == "__main__":
    main()

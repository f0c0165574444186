"""Write the README's tables of problem codes from the catalogue (`datafolder.problem_codes`).

    python scripts/problem_codes.py             # rewrite README.md's tables
    python scripts/problem_codes.py --verifier  # exit 1 when README.md's tables are out of date

The tables sit between markers in README.md; `tests/test_problem_codes.py` checks they are up
to date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from achats_ouverts.datafolder import problem_codes
from achats_ouverts.settings import find_project_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verifier", action="store_true", help="vérifier sans écrire")
    args = parser.parse_args()
    readme = find_project_dir(Path.cwd()) / "README.md"
    text = readme.read_text(encoding="utf-8")
    try:
        filled = problem_codes.fill_readme(text)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    if filled == text:
        print(f"{readme} : tables des codes à jour.")
        return 0
    if args.verifier:
        print(f"{readme} : tables des codes à mettre à jour (python scripts/problem_codes.py).")
        return 1
    readme.write_text(filled, encoding="utf-8")
    print(f"{readme} : tables des codes écrites.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

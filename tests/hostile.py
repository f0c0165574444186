"""Hostile and unlucky inputs, written on demand (used by the tests and by
`scripts/bench_hostile.py`, which measures time and peak memory of each case)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import DATA


def nested_json(path: Path, depth: int) -> Path:
    """A DECP 2022 JSON whose only contract is `depth` nested arrays (60 KB: depth 30 000)."""
    path.write_text('{"marches": {"marche": [' + "[" * depth + "]" * depth + "]}}", "utf-8")
    return path


def wide_record_json(path: Path, megabytes: int) -> Path:
    """A DECP 2022 JSON whose only contract holds one `megabytes` MB string."""
    path.write_text('{"marches": {"marche": [{"id": "' + "x" * (megabytes << 20) + '"}]}}', "utf-8")
    return path


def alias_bomb(levels: int, width: int = 9) -> str:
    """YAML lines (an `extra` key of editeur.yaml) whose aliases expand to width**levels items."""
    lines = ["bombe:", f"  n0: &n0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"  n{level}: &n{level} [{', '.join([f'*n{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def publisher_with(extra: str) -> str:
    """The demonstration editeur.yaml followed by `extra` YAML text."""
    return (DATA / "editeur.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + extra


def wide_header_csv(path: Path, extra_columns: int) -> Path:
    """A CSV of the data folder given `extra_columns` more header names (and no more cells)."""
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    header += "".join(f",extra{i}" for i in range(extra_columns))
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def comma_row_csv(path: Path, megabytes: int, after_data: bool = False) -> Path:
    """marches.csv with one more row of `megabytes` MB of commas, alone or after the cells of
    the first data row (with another uid)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = "x" + lines[1] if after_data else ""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(start + "," * (megabytes << 20) + "\n")
    return path


def mapping_past_the_end(path: Path, header_row: int) -> Path:
    """A mapping file whose header row lies far past the end of any file."""
    mapping = {
        "colonnes": {"id": "Numéro", "acheteur_id": "SIRET acheteur"},
        "ligne_entete": header_row,
    }
    path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    return path

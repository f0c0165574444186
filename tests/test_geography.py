"""The vendored geography: places named the way people read them, and the files as their README
describes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from achats_ouverts import geography
from achats_ouverts import vocabulary as v
from achats_ouverts.settings import GEODATA_DIR


@pytest.mark.parametrize(
    ("code", "kind", "label"),
    [
        ("59512", "Code commune", "Roubaix (59512)"),
        ("75101", "Code commune", "Paris 1er Arrondissement (75101)"),
        ("97411", "Code commune", "Saint-Denis (97411)"),
        ("59", "Code département", "Nord (59)"),
        ("2A", "Code département", "Corse-du-Sud (2A)"),
        ("32", "Code région", "Hauts-de-France (32)"),
        ("595", "Code arrondissement", "Lille (595)"),
        ("FR", "Code pays", "France (FR)"),
        ("59100", "Code postal", "code postal 59100"),
        ("99999", "Code commune", "code commune 99999"),
        ("", "Code commune", ""),
    ],
)
def test_places_are_named(code: str, kind: str, label: str) -> None:
    assert geography.place_label(code, kind) == label


def test_the_readme_describes_the_vendored_files() -> None:
    readme = (GEODATA_DIR / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in GEODATA_DIR.iterdir() if p.name != "README.md")
    assert files == sorted(re.findall(r"^\| `([^`]+)` \|", readme, re.M))
    lines = re.search(r"\(([0-9 ]+) lignes\)", readme)
    assert lines is not None
    assert len(geography.communes()) == int(lines.group(1).replace(" ", ""))
    for licence in ("CC BY 4.0", "MIT", "Licence Ouverte"):
        assert licence in readme


def test_the_map_has_every_metropolitan_departement() -> None:
    france = geography.france_map()
    metropolitan = {code for code in v.DEPARTEMENTS if not code.startswith("97")}
    assert set(france.shapes) == metropolitan
    left, top, width, height = france.view_box
    for shape in france.shapes.values():
        assert shape.path.startswith("m")
        assert shape.path.endswith("z")
        assert left <= shape.x <= left + width
        assert top <= shape.y <= top + height
    assert (GEODATA_DIR / geography.MAP_FILE).stat().st_size < 80_000


def test_the_package_ships_the_geography() -> None:
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"geodata/*"' in pyproject

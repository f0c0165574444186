"""Dated versions of the datasets: what a publication's data were, kept at an address that never
changes (`donnees/versions/<date>/`) so that a figure can be cited and checked later.

A version holds the CSV of each dataset of the data folder (byte-identical to the validated data,
as `donnees/<jeu>.csv` publishes it), their Table Schemas, a Data Package describing them (size and
SHA-256 of each) and `SHA256SUMS` (`sha256sum -c SHA256SUMS` checks a download). A version, once
published, is never written again: the next publications copy its files from the previous site
after checking them against its `SHA256SUMS`; a file that does not match stops the build.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from achats_ouverts.datafolder import json_text, schemas
from achats_ouverts.errors import BuildError
from achats_ouverts.exports.tables import csv_bytes
from achats_ouverts.model import Data

CHECKSUMS = "SHA256SUMS"
PACKAGE = "datapackage.json"
NAME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9]+)?$")
"""A version's name: the date of its release, and the release number when a date has several."""


def version_name(day: str, number: int, taken: set[str]) -> str:
    """The name of the version of release `number` dated `day`: the date, or `date-number` when
    another release already took that date."""
    return day if day not in taken else f"{day}-{number}"


def version_files(data: Data, name: str, base_url: str) -> list[tuple[str, bytes]]:
    """(path in the version's folder, bytes) of every file of the version of `data`, the
    checksums file last."""
    files: list[tuple[str, bytes]] = []
    for ds in schemas.DATASETS:
        header = list(ds.field_names)
        files.append((ds.path, csv_bytes(data.text[ds.name][header], header)))
        files.append((ds.schema_path, json_text(schemas.table_schema(ds)).encode("utf-8")))
    package = schemas.data_package(
        "achats-publics",
        f"Achats publics – {data.publisher.nom}, version du {name}",
        f"Les données publiées par {data.publisher.nom} au {data.reference_date.isoformat()}, "
        "telles quelles : cette version ne change plus.",
    )
    package["version"] = name
    package["homepage"] = base_url
    package["created"] = f"{data.reference_date.isoformat()}T00:00:00Z"
    contents = dict(files)
    for resource in package["resources"]:
        body = contents[resource["path"]]
        resource["bytes"] = len(body)
        resource["hash"] = f"sha256:{hashlib.sha256(body).hexdigest()}"
    files.append((PACKAGE, json_text(package).encode("utf-8")))
    files.append((CHECKSUMS, checksums(files)))
    return files


def checksums(files: list[tuple[str, bytes]]) -> bytes:
    """`sha256sum` format: one `<hash>  <path>` line per file, by path."""
    lines = [f"{hashlib.sha256(body).hexdigest()}  {path}\n" for path, body in sorted(files)]
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class StoredVersion:
    """A version found in a previous publication: its name and files (paths in its folder)."""

    name: str
    folder: Path
    files: tuple[str, ...]


def read_checksums(text: str, where: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64})  ([A-Za-z0-9_./-]+)", line)
        if not match or ".." in match.group(2).split("/"):
            raise BuildError(f"{where}:{number} : ligne d'empreinte illisible « {line[:80]} »")
        sums[match.group(2)] = match.group(1)
    return sums


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def stored_versions(folder: Path) -> Iterator[StoredVersion]:
    """The versions of a previous publication (`folder` is its `donnees/versions/`), each checked
    against its `SHA256SUMS`: a missing or altered file is a BuildError that names it."""
    if not folder.is_dir():
        return
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or not NAME.match(child.name):
            continue
        sums_path = child / CHECKSUMS
        if not sums_path.is_file():
            raise BuildError(
                f"{child} : version sans fichier {CHECKSUMS} ; elle ne peut pas être vérifiée. "
                "Restaurer la publication précédente complète, ou indiquer une autre copie avec "
                "--precedent"
            )
        sums = read_checksums(sums_path.read_text(encoding="utf-8"), sums_path)
        for path, expected in sums.items():
            target = child / path
            if not target.is_file() or file_sha256(target) != expected:
                raise BuildError(
                    f"{target} : fichier absent ou modifié (empreinte SHA-256 différente de "
                    f"{CHECKSUMS}) ; une version publiée ne change jamais. Restaurer la "
                    "publication précédente complète, ou indiquer une autre copie avec --precedent"
                )
        yield StoredVersion(child.name, child, (*sorted(sums), CHECKSUMS))


def kept(names: list[str], limit: int) -> list[str]:
    """The versions to keep, oldest first: all of them, or the `limit` latest (0: no limit)."""
    ordered = sorted(names)
    return ordered if limit <= 0 else ordered[-limit:]

"""Source files: the formats the importer knows, how a file's format is recognised, and the error
raised when a file cannot be read to its end."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import BinaryIO

import ijson

from achats_ouverts.errors import AchatsOuvertsError

DECP_2022_JSON = "decp-2022-json"
DECP_2022_XML = "decp-2022-xml"
DECP_2019_JSON = "decp-2019-json"
TABULAR = "decp-tabulaire"
IN_HOUSE = "interne"
FORMATS = (DECP_2022_JSON, DECP_2022_XML, DECP_2019_JSON, TABULAR, IN_HOUSE)
FORMAT_LABELS = {
    DECP_2022_JSON: "DECP 2022 (JSON)",
    DECP_2022_XML: "DECP 2022 (XML)",
    DECP_2019_JSON: "DECP 2019 (JSON)",
    TABULAR: "DECP consolidées, format tabulaire (CSV)",
    IN_HOUSE: "export interne (avec fichier de correspondance)",
}
SNIFF_BYTES = 1 << 16
SNIFF_EVENTS = 10_000
SNIFF_PREFIX = 1_000
DELIMITERS = (",", ";", "\t", "|")
TABULAR_COLUMNS = {"acheteur_id", "id", "titulaire_id", "montant", "dateNotification"}


class FileUnreadable(AchatsOuvertsError):
    """A source file cannot be read to its end (broken JSON, XML or CSV): nothing is written."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file} : {message} ; import annulé, rien n'a été écrit")
        self.file = file


class UnknownFormat(AchatsOuvertsError):
    exit_code = 2


class NothingImported(AchatsOuvertsError):
    """No contract could be imported: nothing was written."""

    def __init__(self, data_dir: Path, read: int = 1) -> None:
        hint = (
            ""
            if read
            else " (aucun enregistrement trouvé : vérifier le format du fichier ou --format)"
        )
        super().__init__(f"aucun marché importé : rien n'a été écrit dans {data_dir}{hint}")


def skip_bom(handle: BinaryIO) -> BinaryIO:
    """Move past a UTF-8 byte order mark, which the JSON parser refuses."""
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)
    return handle


def _json_root(path: Path) -> str | None:
    """`dict` or `list` for the value of the top-level `marches` key, None if not found early."""
    with path.open("rb") as handle:
        skip_bom(handle)
        try:
            # Small reads: the parser builds the path of every open level for each event, so
            # a file of nested arrays costs the square of its depth in memory (`bounds`).
            for count, (prefix, event, _value) in enumerate(ijson.parse(handle, buf_size=1024)):
                if prefix == "marches" and event in ("start_map", "start_array"):
                    return "dict" if event == "start_map" else "list"
                if count > SNIFF_EVENTS or len(prefix) > SNIFF_PREFIX:
                    return None
        except ijson.JSONError:
            return None
    return None


def header_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_header(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    return next(csv.reader(io.StringIO(first), delimiter=header_delimiter(first)), [])


def detect_format(path: Path) -> str:
    """The format of a source file, from its first bytes (and its first JSON events)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return IN_HOUSE
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<"):
        return DECP_2022_XML
    if stripped.startswith((b"{", b"[")):
        root = _json_root(path)
        if root == "dict":
            return DECP_2022_JSON
        if root == "list":
            return DECP_2019_JSON
        raise UnknownFormat(
            f"{path.name} : fichier JSON sans clé « marches » : ni DECP 2022 ni DECP 2019"
        )
    header = {name.strip() for name in csv_header(head)}
    if header >= TABULAR_COLUMNS:
        return TABULAR
    return IN_HOUSE

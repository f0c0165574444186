"""Reading a CSV file of the data folder: strict decoding, delimiter sniffing, limits and header
checks, then every cell as text in a DataFrame (never pandas' type guessing).

Row numbers follow frictionless: the header is row 1 and each CSV record counts one row, blank
lines included.
"""

from __future__ import annotations

import csv
import difflib
import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from achats_ouverts.datafolder import Dataset
from achats_ouverts.datafolder.problem_codes.configuration import FICHIER_ABSENT, FICHIER_TROP_GROS
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.datafolder.problem_codes.files import (
    CELLULE_TROP_LONGUE,
    COLONNE_ABSENTE,
    COLONNE_IGNOREE,
    COLONNE_MANQUANTE,
    CSV_ILLISIBLE,
    EN_TETE_DUPLIQUE,
    EN_TETE_INCONNU,
    EN_TETE_VIDE,
    ENCODAGE_INCONNU,
    ENCODAGE_MIXTE,
    ENCODAGE_UTF16,
    ENCODAGE_WINDOWS_1252,
    FICHIER_VIDE,
    LIGNE_TROP_LARGE,
    OCTET_NUL,
    SEPARATEUR_AMBIGU,
    SEPARATEUR_DETECTE,
    TEXTE_MAL_ENCODE,
    TROP_DE_COLONNES,
    TROP_DE_LIGNES,
)
from achats_ouverts.french import fold
from achats_ouverts.report import Problem
from achats_ouverts.settings import Limits

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "virgule", ";": "point-virgule", "\t": "tabulation", "|": "barre verticale"}
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf©¨§ª«®´¹º¼½¾¢£¤¥¦]|â€|Â[°«»\u00a0]")
BOM = b"\xef\xbb\xbf"
MAX_COLUMNS = 500
"""Cells per header or row: the widest schema has 30 columns. Past this bound the file is refused
at once (one error), instead of one error per missing cell of every row."""


@dataclass
class Table:
    """A decoded, parsed CSV file: text cells indexed by row number, plus what reading found."""

    file: str
    dataset: Dataset
    encoding: str = "utf-8"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    blank_rows: list[int] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    """Rows with more or fewer cells than the header, and their number of cells."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.frame is not None

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)


def line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def looks_utf16(head: bytes) -> bool:
    """A UTF-16 byte order mark, or text where one byte in four or more is NUL (but never two in
    a row: that would be UTF-32 or binary)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00\x00" not in head and head.count(b"\x00") * 4 > len(head)


def decode(data: bytes, file: str) -> tuple[str | None, str, list[Problem]]:
    """Decode a whole file strictly: UTF-8 (BOM allowed), else a file entirely in Windows-1252.

    Returns (text or None, encoding name, problems).
    """
    if looks_utf16(data[:4096]):
        return (
            None,
            "utf-16",
            [
                ENCODAGE_UTF16.problem(
                    file,
                    None,
                    None,
                    "le fichier est en UTF-16 (« Texte Unicode » des tableurs)",
                    "l'enregistrer en « CSV UTF-8 (délimité par des virgules) »",
                )
            ],
        )
    if b"\x00" in data:
        row = line_of_offset(data, data.index(b"\x00"))
        return (
            None,
            "utf-8",
            [
                OCTET_NUL.problem(
                    file,
                    row,
                    None,
                    "le fichier contient un octet nul : ce n'est pas un fichier texte CSV",
                    "ré-enregistrer le fichier en CSV UTF-8 depuis le tableur",
                )
            ],
        )
    if data.startswith(BOM):
        data = data[len(BOM) :]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = line_of_offset(data, exc.start)
        if UTF8_MULTIBYTE.search(data):
            return (
                None,
                encoding,
                [
                    ENCODAGE_MIXTE.problem(
                        file,
                        row,
                        None,
                        "le fichier mélange UTF-8 et un autre encodage (souvent une ligne "
                        "collée depuis un tableur en Windows-1252)",
                        "ré-enregistrer le fichier entier en UTF-8 après avoir corrigé la ligne "
                        f"{row}",
                    )
                ],
            )
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc2:
            row = line_of_offset(data, exc2.start)
            return (
                None,
                encoding,
                [
                    ENCODAGE_INCONNU.problem(
                        file,
                        row,
                        None,
                        "octets illisibles : le fichier n'est ni en UTF-8 ni en Windows-1252",
                        "ré-enregistrer le fichier en UTF-8 (CSV UTF-8 dans le tableur)",
                    )
                ],
            )
        return (
            text,
            "cp1252",
            [
                ENCODAGE_WINDOWS_1252.problem(
                    file,
                    None,
                    None,
                    "fichier encodé en Windows-1252 : lu comme tel et publié en UTF-8",
                    "enregistrer de préférence en UTF-8",
                )
            ],
        )
    problems: list[Problem] = []
    match = MOJIBAKE.search(text)
    if match:
        row = text.count("\n", 0, match.start()) + 1
        problems.append(
            TEXTE_MAL_ENCODE.problem(
                file,
                row,
                None,
                f"« {match.group(0)} » ressemble à un accent mal converti (UTF-8 lu comme Latin-1)",
                "corriger le texte (« Ã© » doit être « é ») dans le fichier d'origine",
            )
        )
    return text, encoding, problems


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def head_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]` without splitting the whole text."""
    end = -1
    for _ in range(count + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.splitlines()[:count]
    return text[: end + 1].splitlines()[:count]


def sniff_delimiter(text: str, file: str) -> tuple[str | None, list[Problem]]:
    """Choose the delimiter among , ; tab | from the header line (and the next lines on a tie)."""
    lines = head_lines(text, 6)
    header = lines[0] if lines else ""
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ",", []
    candidates = [d for d in DELIMITERS if counts[d] == best]
    if len(candidates) > 1:
        consistent = [
            d
            for d in candidates
            if all(_count_outside_quotes(line, d) == best for line in lines[1:] if line.strip())
        ]
        if len(consistent) != 1:
            names = " ou ".join(DELIMITER_NAMES[d] for d in candidates)
            return None, [
                SEPARATEUR_AMBIGU.problem(
                    file,
                    1,
                    None,
                    f"séparateur de colonnes ambigu ({names})",
                    "enregistrer le fichier avec la virgule comme séparateur",
                )
            ]
        candidates = consistent
    delimiter = candidates[0]
    problems = []
    if delimiter != ",":
        problems.append(
            SEPARATEUR_DETECTE.problem(
                file,
                None,
                None,
                f"séparateur détecté : {DELIMITER_NAMES[delimiter]} ; le fichier publié utilisera "
                "la virgule",
                "",
            )
        )
    return delimiter, problems


def suggest(name: str, choices: list[str]) -> str | None:
    folded = {fold(choice): choice for choice in choices}
    if fold(name) in folded:
        return folded[fold(name)]
    close = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def check_header(header: list[str], dataset: Dataset, file: str) -> list[Problem]:
    problems: list[Problem] = []
    expected = list(dataset.field_names)
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name.strip():
            problems.append(
                EN_TETE_VIDE.problem(
                    file,
                    1,
                    None,
                    f"la colonne n° {position} n'a pas de nom",
                    "nommer la colonne ou la supprimer",
                )
            )
            continue
        if name in seen:
            problems.append(
                EN_TETE_DUPLIQUE.problem(
                    file,
                    1,
                    name,
                    f"la colonne « {name} » apparaît plusieurs fois",
                    "supprimer ou renommer le doublon",
                )
            )
        seen.add(name)
        if name not in expected:
            guess = suggest(name, [f for f in expected if f not in header])
            if guess:
                problems.append(
                    EN_TETE_INCONNU.problem(
                        file,
                        1,
                        name,
                        f"« {name} » n'est pas une colonne du schéma",
                        f"vouliez-vous dire « {guess} » ? renommer la colonne",
                    )
                )
            else:
                problems.append(
                    COLONNE_IGNOREE.problem(
                        file,
                        1,
                        name,
                        f"la colonne « {name} » n'est pas dans le schéma : elle ne sera pas "
                        "publiée",
                        "la supprimer ou la renommer selon le schéma",
                    )
                )
    for name in expected:
        if name in seen:
            continue
        required = bool(dataset.field(name).get("constraints", {}).get("required"))
        if required:
            problems.append(
                COLONNE_MANQUANTE.problem(
                    file,
                    1,
                    name,
                    f"la colonne obligatoire « {name} » est absente",
                    "ajouter la colonne (voir le schéma du jeu de données)",
                )
            )
        else:
            problems.append(
                COLONNE_ABSENTE.problem(
                    file,
                    1,
                    name,
                    f"la colonne facultative « {name} » est absente : ses valeurs seront vides",
                    "l'ajouter si l'information existe",
                )
            )
    return problems


def kept_positions(header: list[str], dataset: Dataset) -> list[int]:
    """The header's positions that are read: all but the named columns outside the schema, which
    the header check reports (`colonne-ignoree`, `en-tete-inconnu`) and which are not published.
    Their cells are dropped from every row, so a row that lacks only them is complete, and the
    table is checked against its schema like any other."""
    expected = set(dataset.field_names)
    return [i for i, name in enumerate(header) if not name.strip() or name in expected]


def _limit_problem(file: str, row: int | None, code: Code, message: str, fix: str) -> Problem:
    return code.problem(file, row, None, message, fix)


def read_table(path: Path, dataset: Dataset, limits: Limits, file: str | None = None) -> Table:
    """Read one CSV of the data folder. Problems that prevent reading leave `frame` as None."""
    name = file or path.name
    table = Table(name, dataset)
    if not path.is_file():
        table.problems.append(
            FICHIER_ABSENT.problem(
                name,
                None,
                None,
                "fichier introuvable",
                "créer le fichier avec au moins sa ligne d'en-tête",
            )
        )
        return table
    size = path.stat().st_size
    if size > limits.max_bytes:
        table.problems.append(
            _limit_problem(
                name,
                None,
                FICHIER_TROP_GROS,
                f"le fichier pèse {size} octets, plus que la limite de {limits.max_bytes}",
                "découper le fichier ou relever la limite (--max-octets)",
            )
        )
        return table
    data = path.read_bytes()
    if not data.strip():
        table.problems.append(
            FICHIER_VIDE.problem(
                name,
                None,
                None,
                "le fichier est vide",
                "écrire au moins la ligne d'en-tête",
            )
        )
        return table
    text, table.encoding, problems = decode(data, name)
    table.problems.extend(problems)
    if text is None:
        return table
    delimiter, problems = sniff_delimiter(text, name)
    table.problems.extend(problems)
    if delimiter is None:
        return table
    table.delimiter = delimiter
    del text, data  # the checked text is read again from the file, in pieces
    encoding = "cp1252" if table.encoding == "cp1252" else table.encoding
    with path.open(encoding=encoding, newline="") as stream, no_cycle_collection():
        _parse(stream, table, limits)
    return table


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Parsing creates millions of short-lived lists and no reference cycle: the cyclic garbage
    collector would only walk them again and again (a quarter of the time at a million rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


CHUNK_ROWS = 50_000
"""Records parsed at a time: each chunk becomes columns whose repeated values share one string."""


class _Columns:
    """Cells gathered column by column, chunk by chunk.

    A column of a million cells holding a few hundred distinct values (dates, codes, lists)
    keeps one string object per distinct value and chunk instead of one per cell.
    """

    def __init__(self, width: int) -> None:
        self.width = width
        self.parts: list[list[np.ndarray]] = [[] for _ in range(width)]
        self.records: list[list[str]] = []
        self.shared = [True] * width
        """Whether a column still gains from sharing its strings (it stops at the first chunk
        where most values are distinct: identifiers, free text)."""

    def add(self, record: list[str]) -> None:
        self.records.append(record)
        if len(self.records) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.records:
            return
        for position, cells in enumerate(zip(*self.records, strict=True)):
            values = np.fromiter(cells, dtype=object, count=len(cells))
            if self.shared[position]:
                codes, uniques = pd.factorize(values)
                if len(uniques) < len(values) // 2:
                    values = np.asarray(uniques, dtype=object)[codes]
                else:
                    self.shared[position] = False
            self.parts[position].append(values)
        self.records = []

    def columns(self) -> list[np.ndarray]:
        self.flush()
        return [
            np.concatenate(parts) if parts else np.empty(0, dtype=object) for parts in self.parts
        ]


def _parse(stream: Iterable[str], table: Table, limits: Limits) -> None:
    name = table.file
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
    reader = csv.reader(stream, delimiter=table.delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        return
    if len(header) > MAX_COLUMNS:
        table.problems.append(
            _limit_problem(
                name,
                1,
                TROP_DE_COLONNES,
                f"l'en-tête a {len(header)} colonnes, plus que la limite de {MAX_COLUMNS}",
                "ne garder que les colonnes du schéma (un séparateur mal détecté peut aussi en "
                "être la cause)",
            )
        )
        return
    table.problems.extend(check_header(header, table.dataset, name))
    kept = kept_positions(header, table.dataset)
    table.header = [header[i] for i in kept]
    width = len(kept)
    records = _Columns(width)
    numbers: list[int] = []
    row = 1
    try:
        for record in reader:
            row += 1
            if row - 1 > limits.max_rows:
                table.problems.append(
                    _limit_problem(
                        name,
                        row,
                        TROP_DE_LIGNES,
                        f"plus de {limits.max_rows} lignes de données",
                        "découper le fichier ou relever la limite (--max-lignes)",
                    )
                )
                return
            if len(record) > MAX_COLUMNS:
                table.problems.append(
                    _limit_problem(
                        name,
                        row,
                        LIGNE_TROP_LARGE,
                        f"la ligne a {len(record)} cellules, plus que la limite de {MAX_COLUMNS}",
                        "vérifier les séparateurs et les guillemets de la ligne",
                    )
                )
                return
            if not any(record):
                table.blank_rows.append(row)
                continue
            if record and max(map(len, record)) > limits.max_cell_chars:
                table.problems.append(
                    _limit_problem(
                        name,
                        row,
                        CELLULE_TROP_LONGUE,
                        f"une cellule dépasse {limits.max_cell_chars} caractères",
                        "raccourcir le texte (un guillemet non fermé peut aussi en être la cause)",
                    )
                )
                return
            if width != len(header):
                record = [record[i] for i in kept if i < len(record)] + record[len(header) :]
            if len(record) != width:
                table.widths[row] = len(record)
                record = (record + [""] * width)[:width]
            records.add(record)
            numbers.append(row)
    except csv.Error as exc:
        table.problems.append(
            _limit_problem(
                name,
                row + 1,
                CSV_ILLISIBLE,
                f"ligne CSV illisible ({exc})",
                "vérifier les guillemets de la ligne",
            )
        )
        return
    labels = [f"\x00{i}" if not h.strip() else h for i, h in enumerate(table.header)]
    cells: dict[str, np.ndarray] = {}
    for label, values in zip(labels, records.columns(), strict=True):
        cells.setdefault(label, values)  # a duplicated column: the first one is read
    index = pd.Index(numbers, dtype="int64")
    empty = np.full(len(numbers), "", dtype=object)
    table.frame = pd.DataFrame(
        {name: cells.get(name, empty) for name in table.dataset.field_names},
        index=index,
        dtype=object,
    )
